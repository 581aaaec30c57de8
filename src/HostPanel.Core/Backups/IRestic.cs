namespace HostPanel.Core.Backups;

/// <summary>
/// A restic repository and what it takes to open it. The password never appears on a command
/// line (restic reads it from its environment) nor in a log.
/// </summary>
public sealed record ResticRepository
{
    /// <summary>
    /// restic's own repository string: a local directory (<c>/srv/backups/asso</c>), SFTP
    /// (<c>sftp://user@host:port//absolute/path</c>) or S3 (<c>s3:https://host/bucket/path</c>).
    /// </summary>
    public required string Location { get; init; }

    public required string Password { get; init; }

    /// <summary>For SFTP: the private key to log in with (no agent, no password prompt).</summary>
    public string? SshKeyFile { get; init; }

    /// <summary>For SFTP: the known_hosts file that must hold the server's key (strict checking).</summary>
    public string? SshKnownHostsFile { get; init; }

    /// <summary>Extra environment for restic (S3 access keys); never logged.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public override string ToString() => Location;
}

/// <summary>One restic snapshot as <c>restic snapshots --json</c> describes it.</summary>
public sealed record ResticSnapshot(
    string Id,
    string ShortId,
    DateTimeOffset Time,
    string Hostname,
    IReadOnlyList<string> Paths,
    IReadOnlyList<string> Tags);

/// <summary>A snapshot and every entry of its tree.</summary>
public sealed record ResticListing(ResticSnapshot Snapshot, IReadOnlyList<ResticNode> Nodes);

/// <summary>One entry of a snapshot's tree (<c>restic ls --json</c>).</summary>
/// <param name="Path">Absolute path inside the snapshot.</param>
/// <param name="Type">"file", "dir", "symlink", "dev", "chardev", "fifo" or "socket".</param>
/// <param name="LinkTarget">The target of a symlink, as stored.</param>
/// <param name="Size">File size in bytes (0 for others).</param>
public sealed record ResticNode(string Path, string Type, string? LinkTarget, long Size);

/// <summary>Progress of a running backup, from restic's JSON status lines.</summary>
public sealed record ResticProgress(double PercentDone, long FilesDone, long TotalFiles, long BytesDone, long TotalBytes);

/// <summary>
/// What a finished backup reported (restic's JSON summary). <c>SnapshotId</c> may be the short
/// form of the id (restic 0.14), which restic accepts wherever an id is expected.
/// </summary>
public sealed record ResticBackupSummary(
    string SnapshotId,
    long FilesNew,
    long FilesChanged,
    long FilesUnmodified,
    long DataAdded,
    long TotalFilesProcessed,
    long TotalBytesProcessed,
    TimeSpan Duration);

/// <summary>A lock in the repository (<c>restic list locks</c> + <c>restic cat lock</c>).</summary>
public sealed record ResticLock(string Id, string Hostname, int Pid, DateTimeOffset Time, bool Exclusive);

/// <summary>How many snapshots to keep (<c>restic forget --keep-…</c>).</summary>
/// <param name="Daily">The newest of each of that many last days that have one.</param>
/// <param name="Weekly">The newest of each of that many last ISO weeks.</param>
/// <param name="Monthly">The newest of each of that many last months.</param>
/// <param name="Last">The newest backups kept whatever their day: a backup made by hand just
/// before an update is not dropped because the update made another one the same day.</param>
public sealed record ResticRetention(int Daily = 7, int Weekly = 4, int Monthly = 6, int Last = 5);

/// <summary>What <c>restic check</c> found.</summary>
/// <param name="Ok">True when restic found no error.</param>
/// <param name="Output">restic's report (its last lines), for the log.</param>
public sealed record ResticCheckResult(bool Ok, string Output);

/// <summary>One key (password) of a repository; <see cref="Current"/> is the one the password given opens.</summary>
public sealed record ResticKey(string Id, bool Current, string? UserName, string? HostName, string? Created);

/// <summary>Why a restic command failed, in categories the panel explains differently.</summary>
public enum ResticFailure
{
    /// <summary>The password does not open the repository.</summary>
    WrongPassword,

    /// <summary>Nothing (no repository) at that location.</summary>
    RepositoryNotFound,

    /// <summary>Another process holds a lock on the repository.</summary>
    Locked,

    /// <summary>The target ran out of space.</summary>
    NoSpace,

    /// <summary>The target could not be reached (SFTP/S3 connection, permissions).</summary>
    Unreachable,

    /// <summary>The repository's data is damaged.</summary>
    Damaged,

    /// <summary>The writer feeding a stdin backup failed: no snapshot was saved.</summary>
    SourceFailed,

    /// <summary>More than one snapshot id starts with the prefix given.</summary>
    Ambiguous,

    Other,
}

/// <summary>A restic command failed. <see cref="Exception.Message"/> is technical (restic's last lines).</summary>
public sealed class ResticException(ResticFailure failure, string message, int exitCode, Exception? inner = null) : Exception(message, inner)
{
    public ResticFailure Failure { get; } = failure;
    public int ExitCode { get; } = exitCode;
}

/// <summary>
/// restic, driven as a program (argument lists only, <c>--json</c> where restic offers it). Every
/// method runs one restic command against the repository it is given.
/// </summary>
public interface IRestic
{
    /// <summary>The installed restic's version ("0.14.0").</summary>
    Task<string> VersionAsync(CancellationToken ct = default);

    /// <summary>
    /// True when a repository is there and the password opens it; false when there is none.
    /// Throws <see cref="ResticException"/> (WrongPassword, Unreachable…) otherwise.
    /// </summary>
    Task<bool> ExistsAsync(ResticRepository repository, CancellationToken ct = default);

    /// <summary>Creates the repository (fails if one exists).</summary>
    Task InitAsync(ResticRepository repository, CancellationToken ct = default);

    /// <summary>Backs up files and directories (absolute paths) into one snapshot.</summary>
    Task<ResticBackupSummary> BackupFilesAsync(ResticRepository repository, IReadOnlyList<string> paths, IReadOnlyList<string> tags, IProgress<ResticProgress>? progress = null, CancellationToken ct = default);

    /// <summary>
    /// Backs up what <paramref name="write"/> writes to restic's standard input as one file
    /// (<paramref name="fileName"/>) in a snapshot of its own. When <paramref name="write"/>
    /// throws, restic is stopped before it can save anything and
    /// <see cref="ResticFailure.SourceFailed"/> is thrown with the writer's exception inside.
    /// </summary>
    Task<ResticBackupSummary> BackupStdinAsync(ResticRepository repository, string fileName, Func<Stream, CancellationToken, Task> write, IReadOnlyList<string> tags, CancellationToken ct = default);

    /// <summary>Snapshots carrying every tag of <paramref name="tags"/> (all of them when empty), oldest first.</summary>
    Task<IReadOnlyList<ResticSnapshot>> SnapshotsAsync(ResticRepository repository, IReadOnlyList<string>? tags = null, CancellationToken ct = default);

    /// <summary>Every entry of a snapshot's tree.</summary>
    Task<IReadOnlyList<ResticNode>> ListAsync(ResticRepository repository, string snapshotId, CancellationToken ct = default);

    /// <summary>
    /// The snapshot whose id is or starts with <paramref name="idOrPrefix"/>, with its tree, in
    /// one run; null when none matches; <see cref="ResticFailure.Ambiguous"/> when several do.
    /// </summary>
    Task<ResticListing?> FindAsync(ResticRepository repository, string idOrPrefix, CancellationToken ct = default);

    /// <summary>
    /// Restores a snapshot under <paramref name="target"/> (paths keep their snapshot path below
    /// it); only the given absolute paths (and what is below them) when <paramref name="include"/> is set.
    /// </summary>
    Task RestoreAsync(ResticRepository repository, string snapshotId, string target, IReadOnlyList<string>? include = null, CancellationToken ct = default);

    /// <summary>Streams one file of a snapshot (<c>restic dump</c>) to <paramref name="read"/>.</summary>
    Task DumpAsync(ResticRepository repository, string snapshotId, string path, Func<Stream, CancellationToken, Task> read, CancellationToken ct = default);

    /// <summary>Forgets the given snapshots (data is freed by a later prune).</summary>
    Task ForgetAsync(ResticRepository repository, IReadOnlyList<string> snapshotIds, CancellationToken ct = default);

    /// <summary>Deletes the data no snapshot uses any more (<c>restic prune</c>).</summary>
    Task PruneAsync(ResticRepository repository, CancellationToken ct = default);

    /// <summary>Applies a retention policy per group of snapshots with the same tags, then prunes.</summary>
    Task ForgetByPolicyAsync(ResticRepository repository, ResticRetention retention, IReadOnlyList<string> tags, CancellationToken ct = default);

    /// <summary><c>restic check</c>, reading the given subset of the data (e.g. "3/30") when set.</summary>
    Task<ResticCheckResult> CheckAsync(ResticRepository repository, string? readDataSubset = null, CancellationToken ct = default);

    /// <summary>The repository's locks with their owner.</summary>
    Task<IReadOnlyList<ResticLock>> LocksAsync(ResticRepository repository, CancellationToken ct = default);

    /// <summary><c>restic unlock</c>: removes the locks restic itself judges stale (dead process on this host, or old).</summary>
    Task UnlockStaleAsync(ResticRepository repository, CancellationToken ct = default);

    /// <summary>The repository's keys; the one its password opens is marked current.</summary>
    Task<IReadOnlyList<ResticKey>> KeysAsync(ResticRepository repository, CancellationToken ct = default);

    /// <summary>Adds a key opened by <paramref name="newPassword"/> (the repository's password still opens it too); returns the new key's id.</summary>
    Task<string> AddKeyAsync(ResticRepository repository, string newPassword, CancellationToken ct = default);

    /// <summary>Removes a key: its password no longer opens the repository (restic refuses to remove the key in use).</summary>
    Task RemoveKeyAsync(ResticRepository repository, string keyId, CancellationToken ct = default);
}
