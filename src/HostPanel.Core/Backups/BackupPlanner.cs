using HostPanel.Core.Apps;
using HostPanel.Core.Apps.Planning;
using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Catalog.Planning;
using HostPanel.Core.Operations;

namespace HostPanel.Core.Backups;

/// <summary>Plans of backups and restores, as idempotent steps for the runner. Pure.</summary>
public static class BackupPlanner
{
    /// <summary>Pre-backup hooks, one streamed dump per database, the volumes and the record, post-backup hooks.</summary>
    public static IReadOnlyList<PlanStep> Backup(AppManifest manifest, AppInstance instance)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(instance);
        return
        [
            .. LifecyclePlanner.Hooks(manifest, "pre_backup", manifest.Hooks?.PreBackup),
            .. (manifest.Backup?.Databases ?? []).Select(d => new BackupDatabaseStep(d.Name, manifest.Version)),
            new BackupFilesStep(FileVolumes(manifest), manifest.Version),
            .. PostBackup(manifest),
        ];
    }

    /// <summary>The post-backup hooks: run at the end, and after a failure too.</summary>
    public static IEnumerable<PlanStep> PostBackup(AppManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return LifecyclePlanner.Hooks(manifest, "post_backup", manifest.Hooks?.PostBackup);
    }

    /// <summary>Volumes whose files a backup holds.</summary>
    public static List<string> FileVolumes(AppManifest manifest) =>
        [.. (manifest?.Volumes ?? []).Where(v => v.Value.Backup == BackupClass.Files).Select(v => v.Key)];

    /// <summary>Volumes a restore replaces: files from the backup, databases and caches emptied (databases are then loaded from their dumps).</summary>
    public static List<string> RestoredVolumes(AppManifest manifest, string instance) =>
        [.. (manifest?.Volumes ?? []).Where(v => v.Value.Backup != BackupClass.None).Select(v => ResourceNames.Volume(instance, v.Key))];

    /// <summary>
    /// Restores backup <paramref name="snapshotId"/> (its record: <paramref name="record"/>) into
    /// <paramref name="instance"/>. With <paramref name="previous"/> set, the app exists and is
    /// stopped first; otherwise it is brought up from nothing (reusing the volumes in
    /// <paramref name="existingVolumes"/>). The backup is staged before anything is stopped; the
    /// data it replaces is set aside and dropped only once the app is healthy.
    /// </summary>
    /// <remarks>
    /// Single sign-on: an app brought up from nothing (a new app made from the backup, or one
    /// removed before) gets a client of its own, registered before its containers are created, and
    /// its <c>sso</c> steps run after the post-restore hooks — the restored data holds the
    /// configuration of the client of the app that was backed up, not of this one. An app
    /// restored in place keeps its client and its containers: nothing changes there.
    /// </remarks>
    /// <param name="manifest">The manifest of the backed-up version.</param>
    /// <param name="instance">The app restored into.</param>
    /// <param name="record">The backup's record.</param>
    /// <param name="snapshotId">The backup's snapshot.</param>
    /// <param name="recordPath">Where the record is in the snapshot.</param>
    /// <param name="previous">The state of the existing app restored in place; null for one brought up from nothing.</param>
    /// <param name="existingVolumes">Volumes that already exist (kept data of a removed app).</param>
    /// <param name="sso">For an app brought up from nothing: whether the panel offers single sign-on (none for a restore drill's throw-away copy).</param>
    public static IReadOnlyList<PlanStep> Restore(AppManifest manifest, AppInstance instance, BackupRecord record, string snapshotId, string recordPath, InstanceState? previous, IReadOnlySet<string>? existingVolumes = null, SsoAvailability sso = SsoAvailability.None)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(record);
        var name = instance.Name;
        var volumes = RestoredVolumes(manifest, name);
        var staged = record.Volumes.ToDictionary(v => ResourceNames.Volume(name, v.Key), v => v.Path, StringComparer.Ordinal);
        var databaseServices = record.Databases.Select(d => d.Service).Distinct(StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        var steps = new List<PlanStep> { new SetInstanceStateStep(InstanceState.Restoring, manifest.Version) };
        if (previous is null)
        {
            steps.AddRange(LifecyclePlanner.Infrastructure(manifest, name, existingVolumes));
            steps.AddRange(LifecyclePlanner.Pulls(manifest));
            steps.Add(new StageBackupStep(snapshotId, recordPath, null, [.. record.Volumes.Select(v => v.Path)]));
        }
        else
        {
            steps.Add(new StageBackupStep(snapshotId, recordPath, previous, [.. record.Volumes.Select(v => v.Path)]));
            steps.AddRange(LifecyclePlanner.StopAll(manifest, name));
        }

        steps.Add(new PlaceVolumeDataStep(volumes, staged));
        if (previous is null)
        {
            steps.AddRange(LifecyclePlanner.RegisterSso(manifest, sso));
            steps.AddRange(ServiceOrder.StartOrder(manifest).Select(s => new CreateContainerStep(s, ResourceNames.Container(name, s), manifest.Version)));
        }

        foreach (var service in ServiceOrder.StartOrder(manifest).Where(databaseServices.Contains))
        {
            steps.AddRange(LifecyclePlanner.StartAgain(manifest, name, service));
        }

        steps.AddRange(record.Databases.Select(d => new RestoreDatabaseStep(d.Name, manifest.Version, d.Snapshot, d.File)));
        steps.AddRange(LifecyclePlanner.InWaves(manifest, s => databaseServices.Contains(s) ? [] : LifecyclePlanner.StartAgain(manifest, name, s)));
        steps.AddRange(LifecyclePlanner.Hooks(manifest, "post_restore", manifest.Hooks?.PostRestore));
        if (previous is null)
        {
            steps.AddRange(LifecyclePlanner.SsoHooks(manifest, sso));
        }

        steps.Add(new DropSetAsideDataStep(volumes));
        steps.Add(new SetInstanceStateStep(InstanceState.Running, manifest.Version));
        return steps;
    }

    /// <summary>
    /// Puts things back after a failed restore: the app stopped, the data set aside back in place,
    /// and the app as it was (running again, stopped, removed, or not there at all). An app brought
    /// up from nothing loses the single sign-on client the restore registered
    /// (<paramref name="removeSsoClient"/>).
    /// </summary>
    public static IReadOnlyList<PlanStep> UndoRestore(AppManifest manifest, AppInstance instance, InstanceState? previous, IReadOnlySet<string> volumesThatExistedBefore, bool removeSsoClient = false)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(volumesThatExistedBefore);
        var name = instance.Name;
        var volumes = RestoredVolumes(manifest, name);
        if (previous is { } state)
        {
            List<PlanStep> back = [.. LifecyclePlanner.StopAll(manifest, name), new PutVolumeDataBackStep(volumes)];
            if (state == InstanceState.Running)
            {
                back.AddRange(LifecyclePlanner.InWaves(manifest, s => LifecyclePlanner.StartAgain(manifest, name, s)));
            }

            back.Add(new SetInstanceStateStep(state));
            return back;
        }

        var undo = LifecyclePlanner.UndoInstall(manifest, instance, volumesThatExistedBefore, removeSsoClient).ToList();
        var at = undo.FindIndex(s => s is RemoveVolumeStep or SetInstanceStateStep or ForgetInstanceStep);
        undo.Insert(at < 0 ? undo.Count : at, new PutVolumeDataBackStep(volumes));
        return undo;
    }
}
