using HostPanel.Core.Apps;
using HostPanel.Core.Handover;
using HostPanel.Core.Organizations;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Accounts;

/// <summary>
/// The one place that decides who may do what: resource → organization → the caller's role there.
/// An object the caller may not see is answered exactly like one that does not exist (same
/// message, and lists of "known" names hold only what the caller may see), so nothing tells a
/// name or a count across the wall between organizations. An object the caller may see but not
/// change is refused with <see cref="AccessDeniedException"/>.
/// Every refusal of a person (or of a person's token) is kept as a security event
/// (<see cref="SecurityEventKinds.AccessRefused"/>) and in the audit log (refused), so that
/// probing shows in the audit trail.
/// </summary>
public sealed class AccessControl(IOrganizationStore organizations, IInstanceStore instances, IGroupStore groups, ISecurityEventStore? events = null, TimeProvider? time = null, IAuditLog? audit = null)
{
    /// <summary>Server-wide actions (organizations, quotas, the engine, the proxy, the panel's mail).</summary>
    public static void RequireHoster(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsHosterAdministrator)
        {
            throw new AccessDeniedException(CoreText.Get("NeedsHosterAdministrator"));
        }
    }

    /// <summary>
    /// Like <see cref="RequireHoster"/>, for application services: a refusal is kept as a security
    /// event and in the audit log under <paramref name="action"/>.
    /// </summary>
    public async Task RequireHosterAsync(Caller caller, string action, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsHosterAdministrator)
        {
            await RefusedAsync(caller, action, null, ct).ConfigureAwait(false);
            RequireHoster(caller);
        }
    }

    /// <summary>
    /// Keeps a refusal decided outside this class (a service's own rule, such as "root only") as a
    /// security event and in the audit log, then lets the caller throw.
    /// </summary>
    public Task RecordRefusalAsync(Caller caller, string what, string? organizationId, CancellationToken ct = default) =>
        RefusedAsync(caller, what, organizationId, ct);

    /// <summary>The organizations the caller belongs to (all of them for a hoster administrator).</summary>
    public async Task<IReadOnlyList<Organization>> OrganizationsAsync(Caller caller, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var all = await organizations.ListAsync(ct).ConfigureAwait(false);
        if (all.Count == 0 && caller.IsHosterAdministrator)
        {
            // The default organization exists from the first look on, whichever command that is.
            all = [await organizations.EnsureDefaultAsync(ct).ConfigureAwait(false)];
        }

        return caller.IsHosterAdministrator ? all : [.. all.Where(o => caller.Roles.ContainsKey(o.Id))];
    }

    /// <summary>
    /// The organization <paramref name="organizationId"/> if the caller holds at least
    /// <paramref name="needed"/> there. Null picks the caller's only organization, or the default
    /// one for a hoster administrator.
    /// </summary>
    public async Task<Organization> OrganizationAsync(Caller caller, string? organizationId, OrganizationRole needed, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var visible = await OrganizationsAsync(caller, ct).ConfigureAwait(false);
        if (string.IsNullOrEmpty(organizationId))
        {
            organizationId = caller.IsHosterAdministrator || visible.Count != 1 ? Organization.DefaultId : visible[0].Id;
        }

        var organization = visible.FirstOrDefault(o => o.Id == organizationId);
        if (organization is null)
        {
            if (caller.IsHosterAdministrator && organizationId == Organization.DefaultId)
            {
                return await organizations.EnsureDefaultAsync(ct).ConfigureAwait(false);
            }

            await RefusedAsync(caller, $"organization {organizationId}", null, ct).ConfigureAwait(false);
            throw new AppRequestException("org", CoreText.Format("UnknownOrganization", organizationId, Names(visible.Select(o => o.Id))));
        }

        if (caller.RoleIn(organization.Id) < needed)
        {
            await RefusedAsync(caller, $"organization {organization.Id} needs {needed}", organization.Id, ct).ConfigureAwait(false);
            throw new AccessDeniedException(CoreText.Get("NeedsOrganizationAdministrator"));
        }

        return organization;
    }

    /// <summary>
    /// The app instance <paramref name="name"/>, if the caller may see it and holds at least
    /// <paramref name="needed"/> in its organization. A member sees only the apps their groups may use.
    /// </summary>
    public async Task<AppInstance> AppAsync(Caller caller, string name, OrganizationRole needed, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var instance = await instances.FindAsync(name, ct).ConfigureAwait(false);
        if (instance is null || !await MaySeeAsync(caller, instance, ct).ConfigureAwait(false))
        {
            await RefusedAsync(caller, $"app {name}", null, ct).ConfigureAwait(false);
            var known = await AppsAsync(caller, null, includeRemoved: false, ct).ConfigureAwait(false);
            throw new AppRequestException("instance", CoreText.Format("UnknownInstance", name, Names(known.Select(i => i.Name))));
        }

        if (caller.RoleIn(instance.OrganizationId) < needed)
        {
            await RefusedAsync(caller, $"app {name} needs {needed}", instance.OrganizationId, ct).ConfigureAwait(false);
            throw new AccessDeniedException(CoreText.Get("NeedsOrganizationAdministrator"));
        }

        return instance;
    }

    /// <summary>
    /// The app instances the caller may see, in one organization (refused like an unknown one when
    /// the caller is not in it) or in all of theirs.
    /// </summary>
    public async Task<IReadOnlyList<AppInstance>> AppsAsync(Caller caller, string? organizationId, bool includeRemoved, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (organizationId is not null)
        {
            await OrganizationAsync(caller, organizationId, OrganizationRole.Member, ct).ConfigureAwait(false);
        }

        var all = await instances.ListAsync(organizationId, includeRemoved, ct).ConfigureAwait(false);
        var seen = new List<AppInstance>(all.Count);
        foreach (var instance in all)
        {
            if (await MaySeeAsync(caller, instance, ct).ConfigureAwait(false))
            {
                seen.Add(instance);
            }
        }

        return seen;
    }

    /// <summary>
    /// Whether the person may use the app (sign in to it through single sign-on): a member of its
    /// organization, in one of the groups allowed to use it when the access is restricted.
    /// Administrators of the organization are held to the same list: using an app is not managing it.
    /// </summary>
    public async Task<bool> MayUseAsync(Caller caller, AppInstance instance, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(instance);
        if (!caller.IsPerson || !caller.Roles.ContainsKey(instance.OrganizationId))
        {
            return false;
        }

        var allowed = await groups.AppAccessAsync(instance.Name, ct).ConfigureAwait(false);
        if (allowed is null)
        {
            return true;
        }

        var mine = await groups.GroupsOfAsync(caller.Id, instance.OrganizationId, ct).ConfigureAwait(false);
        return mine.Any(allowed.Contains);
    }

    private async Task<bool> MaySeeAsync(Caller caller, AppInstance instance, CancellationToken ct) =>
        caller.RoleIn(instance.OrganizationId) switch
        {
            OrganizationRole.Administrator => true,
            OrganizationRole.Member => await MayUseAsync(caller, instance, ct).ConfigureAwait(false),
            _ => false,
        };

    private async Task RefusedAsync(Caller caller, string what, string? organizationId, CancellationToken ct)
    {
        if (!caller.IsPerson)
        {
            return;
        }

        var detail = caller.TokenId is null ? what : $"{what} (token {caller.TokenId})";
        if (events is not null)
        {
            await events.AddAsync(new SecurityEvent((time ?? TimeProvider.System).GetUtcNow(), SecurityEventKinds.AccessRefused, caller.Id, caller.Name, null, detail[..Math.Min(detail.Length, 500)]), ct).ConfigureAwait(false);
        }

        // An unknown organization or app stays out of the organization's entries: only hosters read those.
        await audit.RecordAsync(caller, AuditActions.AccessRefused, organizationId, detail, AuditResult.Refused, ct: ct).ConfigureAwait(false);
    }

    /// <summary>Names for a refusal's "known ones" list, or "none".</summary>
    internal static string Names(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? CoreText.Get("NoneKnown") : string.Join(", ", list);
    }
}
