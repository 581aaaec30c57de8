using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Handover;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Domains;

/// <summary>
/// The domains of organizations: added once checked, owned by one organization only (another
/// organization can neither use nor learn about it), attached to the app served there.
/// </summary>
public sealed class DomainService(IDomainStore domains, IInstanceStore instances, DomainChecker checker, InstanceLocks locks, TimeProvider time, AccessControl access, Configuration.HostPanelOptions options, IAuditLog? audit = null)
{
    /// <summary>
    /// The lock under which a domain is checked and taken, by every HostPanel process: two
    /// organizations never both get a name.
    /// </summary>
    public const string RegistryLock = "domain-registry";

    /// <summary>
    /// Adds <paramref name="text"/> to organization <paramref name="organizationId"/> (the default
    /// one when null). Adding a name the organization already has changes nothing.
    /// </summary>
    public async Task<DomainRecord> AddAsync(Caller caller, string? text, string? organizationId, ChallengeKind challenge = ChallengeKind.Http01, CancellationToken ct = default)
    {
        var org = (await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false)).Id;
        var name = Parse(text, challenge);
        var added = await locks.RunAsync(RegistryLock, LockWait.Wait, async () =>
        {
            await EnsureFreeAsync(name.Ascii, org, null, name.Unicode, ct).ConfigureAwait(false);
            if (await domains.FindAsync(name.Ascii, ct).ConfigureAwait(false) is { } existing)
            {
                return (Record: existing, New: false);
            }

            var served = (await instances.ListAsync(org, false, ct).ConfigureAwait(false)).FirstOrDefault(i => i.Domain == name.Ascii);
            var record = new DomainRecord(name.Ascii, org, served?.Name, challenge, time.GetUtcNow());
            await domains.SaveAsync(record, ct).ConfigureAwait(false);
            return (Record: record, New: true);
        }, ct).ConfigureAwait(false);
        if (added.New)
        {
            await audit.RecordAsync(caller, AuditActions.DomainAdd, org, name.Unicode, detail: challenge.ToString(), ct: ct).ConfigureAwait(false);
        }

        return added.Record;
    }

    /// <summary>The domains of one organization, or of every organization the caller administers.</summary>
    public async Task<IReadOnlyList<DomainRecord>> ListAsync(Caller caller, string? organizationId, CancellationToken ct = default)
    {
        if (organizationId is not null)
        {
            var org = await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false);
            return await domains.ListAsync(org.Id, ct).ConfigureAwait(false);
        }

        return [.. (await domains.ListAsync(null, ct).ConfigureAwait(false)).Where(d => caller.RoleIn(d.OrganizationId) == OrganizationRole.Administrator)];
    }

    /// <summary>Where <paramref name="text"/> points, compared with this server, in plain words.</summary>
    public Task<DomainCheckResult> CheckAsync(string? text, CancellationToken ct = default) =>
        checker.CheckAsync(Parse(text, ChallengeKind.Dns01), ct);

    /// <summary>
    /// Gives domain <paramref name="name"/> (ASCII, already validated) to app
    /// <paramref name="instance"/> of <paramref name="organizationId"/>: added to the organization
    /// when new; refused when another organization owns it or another app serves it.
    /// </summary>
    public Task AttachAsync(string name, string instance, string organizationId, CancellationToken ct = default) =>
        locks.RunAsync(RegistryLock, LockWait.Wait, async () =>
        {
            await EnsureFreeAsync(name, organizationId, instance, ct: ct).ConfigureAwait(false);
            var existing = await domains.FindAsync(name, ct).ConfigureAwait(false);
            await domains.SaveAsync(existing is null
                ? new DomainRecord(name, organizationId, instance, ChallengeKind.Http01, time.GetUtcNow())
                : existing with { Instance = instance }, ct).ConfigureAwait(false);
        }, ct);

    /// <summary>
    /// The one rule for who may use domain <paramref name="name"/> (ASCII): refused when another
    /// organization owns it or serves it there — without saying which — and, for app
    /// <paramref name="instance"/>, when another app of the same organization serves it. The
    /// refusal shows the name as <paramref name="shown"/> when given.
    /// </summary>
    public async Task EnsureFreeAsync(string name, string organizationId, string? instance, string? shown = null, CancellationToken ct = default)
    {
        if (string.Equals(Edge.EdgeSync.PanelDomain(options.PanelUrl), name, StringComparison.OrdinalIgnoreCase))
        {
            throw new AppRequestException("domain", CoreText.Format("DomainIsThePanels", shown ?? name));
        }

        var owner = await domains.FindAsync(name, ct).ConfigureAwait(false);
        var holder = (await instances.ListAsync(null, false, ct).ConfigureAwait(false)).FirstOrDefault(i => i.Domain == name && i.Name != instance);
        if ((owner is not null && owner.OrganizationId != organizationId) || (holder is not null && holder.OrganizationId != organizationId))
        {
            throw new AppRequestException("domain", CoreText.Format("DomainOfAnotherOrganization", shown ?? name));
        }

        if (instance is not null && holder is not null)
        {
            throw new AppRequestException("domain", CoreText.Format("DomainTaken", shown ?? name, holder.Name));
        }
    }

    /// <summary>The app at <paramref name="name"/> is gone: the domain stays with its organization, free.</summary>
    public async Task DetachAsync(string name, string instance, CancellationToken ct = default)
    {
        if (await domains.FindAsync(name, ct).ConfigureAwait(false) is { } existing && existing.Instance == instance)
        {
            await domains.SaveAsync(existing with { Instance = null }, ct).ConfigureAwait(false);
        }
    }

    private static DomainName Parse(string? text, ChallengeKind challenge)
    {
        var name = DomainName.TryParse(text, allowWildcard: challenge == ChallengeKind.Dns01, out var problem)
            ?? throw new AppRequestException("domain", problem!);
        return DomainName.IsReserved(name.Ascii) ? throw new AppRequestException("domain", CoreText.Format("DomainNotAName", text ?? string.Empty)) : name;
    }
}
