using System.Security.Claims;
using System.Text.Json;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Infrastructure.Data;
using HostPanel.Infrastructure.SingleSignOn;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace HostPanel.Web.SingleSignOn;

/// <summary>What a person gets in an app through single sign-on, decided afresh at each step.</summary>
/// <param name="User">The account, as it is now.</param>
/// <param name="Instance">The app (the client).</param>
/// <param name="Groups">The person's groups in the app's organization.</param>
internal sealed record SsoGrant(HostPanelUser User, AppInstance Instance, IReadOnlyList<string> Groups)
{
    /// <summary>
    /// The name apps may show and use as a login: the e-mail address. It is unique on the panel,
    /// whereas its local part is not (marie@velo-lyon.fr and marie@chaton.org are two people);
    /// apps must still key their accounts on <c>sub</c>, which never changes.
    /// </summary>
    public string PreferredUsername => User.Email ?? User.UserName ?? User.Id;

    public string DisplayName => string.IsNullOrWhiteSpace(User.DisplayName) ? PreferredUsername : User.DisplayName;
}

/// <summary>
/// Whether a person may use an app through single sign-on, and what the app learns about them.
/// The same check runs at the authorization endpoint, at every token request (code and refresh)
/// and at the user info endpoint: a disabled or removed account, a person who left the
/// organization or lost the app's groups, or an app that is gone, gets nothing more.
/// </summary>
internal sealed class SsoAccess(
    UserManager<HostPanelUser> users,
    CallerResolver callers,
    IInstanceStore instances,
    AccessControl access,
    IGroupStore groups,
    TimeProvider time)
{
    /// <summary>A lockout further away than this is a disabled account, not a pause after failed passwords.</summary>
    private static readonly TimeSpan DisabledLockout = TimeSpan.FromDays(365);

    /// <summary>The grant, or null when the person may not use the app now.</summary>
    public async Task<SsoGrant?> GrantAsync(string? userId, string? clientId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(clientId))
        {
            return null;
        }

        // Null for a missing or disabled account.
        var caller = await callers.ForPersonAsync(userId, ct);
        var user = caller is null ? null : await users.FindByIdAsync(userId);
        if (user is null || (user.LockoutEnd is { } end && end - time.GetUtcNow() > DisabledLockout))
        {
            return null;
        }

        var instance = await instances.FindAsync(clientId, ct);
        if (instance is null || instance.State == InstanceState.Removed || !await access.MayUseAsync(caller!, instance, ct))
        {
            return null;
        }

        return new SsoGrant(user, instance, await groups.GroupsOfAsync(userId, instance.OrganizationId, ct));
    }

    /// <summary>
    /// The identity to issue tokens for: the claims the scopes ask for (profile: name and
    /// preferred_username; email: email and email_verified; groups: groups), all in the ID token;
    /// the access token carries the subject and scopes only (apps read the rest from the user info
    /// endpoint, which answers from the account as it is now). Starts from
    /// <paramref name="previous"/> when given (a code or refresh token), keeping OpenIddict's own
    /// claims (authorization, scopes) and replacing the person's.
    /// </summary>
    public static ClaimsIdentity Identity(SsoGrant grant, IEnumerable<string> scopes, ClaimsPrincipal? previous = null)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var identity = new ClaimsIdentity(
            previous?.Claims.Where(c => !PersonClaims.Contains(c.Type)) ?? [],
            TokenValidationParameters.DefaultAuthenticationType,
            Claims.Name,
            Claims.Role);
        var granted = scopes.ToHashSet(StringComparer.Ordinal);

        identity.SetClaim(Claims.Subject, grant.User.Id);
        if (granted.Contains(Scopes.Profile))
        {
            identity.SetClaim(Claims.Name, grant.DisplayName);
            identity.SetClaim(Claims.PreferredUsername, grant.PreferredUsername);
        }

        if (granted.Contains(Scopes.Email) && grant.User.Email is { } email)
        {
            identity.SetClaim(Claims.Email, email);
            identity.SetClaim(Claims.EmailVerified, grant.User.EmailConfirmed);
        }

        if (granted.Contains(SsoScopes.Groups))
        {
            // Always a JSON array, even with one group or none.
            identity.AddClaim(new Claim(GroupsClaim, JsonSerializer.Serialize(grant.Groups), JsonClaimValueTypes.JsonArray));
        }

        identity.SetScopes(granted);
        identity.SetDestinations(claim => claim.Type switch
        {
            Claims.Subject => [Destinations.AccessToken, Destinations.IdentityToken],
            _ when PersonClaims.Contains(claim.Type) => [Destinations.IdentityToken],
            _ => [],
        });
        return identity;
    }

    /// <summary>The user info endpoint's answer: the subject and what the access token's scopes allow.</summary>
    public static Dictionary<string, object> UserInfo(SsoGrant grant, IEnumerable<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var granted = scopes.ToHashSet(StringComparer.Ordinal);
        var claims = new Dictionary<string, object>(StringComparer.Ordinal) { [Claims.Subject] = grant.User.Id };
        if (granted.Contains(Scopes.Profile))
        {
            claims[Claims.Name] = grant.DisplayName;
            claims[Claims.PreferredUsername] = grant.PreferredUsername;
        }

        if (granted.Contains(Scopes.Email) && grant.User.Email is { } email)
        {
            claims[Claims.Email] = email;
            claims[Claims.EmailVerified] = grant.User.EmailConfirmed;
        }

        if (granted.Contains(SsoScopes.Groups))
        {
            claims[GroupsClaim] = grant.Groups.ToArray();
        }

        return claims;
    }

    public const string GroupsClaim = "groups";

    private static readonly HashSet<string> PersonClaims = new(StringComparer.Ordinal)
    {
        Claims.Subject, Claims.Name, Claims.PreferredUsername, Claims.Email, Claims.EmailVerified, GroupsClaim,
    };
}
