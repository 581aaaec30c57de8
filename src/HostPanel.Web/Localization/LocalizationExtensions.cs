using System.Globalization;
using HostPanel.Web.Hosting;
using Microsoft.AspNetCore.Localization;
using MudBlazor;

namespace HostPanel.Web.Localization;

public static class LocalizationExtensions
{
    public const string CulturePath = "/culture";

    /// <summary>The interface languages, the default first.</summary>
    public static IReadOnlyList<string> SupportedCultures { get; } = ["fr", "en"];

    public static WebApplicationBuilder AddHostPanelLocalization(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHostPanelLocalization();
        return builder;
    }

    /// <summary>
    /// French unless the person chose English with the language switch (a cookie). The browser's
    /// language is deliberately not consulted: the panel speaks French to its volunteers first.
    /// </summary>
    public static IServiceCollection AddHostPanelLocalization(this IServiceCollection services)
    {
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture(SupportedCultures[0]);
            o.AddSupportedCultures([.. SupportedCultures]);
            o.AddSupportedUICultures([.. SupportedCultures]);
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
            o.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });
        services.AddTransient<MudLocalizer, ResxMudLocalizer>();
        return services;
    }

    /// <summary>
    /// <c>GET /culture?culture=en&amp;returnUrl=/path</c>: remembers the language for a year, then
    /// goes back to the page. A plain link or form works on every page, interactive or not.
    /// </summary>
    public static IEndpointRouteBuilder MapHostPanelLanguageSwitch(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(CulturePath, (HttpContext context, string? culture, string? returnUrl) =>
        {
            RememberCulture(context, culture);
            return TypedResults.LocalRedirect(LocalUrl.OrRoot(returnUrl));
        }).AllowAnonymous();
        return endpoints;
    }

    /// <summary>
    /// Remembers <paramref name="culture"/> for a year (a cookie) when it is one of the
    /// <see cref="SupportedCultures"/>; anything else is ignored.
    /// </summary>
    public static void RememberCulture(HttpContext context, string? culture)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (culture is null || !SupportedCultures.Contains(culture, StringComparer.OrdinalIgnoreCase))
        {
            return;
        }

        var chosen = new CultureInfo(culture.ToLowerInvariant());
        context.Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
            new CookieOptions
            {
                Expires = DateTimeOffset.UtcNow.AddYears(1),
                IsEssential = true,
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
            });
    }

    /// <summary>
    /// Whether the address of a page is itself a secret (an invitation link): the language switch
    /// must not write it into the page, nor send it to <see cref="CulturePath"/>. Such a page
    /// takes <c>?culture=</c> itself, with <see cref="RememberCulture"/>.
    /// </summary>
    public static bool IsSecretAddress(string path) =>
        path.StartsWith(HostPanel.Core.Accounts.MemberService.InvitationPath, StringComparison.OrdinalIgnoreCase);
}
