using HostPanel.Web.Accounts;
using HostPanel.Web.Hosting;
using HostPanel.Web.Localization;
using HostPanel.Web.SingleSignOn;

namespace HostPanel.Web;

/// <summary>
/// Builds the web panel. Kept apart from Program so that tests start exactly the same
/// application on a port of their choosing.
/// </summary>
public static class HostPanelWebApplication
{
    /// <summary>
    /// Builds the panel from the command line. <c>--data-dir DIR</c> chooses the data directory
    /// (else HOSTPANEL_DATADIRECTORY, else /var/lib/hostpanel); <c>--urls URLS</c>, HOSTPANEL_URLS or
    /// "Urls" in DATA_DIR/appsettings.json choose where it listens (default http://127.0.0.1:8080).
    /// </summary>
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Names the static assets manifest; must not depend on which program hosts the panel.
            ApplicationName = typeof(HostPanelWebApplication).Assembly.GetName().Name,
            // The service manager may start the panel from any directory.
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Run from a build rather than from the published panel (`dotnet run`, the browser tests):
        // the scripts and styles are served from where the build keeps them. A published panel
        // has no such manifest and serves its own copies.
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, builder.Environment.ApplicationName + ".staticwebassets.runtime.json")))
        {
            builder.WebHost.UseStaticWebAssets();
        }

        builder.AddHostPanelConfiguration(args);
        builder.AddHostPanelData();
        builder.AddHostPanelAccounts();
        builder.AddHostPanelEngine();
        builder.AddHostPanelSingleSignOnProvider();
        builder.AddHostPanelLocalization();
        builder.AddHostPanelInterface();

        var app = builder.Build();
        app.UseHostPanelPipeline();
        app.MapHostPanelEndpoints();
        app.MapHostPanelSingleSignOn();
        return app;
    }
}
