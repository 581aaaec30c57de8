using HostPanel.Core.Configuration;
using HostPanel.Infrastructure.Configuration;
using HostPanel.Infrastructure.Apps;
using HostPanel.Infrastructure.Data;
using HostPanel.Infrastructure.State;
using HostPanel.Infrastructure.Docker;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace HostPanel.Web.Hosting;

public static class HostingExtensions
{
    /// <summary>Where the panel listens when nothing else is configured: this machine only, behind the edge proxy.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>
    /// Reads DATA_DIR/appsettings.json and HOSTPANEL_ variables, then the command line again so
    /// that it wins over both; binds and validates <see cref="HostPanelOptions"/>; chooses the URLs.
    /// </summary>
    public static WebApplicationBuilder AddHostPanelConfiguration(this WebApplicationBuilder builder, string[] args)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var (dataDirectoryArgument, otherArgs) = HostPanelCommandLine.Split(args);
        var dataDirectory = HostPanelConfiguration.ResolveDataDirectory(dataDirectoryArgument);

        builder.Configuration.AddHostPanelSources(dataDirectory);
        builder.Configuration.AddCommandLine(otherArgs);

        builder.Services.AddOptions<HostPanelOptions>()
            .Bind(builder.Configuration)
            .Validate(o => Path.IsPathFullyQualified(o.DataDirectory), "DataDirectory must be an absolute path.")
            .Validate(o => o.DataDirectory == dataDirectory, "DataDirectory is chosen with --data-dir or HOSTPANEL_DATADIRECTORY only.")
            .ValidateOnStart();

        var urls = builder.Configuration["Urls"];
        builder.WebHost.UseUrls(string.IsNullOrWhiteSpace(urls) ? DefaultUrls : urls);
        return builder;
    }

    /// <summary>The options as they stand while services are being registered.</summary>
    internal static HostPanelOptions HostPanelOptions(this WebApplicationBuilder builder) =>
        builder.Configuration.Get<HostPanelOptions>() ?? new HostPanelOptions();

    /// <summary>The SQLite database in the data directory.</summary>
    public static WebApplicationBuilder AddHostPanelData(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHostPanelData(builder.HostPanelOptions());
        return builder;
    }

    /// <summary>
    /// The container engine the panel drives, the apps' lifecycle on it, and the reconciler that
    /// runs once at start-up (in the background: an engine that is down must not keep the panel
    /// from answering).
    /// </summary>
    public static WebApplicationBuilder AddHostPanelEngine(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.HostPanelOptions();
        builder.Services.AddDockerEngine();
        builder.Services.AddHostPanelState(options);
        builder.Services.AddHostPanelLifecycle(options);
        builder.Services.AddHostedService<ReconcileAtStartup>();
        builder.Services.AddHostedService<BackupScheduler>();
        builder.Services.AddHostedService<CertificateScheduler>();
        return builder;
    }

    /// <summary>
    /// Creates the data directory and key ring folder, applies database migrations, and prepares
    /// the first run (roles, setup token). Call before the panel starts listening.
    /// </summary>
    public static async Task PrepareHostPanelAsync(this WebApplication app, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<HostPanelOptions>>().Value;
        HostPanelDatabase.EnsureDataDirectory(options.DataDirectory);
        HostPanelDatabase.EnsureDataDirectory(options.KeyRingDirectory);
        await app.Services.GetRequiredService<HostPanelDatabase>().MigrateAsync(ct);
        await app.Services.GetRequiredService<Infrastructure.Accounts.FirstRunState>().PrepareAsync(ct);
    }

    /// <summary>The panel sits behind the local edge proxy, which tells the original scheme and client.</summary>
    internal static void ConfigureForwardedHeaders(ForwardedHeadersOptions options) =>
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
}
