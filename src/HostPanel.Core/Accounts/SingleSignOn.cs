using HostPanel.Core.Catalog.Planning;

namespace HostPanel.Core.Accounts;

/// <summary>What an app instance's client at the panel's OIDC provider is made from.</summary>
/// <param name="Instance">The app instance; its name is the client id.</param>
/// <param name="OrganizationId">The instance's organization.</param>
/// <param name="DisplayName">Shown on the consent and sign-in pages.</param>
/// <param name="RedirectUris">Absolute https (or http in tests) URIs, from the manifest's <c>sso.redirect_uris</c>.</param>
/// <param name="PostLogoutRedirectUris">Where the app may send people after signing out (its own address).</param>
/// <param name="RequirePkce">The provider refuses this client's sign-in requests without PKCE (all apps but those whose manifest says they cannot send it).</param>
public sealed record SsoClientRequest(
    string Instance,
    string OrganizationId,
    string DisplayName,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris,
    bool RequirePkce = true);

/// <summary>
/// The panel's OIDC provider, as the lifecycle sees it: one confidential client per app instance,
/// registered at install (idempotent: the same secret is returned when it exists) and removed at
/// uninstall. The secret is kept encrypted, never in clear in the database.
/// </summary>
public interface ISsoClientRegistry
{
    /// <summary>The provider's issuer; null when no panel address is configured (no single sign-on).</summary>
    string? Issuer { get; }

    /// <summary>Creates or updates the client and returns what the app needs to use it.</summary>
    Task<SsoSettings> EnsureAsync(SsoClientRequest request, CancellationToken ct = default);

    /// <summary>Removes the client, its secret, and every authorization and token issued to it. Idempotent.</summary>
    Task RemoveAsync(string instance, CancellationToken ct = default);

    Task<bool> ExistsAsync(string instance, CancellationToken ct = default);
}
