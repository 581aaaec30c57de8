using System.Globalization;
using System.Security.Claims;
using HostPanel.Infrastructure.Data;
using HostPanel.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace HostPanel.Web.Accounts;

/// <summary>
/// "Confirm it is you" before a destructive action (a purge, a restore, a key export, removing an
/// administrator): the person types their password again (and a two-step code when they use
/// two-step sign-in) on <see cref="ConfirmPath"/>, which records the time in the sign-in cookie
/// (claim <see cref="ClaimType"/>). A page asks <see cref="IsFreshAsync"/> and, when it is not,
/// sends the person to <see cref="ConfirmUrl"/> and back.
/// </summary>
public sealed class Reauthentication(SignInManager<HostPanelUser> signIn, TimeProvider time)
{
    public const string ClaimType = "hostpanel:reauth_at";

    public const string ConfirmPath = "/account/confirm";

    /// <summary>How long a confirmation counts when the caller does not say.</summary>
    public static TimeSpan DefaultMaxAge { get; } = TimeSpan.FromMinutes(5);

    // A confirmation from the future (clocks of two panels behind a proxy) counts within this much.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether <paramref name="user"/> (the signed-in principal) confirmed their identity within
    /// <paramref name="maxAge"/> (default <see cref="DefaultMaxAge"/>).
    /// </summary>
    public Task<bool> IsFreshAsync(ClaimsPrincipal user, TimeSpan? maxAge = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Task.FromResult(IsFresh(user, maxAge ?? DefaultMaxAge));
    }

    private bool IsFresh(ClaimsPrincipal user, TimeSpan maxAge)
    {
        if (user.Identity?.IsAuthenticated != true
            || !long.TryParse(user.FindFirst(ClaimType)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return false;
        }

        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        return age >= -ClockSkew && age <= maxAge;
    }

    /// <summary>The confirmation page, coming back to <paramref name="returnUrl"/> (a path of this site) afterwards.</summary>
    public static string ConfirmUrl(string? returnUrl) =>
        ConfirmPath + "?ReturnUrl=" + Uri.EscapeDataString(LocalUrl.OrRoot(returnUrl));

    /// <summary>Records a successful confirmation now, in the current sign-in cookie.</summary>
    internal Task RecordAsync(HostPanelUser user) =>
        SessionCookie.ReissueAsync(signIn, user, new Claim(ClaimType, time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
}

/// <summary>Issues the sign-in cookie again (after a change of the security stamp, or to add a claim), keeping how the person signed in.</summary>
internal static class SessionCookie
{
    /// <summary>The claims that say how and when the person proved who they are; kept when the cookie is issued again.</summary>
    public static IReadOnlyList<string> KeptClaimTypes { get; } = [ClaimTypes.AuthenticationMethod, "amr", Reauthentication.ClaimType];

    public static async Task ReissueAsync(SignInManager<HostPanelUser> signIn, HostPanelUser user, params Claim[] added)
    {
        var current = await signIn.Context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var claims = Kept(current.Principal)
            .Where(c => !added.Any(a => a.Type == c.Type))
            .Concat(added)
            .ToList();
        await signIn.SignInWithClaimsAsync(user, current.Properties, claims);
    }

    /// <summary>Copies the kept claims of <paramref name="from"/>, for a principal made anew.</summary>
    public static IEnumerable<Claim> Kept(ClaimsPrincipal? from) =>
        from?.Claims.Where(c => KeptClaimTypes.Contains(c.Type)).Select(c => new Claim(c.Type, c.Value)).ToList() ?? [];
}
