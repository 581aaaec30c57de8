using System.Globalization;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Handover;

/// <summary>
/// The rules behind each bus-factor check, as plain functions of what the panel knows: each
/// returns the findings it raises (none when the situation is safe), worded in the current culture.
/// </summary>
public static class BusFactorRules
{
    /// <summary>How old the last proven restore of an app may be before the check is raised.</summary>
    public static readonly TimeSpan RestoreProofMaxAge = TimeSpan.FromDays(30);

    /// <summary>
    /// An organization (or, with a null id, the whole server's hosters) with fewer than two active
    /// administrators: if the one left goes, nobody can manage it.
    /// </summary>
    public static IEnumerable<BusFactorFinding> SingleAdministrator(string? organizationId, string name, IReadOnlyList<Person> activeAdministrators)
    {
        ArgumentNullException.ThrowIfNull(activeAdministrators);
        if (activeAdministrators.Count >= 2)
        {
            yield break;
        }

        var server = organizationId is null;
        var only = activeAdministrators.Count == 1 ? activeAdministrators[0].Email : null;
        var problem = (server, only) switch
        {
            (true, null) => ContinuityText.Get("SingleHoster.NoneProblem"),
            (true, _) => ContinuityText.Format("SingleHoster.Problem", only),
            (false, null) => ContinuityText.Format("SingleAdministrator.NoneProblem", name),
            (false, _) => ContinuityText.Format("SingleAdministrator.Problem", name, only),
        };
        var fix = (server ? "SingleHoster" : "SingleAdministrator") + (only is null ? ".NoneFix" : ".Fix");
        yield return new BusFactorFinding(BusFactorCheck.SingleAdministrator, organizationId, only, problem, ContinuityText.Get(fix));
    }

    /// <summary>The server's recovery kit: none issued, sealing secrets no longer in use, or held by too few people.</summary>
    public static IEnumerable<BusFactorFinding> RecoveryKit(RecoveryKitSummary? kit)
    {
        if (kit is null)
        {
            yield return new BusFactorFinding(BusFactorCheck.NoRecoveryKit, null, null, ContinuityText.Get("NoRecoveryKit.Problem"), ContinuityText.Get("NoRecoveryKit.Fix"));
            yield break;
        }

        if (!kit.IsCurrent)
        {
            var changed = kit.SecretsChangedAt is { } at
                ? ContinuityText.Format("RecoveryKitOutdated.ProblemSince", Day(kit.IssuedAt), Day(at))
                : ContinuityText.Format("RecoveryKitOutdated.Problem", Day(kit.IssuedAt));
            yield return new BusFactorFinding(BusFactorCheck.RecoveryKitOutdated, null, null, changed, ContinuityText.Get("RecoveryKitOutdated.Fix"));
        }

        // With exactly k holders, losing a single share loses the whole kit.
        var holders = kit.Holders.Distinct(StringComparer.OrdinalIgnoreCase).Count();
        if (holders < kit.Threshold + 1)
        {
            yield return new BusFactorFinding(BusFactorCheck.TooFewHolders, null, null,
                ContinuityText.Format("TooFewHolders.Problem", kit.Threshold, holders),
                ContinuityText.Format("TooFewHolders.Fix", kit.Threshold + 1));
        }
    }

    /// <summary>An installed app whose backups were never proven restorable by a drill, or not for <see cref="RestoreProofMaxAge"/>.</summary>
    public static IEnumerable<BusFactorFinding> RestoreProof(AppInstance instance, DateTimeOffset? lastProven, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (lastProven is { } proven && now - proven <= RestoreProofMaxAge)
        {
            yield break;
        }

        var problem = lastProven is { } last
            ? ContinuityText.Format("NoRecentRestoreProof.Problem", instance.Name, Day(last), (int)RestoreProofMaxAge.TotalDays)
            : ContinuityText.Format("NoRecentRestoreProof.NeverProblem", instance.Name);
        yield return new BusFactorFinding(BusFactorCheck.NoRecentRestoreProof, instance.OrganizationId, instance.Name, problem,
            ContinuityText.Format("NoRecentRestoreProof.Fix", instance.Name));
    }

    /// <summary>External accounts whose access only one person holds.</summary>
    public static IEnumerable<BusFactorFinding> ExternalAccountSingleHolder(IEnumerable<ExternalAccount> accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        foreach (var account in accounts.Where(a => a.Holders.Count < 2))
        {
            var holder = account.Holders.Count == 1 ? account.Holders[0] : "?";
            yield return new BusFactorFinding(BusFactorCheck.ExternalAccountSingleHolder, account.OrganizationId, account.Purpose,
                ContinuityText.Format("ExternalAccountSingleHolder.Problem", account.Purpose, account.Provider, holder),
                ContinuityText.Get("ExternalAccountSingleHolder.Fix"));
        }
    }

    /// <summary>Administrators (of an organization, or hosters with a null id) who sign in without a second step.</summary>
    public static IEnumerable<BusFactorFinding> AdministratorWithoutTwoFactor(string? organizationId, IEnumerable<Person> activeAdministrators)
    {
        ArgumentNullException.ThrowIfNull(activeAdministrators);
        foreach (var person in activeAdministrators.Where(p => !p.TwoFactorEnabled))
        {
            yield return new BusFactorFinding(BusFactorCheck.AdministratorWithoutTwoFactor, organizationId, person.Email,
                ContinuityText.Format(organizationId is null ? "AdministratorWithoutTwoFactor.HosterProblem" : "AdministratorWithoutTwoFactor.Problem", person.Email),
                ContinuityText.Format("AdministratorWithoutTwoFactor.Fix", person.Email));
        }
    }

    private static string Day(DateTimeOffset at) => at.ToString("d", CultureInfo.CurrentCulture);
}

/// <summary>
/// Runs the bus-factor checks the caller may see. An organization administrator gets the checks
/// of their organization and the server-wide recovery-kit checks (the kit covers them too); a
/// hoster administrator also gets the checks about hosters, and every organization's when no
/// organization is named. A member gets none.
/// </summary>
public sealed class BusFactorChecks(
    AccessControl access,
    IMembershipStore memberships,
    IPeopleDirectory people,
    IInstanceStore instances,
    IOperationJournal journal,
    IExternalAccountStore externalAccounts,
    IRecoveryKitState recoveryKit,
    TimeProvider time) : IBusFactorChecks
{
    /// <summary>How many journal entries of an app are read to find its last drill.</summary>
    public const int JournalDepth = 500;

    public async Task<IReadOnlyList<BusFactorFinding>> CheckAsync(Caller caller, string? organizationId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        IReadOnlyList<Organization> organizations;
        if (organizationId is null)
        {
            organizations = [.. (await access.OrganizationsAsync(caller, ct).ConfigureAwait(false))
                .Where(o => caller.RoleIn(o.Id) == OrganizationRole.Administrator)];
        }
        else
        {
            var organization = await access.OrganizationAsync(caller, organizationId, OrganizationRole.Member, ct).ConfigureAwait(false);
            organizations = caller.RoleIn(organization.Id) == OrganizationRole.Administrator ? [organization] : [];
        }

        if (organizations.Count == 0 && !caller.IsHosterAdministrator)
        {
            return [];
        }

        var findings = new List<BusFactorFinding>();
        findings.AddRange(BusFactorRules.RecoveryKit(await recoveryKit.CurrentAsync(ct).ConfigureAwait(false)));
        if (caller.IsHosterAdministrator)
        {
            IReadOnlyList<Person> hosters = [.. (await people.HosterAdministratorsAsync(ct).ConfigureAwait(false)).Where(p => !p.Disabled)];
            findings.AddRange(BusFactorRules.SingleAdministrator(null, string.Empty, hosters));
            findings.AddRange(BusFactorRules.AdministratorWithoutTwoFactor(null, hosters));
        }

        var now = time.GetUtcNow();
        foreach (var organization in organizations)
        {
            var administrators = await ActiveAdministratorsAsync(organization.Id, ct).ConfigureAwait(false);
            findings.AddRange(BusFactorRules.SingleAdministrator(organization.Id, organization.Name, administrators));
            findings.AddRange(BusFactorRules.AdministratorWithoutTwoFactor(organization.Id, administrators));
            findings.AddRange(BusFactorRules.ExternalAccountSingleHolder(await externalAccounts.ListAsync(organization.Id, ct).ConfigureAwait(false)));
            foreach (var instance in (await instances.ListAsync(organization.Id, includeRemoved: false, ct).ConfigureAwait(false))
                .Where(i => i.State != InstanceState.Installing)
                .OrderBy(i => i.Name, StringComparer.Ordinal))
            {
                findings.AddRange(BusFactorRules.RestoreProof(instance, await LastProvenAsync(instance.Name, ct).ConfigureAwait(false), now));
            }
        }

        return findings;
    }

    /// <summary>The organization's administrators who can act: membership not suspended, account not disabled.</summary>
    private async Task<IReadOnlyList<Person>> ActiveAdministratorsAsync(string organizationId, CancellationToken ct)
    {
        var ids = (await memberships.ForOrganizationAsync(organizationId, ct).ConfigureAwait(false))
            .Where(m => m.Role == OrganizationRole.Administrator && !m.Suspended)
            .Select(m => m.UserId)
            .ToList();
        return ids.Count == 0 ? [] : [.. (await people.FindManyAsync(ids, ct).ConfigureAwait(false))
            .Where(p => !p.Disabled)
            .OrderBy(p => p.Email, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>When a drill last proved the app restorable (the same rule as the backups' own view).</summary>
    private async Task<DateTimeOffset?> LastProvenAsync(string instance, CancellationToken ct) =>
        (await journal.ListAsync(instance, null, JournalDepth, ct).ConfigureAwait(false))
            .Where(o => o.Kind == OperationKind.Drill && o.State == OperationState.Succeeded)
            .Select(o => o.FinishedAt)
            .Max();
}
