using HostPanel.Core.Accounts;
using System.Text.RegularExpressions;
using HostPanel.Core.Apps;
using HostPanel.Core.Apps.Planning;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using HostPanel.Core.Resources;
using HostPanel.Core.Secrets;

namespace HostPanel.Core.Backups;

/// <summary>
/// Backups and restores of installed apps, the one service behind the panel and the CLI. Every
/// backup and restore is an operation in the journal, run under the app's lock and the
/// repository's lock; a restore is staged and checked before the app is touched.
/// </summary>
public sealed partial class BackupService(
    BackupRepositories repositories,
    IRestic restic,
    IInstanceStore instances,
    IPackageArchive packages,
    ISecretStore secrets,
    IOrganizationStore organizations,
    IOperationJournal journal,
    OperationRunner runner,
    InstanceLocks locks,
    IContainerEngine engine,
    BackupStepExecutor steps,
    TimeProvider time,
    AccessControl access,
    Domains.DomainService? domainService = null,
    Organizations.OrganizationService? organizationService = null,
    ISsoClientRegistry? sso = null,
    Handover.IAuditLog? audit = null) : IPreUpdateBackup
{
    /// <summary>Below this much free space on a local target, a backup does not start.</summary>
    public const long MinimumFreeBytes = 64L * 1024 * 1024;

    /// <summary>Backs up one app now; returns the finished operation (Succeeded, or Failed with the reason).</summary>
    public async Task<Operation> BackupAsync(string name, Caller caller, CancellationToken ct = default)
    {
        await access.AppAsync(caller, name, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        return await BackupHeldAsync(name, caller.Name, ct).ConfigureAwait(false);
    }

    private Task<Operation> BackupHeldAsync(string name, string actor, CancellationToken ct) =>
        ExclusiveAsync(name, async () =>
        {
            var instance = await instances.FindAsync(name, ct).ConfigureAwait(false);
            if (instance is null || instance.State == InstanceState.Removed)
            {
                throw new AppRequestException("instance", CoreText.Format("UnknownInstance", name, CoreText.Get("NoneKnown")));
            }

            if (instance.State != InstanceState.Running)
            {
                throw new AppRequestException("instance", CoreText.Format("BackupNeedsRunningApp", name, instance.State));
            }

            var manifest = await packages.ManifestAsync(name, instance.Version, ct).ConfigureAwait(false);
            var operation = NewOperation(instance.Name, instance.OrganizationId, OperationKind.Backup, actor, instance.Version, instance.Version);
            await journal.CreateAsync(operation, BackupPlanner.Backup(manifest, instance), ct).ConfigureAwait(false);
            return await WithRepositoryAsync(instance.OrganizationId, async repository =>
            {
                await PreflightAsync(repository, ct).ConfigureAwait(false);
                return await runner.RunAsync(operation.Id, ct).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        }, ct);

    /// <summary>The pre-update backup: refuses the update (with the reason) when it does not succeed.</summary>
    async Task IPreUpdateBackup.BackupBeforeUpdateAsync(AppInstance instance, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(instance);
        Operation backup;
        try
        {
            backup = await BackupHeldAsync(instance.Name, actor, ct).ConfigureAwait(false);
        }
        catch (AppRequestException e)
        {
            throw new AppRequestException("backup", CoreText.Format("UpdateNeedsBackup", instance.Name, e.Message));
        }

        if (backup.State != OperationState.Succeeded)
        {
            throw new AppRequestException("backup", CoreText.Format("UpdateNeedsBackup", instance.Name, backup.Outcome ?? backup.State.ToString()));
        }
    }

    /// <summary>
    /// The backups of an organization (or of every organization the caller administers), of one
    /// app when named, oldest first.
    /// </summary>
    public async Task<IReadOnlyList<BackupEntry>> ListAsync(Caller caller, string? organizationId, string? instance = null, CancellationToken ct = default)
    {
        var result = new List<BackupEntry>();
        foreach (var org in await AdministeredAsync(caller, organizationId, ct).ConfigureAwait(false))
        {
            var repository = await repositories.DescribeAsync(org, ct).ConfigureAwait(false);
            if (!await ExistsAsync(repository, ct).ConfigureAwait(false))
            {
                continue;
            }

            List<string> tags = [BackupTags.Marker, BackupTags.MainPart];
            if (instance is not null)
            {
                tags.Add(BackupTags.Instance(instance));
            }

            result.AddRange((await Call(repository, () => restic.SnapshotsAsync(repository, tags, ct)).ConfigureAwait(false)).Select(s => Entry(s, org)));
        }

        return [.. result.OrderBy(e => e.Time)];
    }

    /// <summary>
    /// Restores backup <paramref name="snapshot"/> (an id or its prefix) into its app — or into
    /// <paramref name="toInstance"/>, a new app made from the backup. The running app is left as
    /// it was when anything fails before the restored app is healthy.
    /// </summary>
    public async Task<Operation> RestoreAsync(string snapshot, Caller caller, string? toInstance = null, string? organizationId = null, string? domain = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var searched = await AdministeredAsync(caller, organizationId, ct).ConfigureAwait(false);
        return await RestoreCoreAsync(snapshot, caller.Name, toInstance, searched, domain, drillCopy: false, caller, ct).ConfigureAwait(false);
    }

    // drillCopy: a restore drill's throw-away copy, on a reserved address, not counted against
    // the organization's quota. caller: who asked, when a person did (a drill's copy is the
    // panel's own doing, already allowed).
    private async Task<Operation> RestoreCoreAsync(string snapshot, string actor, string? toInstance, IReadOnlyList<string> searched, string? domain, bool drillCopy, Caller? caller, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(snapshot) || !SnapshotPattern().IsMatch(snapshot))
        {
            throw new AppRequestException("snapshot", CoreText.Format("BackupSnapshotInvalid", snapshot ?? string.Empty));
        }

        var (org, repository, listing) = await FindSnapshotAsync(snapshot, searched, ct).ConfigureAwait(false);
        var (found, nodes) = (listing.Snapshot, listing.Nodes);
        var recordPaths = nodes.Where(n => n.Type == "file" && n.Path.EndsWith("/" + BackupRecord.FileName, StringComparison.Ordinal)).Select(n => n.Path).ToList();
        if (recordPaths.Count != 1)
        {
            throw new AppRequestException("snapshot", CoreText.Format("BackupNotHostPanel", found.ShortId));
        }

        BackupRecord record;
        try
        {
            record = await Call(repository, () => BackupStepExecutor.ReadRecordAsync(restic, repository, found.Id, recordPaths[0], ct)).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw new AppRequestException("snapshot", CoreText.Format("BackupRecordUnreadable", found.ShortId, e.Message));
        }

        var problem = BackupPaths.FindProblem(nodes, record, recordPaths[0]);
        if (problem is not null)
        {
            throw new AppRequestException("snapshot", CoreText.Format("BackupUnsafePath", problem));
        }

        var name = toInstance ?? record.Instance;
        return await ExclusiveAsync(name, async () =>
        {
            var existing = await instances.FindAsync(name, ct).ConfigureAwait(false);
            if (existing is not null && caller is not null && caller.RoleIn(existing.OrganizationId) != OrganizationRole.Administrator)
            {
                // The name belongs to another organization's app (or its kept data): only that it is taken is said.
                throw new AppRequestException("name", CoreText.Format("InstanceNameTaken", name));
            }

            IReadOnlyList<PlanStep> plan;
            if (existing is not null && existing.State != InstanceState.Removed)
            {
                if (existing.AppId != record.App || existing.Version != record.Version)
                {
                    throw new AppRequestException("snapshot", CoreText.Format("RestoreOtherAppOrVersion", found.ShortId, record.App, record.Version, name, existing.AppId, existing.Version));
                }

                if (existing.State is not (InstanceState.Running or InstanceState.Stopped))
                {
                    throw new AppRequestException("instance", CoreText.Format("InstanceBusy", name));
                }

                var manifest = await packages.ManifestAsync(name, existing.Version, ct).ConfigureAwait(false);
                plan = BackupPlanner.Restore(manifest, existing, record, found.Id, recordPaths[0], existing.State);
            }
            else
            {
                plan = await PrepareFreshAsync(name, existing, record, found, recordPaths[0], org, domain, drillCopy, ct).ConfigureAwait(false);
            }

            var operation = NewOperation(name, existing?.OrganizationId ?? org, OperationKind.Restore, actor, existing?.State == InstanceState.Removed ? null : existing?.Version, record.Version);
            await journal.CreateAsync(operation, plan, ct).ConfigureAwait(false);
            return await WithRepositoryAsync(operation.OrganizationId, _ => runner.RunAsync(operation.Id, ct), ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Restore drill: the app's latest backup is restored as a throw-away copy on networks of its
    /// own, which must become healthy and answer the manifest's probe as the app did when it was
    /// backed up; the copy is then removed. The result is recorded as a Drill operation of the
    /// app (the last one that succeeded is "last proven restorable").
    /// </summary>
    public async Task<Operation> DrillAsync(string name, Caller caller, CancellationToken ct = default)
    {
        await access.AppAsync(caller, name, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        return await DrillHeldAsync(name, caller, ct).ConfigureAwait(false);
    }

    private Task<Operation> DrillHeldAsync(string name, Caller caller, CancellationToken ct) =>
        ExclusiveAsync(name, async () =>
        {
            var actor = caller.Name;
            var instance = await instances.FindAsync(name, ct).ConfigureAwait(false);
            if (instance is null || instance.State == InstanceState.Removed)
            {
                throw new AppRequestException("instance", CoreText.Format("UnknownInstance", name, CoreText.Get("NoneKnown")));
            }

            var latest = (await ListAsync(caller, instance.OrganizationId, name, ct).ConfigureAwait(false)).LastOrDefault()
                ?? throw new AppRequestException("instance", CoreText.Format("DrillNoBackup", name));
            var copy = $"drill-{Guid.NewGuid():N}"[..14];
            var operation = NewOperation(name, instance.OrganizationId, OperationKind.Drill, actor, latest.Version, latest.Version);
            await journal.CreateAsync(operation, [new DrillStep(latest.SnapshotId, copy)], ct).ConfigureAwait(false);
            return await runner.RunAsync(operation.Id, ct).ConfigureAwait(false);
        }, ct);

    /// <summary>
    /// Rebuilds a server from a repository and its password (a fresh machine, or one whose panel
    /// was lost): each organization found in the backups is created if missing and keeps backing
    /// up into that repository; the latest backup of every app that is not installed here is
    /// restored. Apps already installed are left alone, and so are apps <paramref name="include"/>
    /// (when given) says no to — a recovery that knows from the panel's state which apps were
    /// removed on purpose. Returns the restore operations.
    /// </summary>
    public async Task<IReadOnlyList<Operation>> RestoreAllAsync(string location, string password, string? sshKeyFile, string? sshKnownHostsFile, Caller caller, CancellationToken ct = default, Func<string, bool>? include = null)
    {
        AccessControl.RequireHoster(caller);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var repository = new ResticRepository
        {
            Location = BackupRepositories.ValidateLocation(location),
            Password = password,
            SshKeyFile = sshKeyFile,
            SshKnownHostsFile = sshKnownHostsFile,
        };
        if (!await ExistsAsync(repository, ct).ConfigureAwait(false))
        {
            throw new AppRequestException("target", CoreText.Format("BackupRepositoryNotFound", repository.Location));
        }

        var latest = (await Call(repository, () => restic.SnapshotsAsync(repository, [BackupTags.Marker, BackupTags.MainPart], ct)).ConfigureAwait(false))
            .GroupBy(s => BackupTags.Value(s.Tags, "instance") ?? string.Empty, StringComparer.Ordinal)
            .Where(g => g.Key.Length > 0)
            .Select(g => g.OrderBy(s => s.Time).Last())
            .ToList();
        var byOrganization = latest.GroupBy(s => BackupTags.Value(s.Tags, "org") ?? Organizations.Organization.DefaultId, StringComparer.Ordinal);
        var restored = new List<Operation>();
        foreach (var group in byOrganization)
        {
            var org = group.Key;
            if (await organizations.FindAsync(org, ct).ConfigureAwait(false) is null)
            {
                if (org == Organizations.Organization.DefaultId)
                {
                    await organizations.EnsureDefaultAsync(ct).ConfigureAwait(false);
                }
                else
                {
                    await organizations.AddAsync(new Organizations.Organization(org, org, time.GetUtcNow()), ct).ConfigureAwait(false);
                }
            }

            // The organization goes on backing up where its backups are, with their password.
            await secrets.SetAsync(BackupRepositories.SecretOwner(org), BackupRepositories.PasswordName, password, ct).ConfigureAwait(false);
            await repositories.SetTargetAsync(org, repository.Location, sshKeyFile, sshKnownHostsFile, ct).ConfigureAwait(false);
            foreach (var snapshot in group.OrderBy(s => s.Time))
            {
                var name = BackupTags.Value(snapshot.Tags, "instance")!;
                if (include?.Invoke(name) == false || await instances.FindAsync(name, ct).ConfigureAwait(false) is { State: not InstanceState.Removed })
                {
                    continue;
                }

                restored.Add(await RestoreAsync(snapshot.Id, caller, null, org, null, ct).ConfigureAwait(false));
            }
        }

        return restored;
    }

    /// <summary>
    /// A new password for the organization's backup repository; the old one (and any other key)
    /// stops opening it. For when someone who knew it leaves. Returns the ids of the keys removed.
    /// </summary>
    public async Task<IReadOnlyList<string>> RotateKeyAsync(Caller caller, string organizationId, CancellationToken ct = default)
    {
        var organization = await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        return await WithRepositoryAsync(organization.Id, repository =>
            Call(repository, () => repositories.RotatePasswordAsync(organization.Id, repository, ct)), ct).ConfigureAwait(false);
    }

    /// <summary>When the app was last proven restorable by a drill, if ever.</summary>
    public async Task<DateTimeOffset?> LastProvenAsync(string name, CancellationToken ct = default) =>
        (await journal.ListAsync(name, null, 500, ct).ConfigureAwait(false))
            .Where(o => o.Kind == OperationKind.Drill && o.State == OperationState.Succeeded)
            .Select(o => o.FinishedAt)
            .FirstOrDefault();

    /// <summary>The drill step itself (see <see cref="DrillAsync"/>); run again after a crash, it removes a copy left behind first.</summary>
    internal async Task DrillCopyAsync(Operation operation, AppInstance instance, DrillStep step, CancellationToken ct)
    {
        await RemoveCopyAsync(step.Copy, operation.Actor, ct).ConfigureAwait(false);
        try
        {
            var restore = await RestoreCoreAsync(step.SnapshotId, operation.Actor, step.Copy, [instance.OrganizationId], $"{step.Copy}.drill.invalid", drillCopy: true, null, ct).ConfigureAwait(false);
            if (restore.State != OperationState.Succeeded)
            {
                throw new OperationFailedException(CoreText.Format("DrillRestoreFailed", instance.Name, restore.Outcome ?? restore.State.ToString()), $"restore of the copy {step.Copy}: {restore.Detail}");
            }

            var copy = (await instances.FindAsync(step.Copy, ct).ConfigureAwait(false))!;
            var manifest = await packages.ManifestAsync(copy.Name, copy.Version, ct).ConfigureAwait(false);
            if (manifest.Backup?.Probe is { } probe)
            {
                var repository = await repositories.DescribeAsync(instance.OrganizationId, ct).ConfigureAwait(false);
                var nodes = await restic.ListAsync(repository, step.SnapshotId, ct).ConfigureAwait(false);
                var recordPath = nodes.First(n => n.Path.EndsWith("/" + BackupRecord.FileName, StringComparison.Ordinal)).Path;
                var expected = (await BackupStepExecutor.ReadRecordAsync(restic, repository, step.SnapshotId, recordPath, ct).ConfigureAwait(false)).Probe;
                var got = await steps.ProbeAsync(manifest, copy, probe, ct).ConfigureAwait(false);
                if (got != expected)
                {
                    throw new OperationFailedException(
                        CoreText.Format("DrillProbeDiffers", instance.Name, expected ?? "?", got ?? "?"),
                        $"probe in {probe.Service}: the backup recorded '{expected}', the restored copy answers '{got}'");
                }
            }
        }
        finally
        {
            await RemoveCopyAsync(step.Copy, operation.Actor, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Removes a drill's copy with its data and secrets (nothing to do when it is not there).</summary>
    private async Task RemoveCopyAsync(string copy, string actor, CancellationToken ct)
    {
        var found = await instances.FindAsync(copy, ct).ConfigureAwait(false);
        if (found is null)
        {
            return;
        }

        var manifest = await packages.ManifestAsync(copy, found.Version, ct).ConfigureAwait(false);
        var operation = NewOperation(copy, found.OrganizationId, OperationKind.Purge, actor, found.Version, null);
        await journal.CreateAsync(operation, await AppRemoval.PlanAsync(engine, manifest, found, purge: true, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        var removed = await runner.RunAsync(operation.Id, ct).ConfigureAwait(false);
        if (removed.State != OperationState.Succeeded)
        {
            throw new OperationFailedException(CoreText.Format("DrillCopyLeft", copy), removed.Detail ?? removed.State.ToString());
        }
    }

    /// <summary>
    /// The repository's location and password, for a person who must restore without HostPanel.
    /// Recorded in the journal (who, when), never the password itself.
    /// </summary>
    public async Task<(string Repository, string Password)> ExportKeyAsync(string? organizationId, Caller caller, CancellationToken ct = default)
    {
        var org = (await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false)).Id;
        var actor = caller.Name;
        var described = await repositories.DescribeAsync(org, ct).ConfigureAwait(false);
        var repository = await Call(described, () => repositories.OpenAsync(org, ct)).ConfigureAwait(false);
        var operation = NewOperation(BackupRepositories.SecretOwner(org), org, OperationKind.BackupKeyExport, actor, null, null);
        await journal.CreateAsync(operation, [], ct).ConfigureAwait(false);
        var said = CoreText.Format("BackupKeyExported", org, actor);
        await journal.AppendLogAsync(operation.Id, "warn", said, time.GetUtcNow(), ct).ConfigureAwait(false);
        await journal.SetStateAsync(operation.Id, OperationState.Succeeded, said, repository.Location, time.GetUtcNow(), ct).ConfigureAwait(false);

        // Not run by the operation runner: recorded here. The location is kept, never the password.
        await Handover.AuditTrail.RecordAsync(audit, caller, Handover.AuditActions.ForOperation(OperationKind.BackupKeyExport), org, org, detail: repository.Location, operationId: operation.Id, ct: ct).ConfigureAwait(false);
        return (repository.Location, repository.Password);
    }

    /// <summary>
    /// Maintenance of the organization's repository: the retention (7 daily, 4 weekly, 6 monthly
    /// backups per app), a prune of the data no backup uses any more, then <c>restic check</c>
    /// reading one thirtieth of the data chosen by the day of the month (every pack read at
    /// least once a month by daily checks), or all of it.
    /// </summary>
    public async Task<ResticCheckResult> CheckAsync(string? organizationId, Caller caller, bool readAll = false, CancellationToken ct = default)
    {
        var org = (await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false)).Id;
        var repository = await repositories.DescribeAsync(org, ct).ConfigureAwait(false);
        var subset = readAll ? "1/1" : $"{((time.GetUtcNow().Day - 1) % 30) + 1}/30";
        return await WithRepositoryAsync(org, _ => Call(repository, () => repositories.ClearingStaleLocksAsync(repository, async () =>
        {
            string? pruneFailed = null;
            try
            {
                await ForgetBeyondRetentionAsync(repository, org, ct).ConfigureAwait(false);
                await restic.PruneAsync(repository, ct).ConfigureAwait(false);
            }
            catch (ResticException e) when (e.Failure is ResticFailure.Damaged or ResticFailure.Other)
            {
                // A damaged repository may refuse to prune: the check below says what is wrong.
                pruneFailed = e.Message;
            }

            var check = await restic.CheckAsync(repository, subset, ct).ConfigureAwait(false);
            return pruneFailed is null ? check : new ResticCheckResult(false, $"prune: {pruneFailed}\n{check.Output}");
        }, ct)), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Where the organization's backups go, for its administrators to see: the place, never the
    /// password (which <see cref="ExportKeyAsync"/> hands over, recorded).
    /// </summary>
    public async Task<BackupPlace> TargetAsync(Caller caller, string? organizationId, CancellationToken ct = default)
    {
        var org = (await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false)).Id;
        return await repositories.PlaceAsync(org, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets the organization's backup target (checked and opened first). A hosting administrator's
    /// decision: a target names paths on this server (a directory, an SSH key file).
    /// </summary>
    public async Task SetTargetAsync(Caller caller, string? organizationId, string location, string? sshKeyFile = null, string? sshKnownHostsFile = null, CancellationToken ct = default)
    {
        await access.RequireHosterAsync(caller, Handover.AuditActions.BackupTarget, ct).ConfigureAwait(false);
        var org = (await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false)).Id;
        await WithRepositoryAsync(org, _ => repositories.SetTargetAsync(org, location, sshKeyFile, sshKnownHostsFile, ct), ct).ConfigureAwait(false);
        var place = await repositories.PlaceAsync(org, ct).ConfigureAwait(false);
        await Handover.AuditTrail.RecordAsync(audit, caller, Handover.AuditActions.BackupTarget, org, org, detail: place.Location, ct: ct).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<PlanStep>> PrepareFreshAsync(string name, AppInstance? removed, BackupRecord record, ResticSnapshot found, string recordPath, string org, string? domain, bool drillCopy, CancellationToken ct)
    {
        if (!AppNamePattern().IsMatch(name))
        {
            throw new AppRequestException("name", CoreText.Format("BadInstanceName", name));
        }

        if (removed is not null && removed.AppId != record.App)
        {
            throw new AppRequestException("name", CoreText.Format("InstanceNameTakenOtherApp", name, removed.AppId));
        }

        if (await organizations.FindAsync(record.Organization, ct).ConfigureAwait(false) is null && record.Organization != org)
        {
            throw new AppRequestException("org", CoreText.Format("UnknownOrganization", record.Organization, org));
        }

        var address = domain is null
            ? record.Domain
            : (Domains.DomainName.TryParse(domain, allowWildcard: false, out var problem) ?? throw new AppRequestException("domain", problem!)).Ascii;
        if (!drillCopy && address is not null && Domains.DomainName.IsReserved(address))
        {
            throw new AppRequestException("domain", CoreText.Format("DomainNotAName", address));
        }

        // A new app from a backup is held to the organization's quota like an install.
        var package = new AppPackage(record.ManifestYaml, record.Files);
        var manifest = DirectoryAppCatalog.Parse(package, name);
        if (!drillCopy && organizationService is not null)
        {
            await organizationService.EnsureWithinQuotaAsync(org, manifest, removed?.Name, ct).ConfigureAwait(false);
        }

        if (address is not null && domainService is not null)
        {
            await domainService.EnsureFreeAsync(address, org, name, ct: ct).ConfigureAwait(false);
        }

        if (!drillCopy && address is not null && domainService is not null)
        {
            await domainService.AttachAsync(address, name, org, ct).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        var instance = new AppInstance
        {
            Name = name,
            OrganizationId = org,
            AppId = record.App,
            Version = record.Version,
            Revision = record.Revision,
            Domain = address,
            Path = record.Path,
            State = InstanceState.Restoring,
            Answers = record.Answers,
            CreatedAt = removed?.CreatedAt ?? now,
            UpdatedAt = now,
        };
        if (removed is null)
        {
            await instances.AddAsync(instance, ct).ConfigureAwait(false);
        }
        else
        {
            await instances.UpdateAsync(instance, ct).ConfigureAwait(false);
        }

        await packages.SaveAsync(name, record.Version, package, ct).ConfigureAwait(false);

        // Exactly the backed-up secrets: files restored with the app may hold them (a database
        // password in a configuration file).
        foreach (var (key, value) in record.Secrets)
        {
            await secrets.SetAsync(name, key, value, ct).ConfigureAwait(false);
        }

        var existing = (await engine.Volumes.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, name), ct).ConfigureAwait(false))
            .Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        var availability = drillCopy ? SsoAvailability.None : await SsoPlanning.AvailabilityAsync(sso, name, ct).ConfigureAwait(false);
        return BackupPlanner.Restore(manifest, instance, record, found.Id, recordPath, null, existing, availability);
    }

    private async Task<(string Organization, ResticRepository Repository, ResticListing Listing)> FindSnapshotAsync(string snapshot, IReadOnlyList<string> searched, CancellationToken ct)
    {
        var missing = new List<string>();
        foreach (var org in searched)
        {
            var repository = await repositories.DescribeAsync(org, ct).ConfigureAwait(false);
            if (!await ExistsAsync(repository, ct).ConfigureAwait(false))
            {
                missing.Add(repository.Location);
                continue;
            }

            // One restic run finds the snapshot and lists its tree (each run costs a key derivation).
            ResticListing? listing;
            try
            {
                listing = await restic.FindAsync(repository, snapshot, ct).ConfigureAwait(false);
            }
            catch (ResticException e) when (e.Failure == ResticFailure.Ambiguous)
            {
                throw new AppRequestException("snapshot", CoreText.Format("BackupSnapshotAmbiguous", snapshot));
            }
            catch (ResticException e)
            {
                throw new AppRequestException("target", BackupRepositories.Explain(e, repository.Location));
            }

            // A database part, or a snapshot HostPanel did not make, is not a backup to restore.
            if (listing is { Snapshot.Tags: var tags } && tags.Contains(BackupTags.Marker) && tags.Contains(BackupTags.MainPart))
            {
                return (org, repository, listing);
            }
        }

        // A target that holds no repository is the likelier explanation: say so.
        throw missing.Count > 0 && (searched.Count == 1 || missing.Count == 1)
            ? new AppRequestException("target", CoreText.Format("BackupRepositoryNotFound", string.Join(", ", missing)))
            : new AppRequestException("snapshot", CoreText.Format("BackupSnapshotUnknown", snapshot));
    }

    private async Task<bool> ExistsAsync(ResticRepository repository, CancellationToken ct) =>
        BackupRepositories.IsPresentLocally(repository)
        || await Call(repository, () => restic.ExistsAsync(repository, ct)).ConfigureAwait(false);

    /// <summary>Runs a restic call; its failure becomes a refusal in plain words.</summary>
    private static async Task<T> Call<T>(ResticRepository repository, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ResticException e)
        {
            throw new AppRequestException("target", BackupRepositories.Explain(e, repository.Location));
        }
    }

    /// <summary>The named organization if the caller administers it, else every organization they administer.</summary>
    private async Task<IReadOnlyList<string>> AdministeredAsync(Caller caller, string? organizationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (organizationId is not null)
        {
            return [(await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false)).Id];
        }

        var all = (await access.OrganizationsAsync(caller, ct).ConfigureAwait(false))
            .Where(o => caller.RoleIn(o.Id) == OrganizationRole.Administrator).Select(o => o.Id).ToList();
        return all.Count > 0 || !caller.IsHosterAdministrator ? all : [(await organizations.EnsureDefaultAsync(ct).ConfigureAwait(false)).Id];
    }

    /// <summary>
    /// Runs <paramref name="body"/> holding the organization's repository lock (one HostPanel
    /// process at a time uses a repository); restic locks a dead process of this server left are
    /// cleared when they get in the way (<see cref="BackupRepositories.ClearingStaleLocksAsync"/>).
    /// </summary>
    private Task<T> WithRepositoryAsync<T>(string organizationId, Func<ResticRepository, Task<T>> body, CancellationToken ct) =>
        locks.RunAsync(RepositoryLock(organizationId), LockWait.Wait, async () =>
        {
            var described = await repositories.DescribeAsync(organizationId, ct).ConfigureAwait(false);
            var repository = await Call(described, () => repositories.OpenAsync(organizationId, ct)).ConfigureAwait(false);
            return await body(repository).ConfigureAwait(false);
        }, ct);

    private static string RepositoryLock(string organizationId) => $"backup-repository.{organizationId}";

    /// <summary>A local target with almost no free space fails early, before the app is put in maintenance.</summary>
    private static Task PreflightAsync(ResticRepository repository, CancellationToken ct)
    {
        _ = ct;
        if (repository.Location.StartsWith('/') && Directory.Exists(repository.Location))
        {
            var free = new DriveInfo(repository.Location).AvailableFreeSpace;
            if (free < MinimumFreeBytes)
            {
                throw new AppRequestException("target", CoreText.Format("BackupNoSpaceBefore", repository.Location, free / (1024 * 1024)));
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The retention, per app: backups beyond the policy are forgotten with their dumps, so are
    /// the dumps of runs that never got their main snapshot (a killed backup) and a second main
    /// snapshot of one run (a step run again after a crash). Runs with the maintenance, not
    /// after each backup: every restic run costs a key derivation.
    /// </summary>
    private async Task ForgetBeyondRetentionAsync(ResticRepository repository, string organizationId, CancellationToken ct)
    {
        var all = await restic.SnapshotsAsync(repository, [BackupTags.Marker], ct).ConfigureAwait(false);
        var forget = new List<string>();
        foreach (var app in all.GroupBy(s => BackupTags.Value(s.Tags, "instance") ?? string.Empty, StringComparer.Ordinal))
        {
            var mains = app.Where(s => s.Tags.Contains(BackupTags.MainPart))
                .GroupBy(s => BackupTags.Value(s.Tags, "run"), StringComparer.Ordinal)
                .Select(run => run.OrderBy(s => s.Time).Last())
                .ToList();
            var keep = Retention.Keep(mains.Select(s => Entry(s, organizationId)), Policy);
            var keptRuns = mains.Where(s => keep.Contains(s.Id)).Select(s => BackupTags.Value(s.Tags, "run")).ToHashSet(StringComparer.Ordinal);
            forget.AddRange(app.Where(s => !keptRuns.Contains(BackupTags.Value(s.Tags, "run")) || (s.Tags.Contains(BackupTags.MainPart) && !keep.Contains(s.Id))).Select(s => s.Id));
        }

        await restic.ForgetAsync(repository, forget, ct).ConfigureAwait(false);
    }

    /// <summary>How many backups of each app are kept (7 daily, 4 weekly, 6 monthly).</summary>
    public ResticRetention Policy { get; init; } = new();

    private Task<T> ExclusiveAsync<T>(string name, Func<Task<T>> body, CancellationToken ct) =>
        AppGate.RunAsync(locks, journal, name, body, ct);

    private static BackupEntry Entry(ResticSnapshot s, string org) => new(
        s.Id,
        s.ShortId,
        s.Time,
        BackupTags.Value(s.Tags, "org") ?? org,
        BackupTags.Value(s.Tags, "instance") ?? "?",
        BackupTags.Value(s.Tags, "app") ?? "?",
        BackupTags.Value(s.Tags, "version") ?? "?");

    private Operation NewOperation(string instance, string organization, OperationKind kind, string actor, string? from, string? to) => new()
    {
        Id = Guid.CreateVersion7(time.GetUtcNow()),
        Instance = instance,
        OrganizationId = organization,
        Kind = kind,
        Actor = actor,
        FromVersion = from,
        ToVersion = to,
        CreatedAt = time.GetUtcNow(),
    };

    [GeneratedRegex(AppInstance.NamePattern)]
    private static partial Regex AppNamePattern();

    [GeneratedRegex("^[0-9a-f]{4,64}$")]
    private static partial Regex SnapshotPattern();
}

/// <summary>The backup the lifecycle asks for before an update (none when backups are not set up).</summary>
public interface IPreUpdateBackup
{
    /// <summary>Backs the app up; throws <see cref="AppRequestException"/> with the reason when that fails.</summary>
    Task BackupBeforeUpdateAsync(AppInstance instance, string actor, CancellationToken ct);
}
