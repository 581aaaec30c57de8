using HostPanel.Core.Backups;

namespace HostPanel.Web.Tests.Panel.RecoveryKit;

/// <summary>A backup destination that cannot be reached: every restic command fails as restic says so.</summary>
public sealed class UnreachableRestic : IRestic
{
    private static ResticException Fail() => new(ResticFailure.Unreachable, "ssh: connect to host backup.example.org port 22: Connection refused", 1);

    public Task<string> VersionAsync(CancellationToken ct = default) => Task.FromResult("0.16.4");

    public Task<bool> ExistsAsync(ResticRepository repository, CancellationToken ct = default) => throw Fail();

    public Task InitAsync(ResticRepository repository, CancellationToken ct = default) => throw Fail();

    public Task<ResticBackupSummary> BackupFilesAsync(ResticRepository repository, IReadOnlyList<string> paths, IReadOnlyList<string> tags, IProgress<ResticProgress>? progress = null, CancellationToken ct = default) => throw Fail();

    public Task<ResticBackupSummary> BackupStdinAsync(ResticRepository repository, string fileName, Func<Stream, CancellationToken, Task> write, IReadOnlyList<string> tags, CancellationToken ct = default) => throw Fail();

    public Task<IReadOnlyList<ResticSnapshot>> SnapshotsAsync(ResticRepository repository, IReadOnlyList<string>? tags = null, CancellationToken ct = default) => throw Fail();

    public Task<IReadOnlyList<ResticNode>> ListAsync(ResticRepository repository, string snapshotId, CancellationToken ct = default) => throw Fail();

    public Task<ResticListing?> FindAsync(ResticRepository repository, string idOrPrefix, CancellationToken ct = default) => throw Fail();

    public Task RestoreAsync(ResticRepository repository, string snapshotId, string target, IReadOnlyList<string>? include = null, CancellationToken ct = default) => throw Fail();

    public Task DumpAsync(ResticRepository repository, string snapshotId, string path, Func<Stream, CancellationToken, Task> read, CancellationToken ct = default) => throw Fail();

    public Task ForgetAsync(ResticRepository repository, IReadOnlyList<string> snapshotIds, CancellationToken ct = default) => throw Fail();

    public Task PruneAsync(ResticRepository repository, CancellationToken ct = default) => throw Fail();

    public Task ForgetByPolicyAsync(ResticRepository repository, ResticRetention retention, IReadOnlyList<string> tags, CancellationToken ct = default) => throw Fail();

    public Task<ResticCheckResult> CheckAsync(ResticRepository repository, string? readDataSubset = null, CancellationToken ct = default) => throw Fail();

    public Task<IReadOnlyList<ResticLock>> LocksAsync(ResticRepository repository, CancellationToken ct = default) => throw Fail();

    public Task UnlockStaleAsync(ResticRepository repository, CancellationToken ct = default) => throw Fail();

    public Task<IReadOnlyList<ResticKey>> KeysAsync(ResticRepository repository, CancellationToken ct = default) => throw Fail();

    public Task<string> AddKeyAsync(ResticRepository repository, string newPassword, CancellationToken ct = default) => throw Fail();

    public Task RemoveKeyAsync(ResticRepository repository, string keyId, CancellationToken ct = default) => throw Fail();
}
