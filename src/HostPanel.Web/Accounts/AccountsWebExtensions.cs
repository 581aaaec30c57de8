using HostPanel.Core.Configuration;
using HostPanel.Infrastructure.Accounts;
using HostPanel.Infrastructure.Data;
using HostPanel.Infrastructure.Secrets;
using HostPanel.Web.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace HostPanel.Web.Accounts;

public static class AccountsWebExtensions
{
    public const string SignInPath = "/signin";
    public const string SignOutPath = "/signout";
    public const string SetupPath = "/setup";

    /// <summary>Accounts, cookie sign-in and the first-run services.</summary>
    public static WebApplicationBuilder AddHostPanelAccounts(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.HostPanelOptions();
        builder.Services.AddHostPanelDataProtection(options);
        builder.Services.AddHostPanelWebAccounts(options);
        return builder;
    }

    /// <summary>
    /// Identity with cookie sign-in (lockout on), passkeys, French/English error messages, and the
    /// authentication state for interactive components.
    /// </summary>
    public static IServiceCollection AddHostPanelWebAccounts(this IServiceCollection services, HostPanelOptions options)
    {
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddAuthorization();

        services.AddHostPanelAccounts(options)
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<LocalizedIdentityErrorDescriber>()
            .AddClaimsPrincipalFactory<HostPanelClaimsPrincipalFactory>()
            .AddHostPanelAccountSecurity();
        services.AddHostPanelPasskeys();

        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "HostPanel.Session";
            cookie.LoginPath = SignInPath;
            cookie.LogoutPath = SignOutPath;
            cookie.AccessDeniedPath = SignInPath;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
        });
        return services;
    }

    /// <summary>Sign-out, as a form post protected against cross-site requests, and the passkeys' options.</summary>
    public static IEndpointRouteBuilder MapHostPanelAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(SignOutPath, async Task<Results<BadRequest, RedirectHttpResult>> (
            HttpContext context,
            [FromServices] IAntiforgery antiforgery,
            [FromServices] SignInManager<HostPanelUser> signInManager,
            [FromServices] SecurityAudit audit) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return TypedResults.BadRequest();
            }

            if (signInManager.IsSignedIn(context.User) && await signInManager.UserManager.GetUserAsync(context.User) is { } user)
            {
                await audit.RecordAsync(HostPanel.Core.Accounts.SecurityEventKinds.SignedOut, user);
            }

            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect("~" + SignInPath);
        });
        endpoints.MapHostPanelPasskeyEndpoints();
        return endpoints;
    }
}
