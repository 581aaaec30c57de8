using System.CommandLine;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Configuration;
using HostPanel.Infrastructure.Accounts;
using HostPanel.Infrastructure.Apps;
using HostPanel.Infrastructure.Configuration;
using HostPanel.Infrastructure.Data;
using HostPanel.Infrastructure.State;
using HostPanel.Infrastructure.Docker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HostPanel.Cli;

/// <summary>Builds the services a command needs from the global options and standard .NET configuration.</summary>
internal static class CliHost
{
    /// <summary>Everything the app commands need, with the database migrated to the current schema.</summary>
    public static async Task<ServiceProvider> BuildWithStateAsync(ParseResult parsed, GlobalOptions globals, CancellationToken ct)
    {
        var provider = Build(parsed, globals, withState: true);
        await provider.GetRequiredService<HostPanelDatabase>().MigrateAsync(ct).ConfigureAwait(false);

        // Who acts: root on the server, unless a personal access token is given (--token or
        // HOSTPANEL_TOKEN), which limits the command to the token's organization and role.
        var token = parsed.GetValue(globals.Token) ?? Environment.GetEnvironmentVariable(TokenVariable);
        var holder = provider.GetRequiredService<CliCaller>();
        if (string.IsNullOrEmpty(token))
        {
            holder.Value = HostPanel.Core.Accounts.Caller.Server($"cli:{Environment.UserName}");
        }
        else
        {
            holder.Value = await provider.GetRequiredService<CallerResolver>().ForTokenAsync(token.Trim(), ct).ConfigureAwait(false);
        }

        return provider;
    }

    public const string TokenVariable = "HOSTPANEL_TOKEN";

    /// <summary>Whether the command is run with a personal access token rather than as root.</summary>
    public static bool HasToken(ParseResult parsed, GlobalOptions globals) =>
        !string.IsNullOrEmpty(parsed.GetValue(globals.Token) ?? Environment.GetEnvironmentVariable(TokenVariable));

    /// <summary>The organization a command is about: the one given, else the caller's only one, else the default.</summary>
    public static string Organization(this IServiceProvider services, string? given)
    {
        if (given is not null)
        {
            return given;
        }

        var caller = services.Caller();
        return !caller.IsHosterAdministrator && caller.Roles.Count == 1 ? caller.Roles.Keys.First() : HostPanel.Core.Organizations.Organization.DefaultId;
    }

    /// <summary>The caller of this command; a refusal when the token given is not valid.</summary>
    public static Caller Caller(this IServiceProvider services) =>
        services.GetRequiredService<CliCaller>().Value ?? throw new AppRequestException("token", CliText.Get("TokenInvalid"));

    public static ServiceProvider Build(ParseResult parsed, GlobalOptions globals, bool withState = false)
    {
        var dataDirectory = HostPanelConfiguration.ResolveDataDirectory(parsed.GetValue(globals.DataDirectory));
        var overrides = new Dictionary<string, string?>();
        if (parsed.GetValue(globals.Catalog) is { Length: > 0 } catalog)
        {
            overrides[nameof(HostPanelOptions.CatalogDirectory)] = Path.GetFullPath(catalog);
        }

        var configuration = new ConfigurationBuilder()
            .AddHostPanelSources(dataDirectory)
            .AddInMemoryCollection(overrides)
            .Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.AddConfiguration(configuration.GetSection("Logging")).SetMinimumLevel(LogLevel.Warning));
        services.AddOptions<HostPanelOptions>().Bind(configuration);
        services.AddDockerEngine();
        if (withState)
        {
            var options = configuration.Get<HostPanelOptions>() ?? new HostPanelOptions();
            services.AddSingleton(options);
            services.AddHostPanelState(options);
            services.AddHostPanelLifecycle(options);
            services.AddHostPanelAccounts(options);
            services.AddSingleton<CliCaller>();
        }

        return services.BuildServiceProvider();
    }
}

/// <summary>Who runs this command, resolved once when the services are built.</summary>
internal sealed class CliCaller
{
    public Caller? Value { get; set; }
}
