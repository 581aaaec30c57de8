using System.Security.Claims;
using HostPanel.Core.Accounts;
using HostPanel.Core.Organizations;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;

namespace HostPanel.Web.Panel;

/// <summary>
/// The signed-in person as the panel's pages act for them (one per circuit): their
/// <see cref="Caller"/>, read fresh from the accounts on first use, and the organization they are
/// looking at. A hoster administrator switches organization; everyone else sees their own.
/// </summary>
public sealed class PanelSession(AuthenticationStateProvider authentication, CallerResolver callers, AccessControl access, IStringLocalizer<SharedResource> text)
{
    /// <summary>The cookie that remembers the chosen organization between visits.</summary>
    public const string OrganizationCookie = "hp-org";

    /// <summary>The address that sets <see cref="OrganizationCookie"/>: <c>GET /organization?id=ID&amp;returnUrl=/path</c>.</summary>
    public const string SwitchPath = "/organization";

    private Caller? _caller;
    private IReadOnlyList<Organization>? _organizations;

    /// <summary>The organization asked for by the cookie when the page was first requested.</summary>
    public string? PreferredOrganizationId { get; set; }

    /// <summary>The person acting. Throws <see cref="AccessDeniedException"/> when the account is gone or suspended.</summary>
    public async Task<Caller> CallerAsync(CancellationToken ct = default)
    {
        if (_caller is not null)
        {
            return _caller;
        }

        var state = await authentication.GetAuthenticationStateAsync().ConfigureAwait(false);
        var userId = state.User.FindFirstValue(ClaimTypes.NameIdentifier);
        _caller = userId is null ? null : await callers.ForPersonAsync(userId, ct).ConfigureAwait(false);
        return _caller ?? throw new AccessDeniedException(text["Panel.NotSignedIn"]);
    }

    /// <summary>The organizations the person may look at, in name order.</summary>
    public async Task<IReadOnlyList<Organization>> OrganizationsAsync(CancellationToken ct = default)
    {
        if (_organizations is null)
        {
            var caller = await CallerAsync(ct).ConfigureAwait(false);
            _organizations = [.. (await access.OrganizationsAsync(caller, ct).ConfigureAwait(false)).OrderBy(o => o.Name, StringComparer.CurrentCulture)];
        }

        return _organizations;
    }

    /// <summary>The organization the pages show: the preferred one when the person may see it, else their first.</summary>
    public async Task<Organization?> OrganizationAsync(CancellationToken ct = default)
    {
        var organizations = await OrganizationsAsync(ct).ConfigureAwait(false);
        return organizations.FirstOrDefault(o => o.Id == PreferredOrganizationId)
            ?? organizations.FirstOrDefault(o => o.Id == Organization.DefaultId)
            ?? organizations.FirstOrDefault();
    }

    /// <summary>The person's role in the shown organization (hosters administer every one); null when none.</summary>
    public async Task<OrganizationRole?> RoleAsync(CancellationToken ct = default)
    {
        var caller = await CallerAsync(ct).ConfigureAwait(false);
        return await OrganizationAsync(ct).ConfigureAwait(false) is { } organization ? caller.RoleIn(organization.Id) : null;
    }

    /// <summary>Forgets what was read, so the next call reads the accounts again (after a change of role).</summary>
    public void Refresh()
    {
        _caller = null;
        _organizations = null;
    }
}
