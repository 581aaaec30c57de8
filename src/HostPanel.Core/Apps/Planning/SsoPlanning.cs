using HostPanel.Core.Accounts;
using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Catalog.Planning;

namespace HostPanel.Core.Apps.Planning;

/// <summary>
/// What the planner knows of the panel's single sign-on for one app. It is read before planning
/// (<see cref="SsoPlanning.AvailabilityAsync"/>), because planning does no I/O.
/// </summary>
public enum SsoAvailability
{
    /// <summary>No provider on this panel (none registered, or no panel address): the app keeps its own accounts.</summary>
    None,

    /// <summary>The panel's provider is there and the app has no client yet.</summary>
    Available,

    /// <summary>The panel's provider is there and the app already has its client.</summary>
    Registered,
}

/// <summary>How members sign in to an app, as its manifest decides; said before install.</summary>
public enum MemberSignIn
{
    /// <summary>With their panel account: the app is wired to the panel's provider at install (when the panel has a public address).</summary>
    PanelAccount,

    /// <summary>With their panel account once an administrator follows the manifest's steps; until then with the app's own accounts.</summary>
    SetUpByHand,

    /// <summary>With accounts of the app's own, separate from the panel's.</summary>
    SeparateAccounts,
}

/// <summary>How an app is wired to the panel's single sign-on: who plans it and what its client is made of.</summary>
public static class SsoPlanning
{
    /// <summary>
    /// Whether single sign-on can be planned for <paramref name="instance"/>: none without a
    /// provider or without an issuer (no panel address), otherwise whether its client exists.
    /// </summary>
    public static async Task<SsoAvailability> AvailabilityAsync(ISsoClientRegistry? registry, string instance, CancellationToken ct = default)
    {
        if (registry?.Issuer is null)
        {
            return SsoAvailability.None;
        }

        return await registry.ExistsAsync(instance, ct).ConfigureAwait(false) ? SsoAvailability.Registered : SsoAvailability.Available;
    }

    /// <summary>The manifest wires the app to the panel's provider by itself (oidc-env or oidc-command).</summary>
    public static bool UsesPanelProvider(AppManifest manifest) =>
        manifest?.Sso.Mode is SsoMode.OidcEnv or SsoMode.OidcCommand;

    /// <summary>How members will sign in to the app, for the catalog to say before install.</summary>
    public static MemberSignIn SignInOf(AppManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return UsesPanelProvider(manifest) ? MemberSignIn.PanelAccount
            : manifest.Sso.Mode == SsoMode.Manual ? MemberSignIn.SetUpByHand
            : MemberSignIn.SeparateAccounts;
    }

    /// <summary>
    /// The client the app needs at the provider: its redirect addresses rendered from the
    /// manifest's <c>sso.redirect_uris</c> at the app's address, its own address to come back to
    /// after signing out (with and without the final slash: apps send either).
    /// </summary>
    /// <param name="manifest">The manifest of the version the app runs (or is being brought to).</param>
    /// <param name="instance">The app.</param>
    /// <param name="context">The app's placeholders, without the single sign-on values (they come from this client).</param>
    public static SsoClientRequest Request(AppManifest manifest, AppInstance instance, PlaceholderContext context)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(context);
        var redirects = (manifest.Sso.RedirectUris ?? [])
            .Select(uri => AppEnvironment.Render(manifest, uri, context))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var url = context.Url;
        List<string> afterLogout = url.EndsWith('/') ? [url] : [url, url + "/"];
        var name = string.IsNullOrWhiteSpace(manifest.Name) ? instance.Name : manifest.Name;
        var display = instance.Domain is null ? $"{name} ({instance.Name})" : $"{name} ({instance.Domain})";
        return new SsoClientRequest(instance.Name, instance.OrganizationId, display, redirects, afterLogout, manifest.Sso.Pkce ?? true);
    }
}
