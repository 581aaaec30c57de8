using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Organizations;

namespace HostPanel.Web.Components.Pages.People;

/// <summary>An app of the organization and who may use it: null for every member, else the groups (none: nobody).</summary>
public sealed record AppAccess(AppInstance App, IReadOnlyList<string>? Groups);

/// <summary>What the People page shows of one organization, read in one go through the member service.</summary>
public sealed record PeopleData(
    Caller Caller,
    Organization Organization,
    IReadOnlyList<MemberView> Members,
    IReadOnlyList<Invitation> Invitations,
    IReadOnlyList<(Group Group, IReadOnlyList<string> Members)> Groups,
    IReadOnlyList<AppAccess> Apps)
{
    /// <summary>The server's hosters, read only for a hoster (null for everyone else).</summary>
    public IReadOnlyList<Person>? Hosters { get; init; }

    /// <summary>Reads everything the page shows; each call decides access as the services do.</summary>
    public static async Task<PeopleData> ReadAsync(MemberService members, AccessControl access, Caller caller, Organization organization, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(organization);
        var list = await members.ListAsync(caller, organization.Id, ct).ConfigureAwait(false);
        var invitations = await members.InvitationsAsync(caller, organization.Id, ct).ConfigureAwait(false);
        var groups = await members.GroupsAsync(caller, organization.Id, ct).ConfigureAwait(false);
        var apps = new List<AppAccess>();
        foreach (var app in (await access.AppsAsync(caller, organization.Id, includeRemoved: false, ct).ConfigureAwait(false)).OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            apps.Add(new AppAccess(app, await members.AppAccessAsync(caller, app.Name, ct).ConfigureAwait(false)));
        }

        return new PeopleData(caller, organization, list, [.. invitations.OrderBy(i => i.ExpiresAt)], [.. groups.OrderBy(g => g.Group.Name, StringComparer.Ordinal)], apps)
        {
            Hosters = caller.IsHosterAdministrator ? await members.HostersAsync(caller, ct).ConfigureAwait(false) : null,
        };
    }
}
