using HostPanel.Core.Operations;

namespace HostPanel.Core.Backups;

/// <summary>
/// Streams the dump of database <paramref name="Name"/> (manifest <c>backup.databases</c>) from
/// an exec in its service straight into restic (no dump file on disk), as a snapshot part of
/// this operation's run.
/// </summary>
public sealed record BackupDatabaseStep(string Name, string Version) : PlanStep
{
    public override string Describe() => $"dump database {Name} into the backup";
}

/// <summary>
/// Backs up the volumes marked for backup with the app's record (settings, secrets, package and
/// the ids of this run's database dumps): the snapshot that makes the run a backup.
/// </summary>
public sealed record BackupFilesStep(IReadOnlyList<string> Volumes, string Version) : PlanStep
{
    public override string Describe() => $"back up volumes {string.Join(", ", Volumes)} and the app's record";
}

/// <summary>
/// Restores backup <paramref name="SnapshotId"/> into the staging area, after checking that
/// every path stays where it belongs (no absolute escape, no "..", no link leaving it).
/// </summary>
/// <param name="SnapshotId">The backup's main snapshot.</param>
/// <param name="RecordPath">Where the app's record is in that snapshot.</param>
/// <param name="Previous">The app's state before the restore (null: the restore brings it back from nothing).</param>
/// <param name="Paths">The volume paths to fetch, checked with the whole tree when the restore was planned (a snapshot never changes).</param>
public sealed record StageBackupStep(string SnapshotId, string RecordPath, Apps.InstanceState? Previous, IReadOnlyList<string> Paths) : PlanStep
{
    public override string Describe() => $"fetch backup {SnapshotId[..Math.Min(8, SnapshotId.Length)]} into the staging area";
}

/// <summary>
/// With the app stopped: each volume's data is set aside (kept until the end), and replaced by
/// the staged data (files) or left empty (databases, loaded by <see cref="RestoreDatabaseStep"/>; caches).
/// </summary>
/// <param name="Volumes">Every volume of the app.</param>
/// <param name="Staged">For volumes whose files are in the backup: the volume's path in the snapshot.</param>
public sealed record PlaceVolumeDataStep(IReadOnlyList<string> Volumes, IReadOnlyDictionary<string, string>? Staged) : PlanStep
{
    public override string Describe() => $"put the backed-up data in place in {string.Join(", ", Volumes)}";
}

/// <summary>Streams the dump of database <paramref name="Name"/> from the backup into the restore command of its service.</summary>
public sealed record RestoreDatabaseStep(string Name, string Version, string Snapshot, string File) : PlanStep
{
    public override string Describe() => $"load database {Name} from the backup";
}

/// <summary>Undo of <see cref="PlaceVolumeDataStep"/>: the data set aside goes back in place.</summary>
public sealed record PutVolumeDataBackStep(IReadOnlyList<string> Volumes) : PlanStep
{
    public override string Describe() => $"put the previous data back in {string.Join(", ", Volumes)}";
}

/// <summary>The restore worked: the data set aside and the staging area are deleted.</summary>
public sealed record DropSetAsideDataStep(IReadOnlyList<string> Volumes) : PlanStep
{
    public override string Describe() => $"delete the previous data of {string.Join(", ", Volumes)} and the staging area";
}

/// <summary>
/// Restore drill of the app: backup <paramref name="SnapshotId"/> is restored as the throw-away
/// app <paramref name="Copy"/>, which must become healthy and answer the manifest's probe as the
/// app did when it was backed up; the copy is then removed with its data, whatever the result.
/// </summary>
public sealed record DrillStep(string SnapshotId, string Copy) : PlanStep
{
    public override string Describe() => $"restore backup {SnapshotId[..Math.Min(8, SnapshotId.Length)]} as the throw-away app {Copy}, compare, remove it";
}
