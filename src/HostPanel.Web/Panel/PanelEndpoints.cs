using System.Text.RegularExpressions;
using HostPanel.Core.Organizations;
using HostPanel.Web.Hosting;
using HostPanel.Web.Panel.RecoveryKit;

namespace HostPanel.Web.Panel;

public static class PanelEndpoints
{
    /// <summary>The panel's pages: the session of each circuit, the background work they start, the settings they change.</summary>
    public static IServiceCollection AddHostPanelPages(this IServiceCollection services)
    {
        services.AddScoped<PanelSession>();
        services.AddSingleton<PanelWork>();
        services.AddSingleton<Settings.AcmeSettings>();
        services.AddHostPanelRecoveryKitPage();
        return services;
    }

    /// <summary>
    /// <c>GET /organization?id=ID&amp;returnUrl=/path</c>: remembers which organization the pages
    /// show (a cookie), then goes back. Whether the person may see it is decided on each page,
    /// by <see cref="PanelSession"/>; an id that is not one is ignored.
    /// </summary>
    public static IEndpointRouteBuilder MapHostPanelOrganizationSwitch(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(PanelSession.SwitchPath, (HttpContext context, string? id, string? returnUrl) =>
        {
            if (id is not null && Regex.IsMatch(id, Organization.IdPattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
            {
                context.Response.Cookies.Append(PanelSession.OrganizationCookie, id, new CookieOptions
                {
                    HttpOnly = true,
                    IsEssential = true,
                    SameSite = SameSiteMode.Lax,
                    Secure = context.Request.IsHttps,
                    MaxAge = TimeSpan.FromDays(365),
                });
            }

            return TypedResults.LocalRedirect(LocalUrl.OrRoot(returnUrl));
        }).RequireAuthorization();
        return endpoints;
    }
}
