using HostPanel.Web.Accounts;
using HostPanel.Web.Api;
using HostPanel.Web.Components;
using HostPanel.Web.Localization;
using HostPanel.Web.Panel;
using MudBlazor.Services;

namespace HostPanel.Web.Hosting;

public static class InterfaceExtensions
{
    public const string HealthPath = "/healthz";

    /// <summary>Blazor (interactive on the server) with MudBlazor.</summary>
    public static WebApplicationBuilder AddHostPanelInterface(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddHostPanelApi();
        builder.Services.AddHostPanelPages();
        builder.Services.Configure<ForwardedHeadersOptions>(HostingExtensions.ConfigureForwardedHeaders);
        return builder;
    }

    public static WebApplication UseHostPanelPipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseRequestLocalization();

        // Account forms sent too often from one address are answered 429 before anything else runs.
        app.UseRateLimiter();

        // Before authorization, so that a page asked for before the first run goes straight to
        // the first-run page rather than through the sign-in page.
        app.UseMiddleware<FirstRunGate>();
        app.UseAuthentication();

        // Administrators who must use two-step sign-in set it up before anything else.
        app.UseMiddleware<TwoFactorGate>();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapHostPanelEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Answers as soon as the panel listens; the installer waits for it.
        app.MapGet(HealthPath, () => TypedResults.Text("ok")).AllowAnonymous();

        app.MapStaticAssets();
        app.MapHostPanelLanguageSwitch();
        app.MapHostPanelOrganizationSwitch();
        Panel.Runbook.RunbookEndpoints.MapHostPanelRunbook(app);
        Panel.RecoveryKit.RecoveryKitEndpoints.MapHostPanelRecoveryKit(app);
        Panel.Audit.AuditEndpoints.MapHostPanelAudit(app);
        app.MapHostPanelAccountEndpoints();
        app.MapHostPanelApi();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
