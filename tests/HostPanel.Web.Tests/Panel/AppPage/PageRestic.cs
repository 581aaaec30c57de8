using HostPanel.Core.Backups;

namespace HostPanel.Web.Tests.Panel.AppPage;

/// <summary>
/// A backup repository for page tests: it exists and lists the snapshots the test sets; nothing
/// is backed up or restored (the end-to-end tests do that on the real restic).
/// </summary>
public sealed class PageRestic : IRestic
{
    public List<ResticSnapshot> Snapshots { get; } = [];

    /// <summary>A backup of <paramref name="instance"/> as the backup service tags its main snapshot.</summary>
    public ResticSnapshot AddBackup(string instance, string version, DateTimeOffset time, string organization = "default", string app = "notes")
    {
        var id = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var snapshot = new ResticSnapshot(id, id[..8], time, "test", ["/backup"],
            [BackupTags.Marker, BackupTags.MainPart, BackupTags.Instance(instance), BackupTags.Organization(organization), BackupTags.App(app), BackupTags.Version(version)]);
        Snapshots.Add(snapshot);
        return snapshot;
    }

    public Task<bool> ExistsAsync(ResticRepository repository, CancellationToken ct = default) => Task.FromResult(true);

    public Task<IReadOnlyList<ResticSnapshot>> SnapshotsAsync(ResticRepository repository, IReadOnlyList<string>? tags = null, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ResticSnapshot>>([.. Snapshots.Where(s => (tags ?? []).All(s.Tags.Contains)).OrderBy(s => s.Time)]);

    public Task<string> VersionAsync(CancellationToken ct = default) => Task.FromResult("0.16.4");

    public Task InitAsync(ResticRepository repository, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<ResticBackupSummary> BackupFilesAsync(ResticRepository repository, IReadOnlyList<string> paths, IReadOnlyList<string> tags, IProgress<ResticProgress>? progress = null, CancellationToken ct = default) =>
        throw new NotSupportedException();

    public Task<ResticBackupSummary> BackupStdinAsync(ResticRepository repository, string fileName, Func<Stream, CancellationToken, Task> write, IReadOnlyList<string> tags, CancellationToken ct = default) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<ResticNode>> ListAsync(ResticRepository repository, string snapshotId, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<ResticListing?> FindAsync(ResticRepository repository, string idOrPrefix, CancellationToken ct = default) => throw new NotSupportedException();

    public Task RestoreAsync(ResticRepository repository, string snapshotId, string target, IReadOnlyList<string>? include = null, CancellationToken ct = default) =>
        throw new NotSupportedException();

    public Task DumpAsync(ResticRepository repository, string snapshotId, string path, Func<Stream, CancellationToken, Task> read, CancellationToken ct = default) =>
        throw new NotSupportedException();

    public Task ForgetAsync(ResticRepository repository, IReadOnlyList<string> snapshotIds, CancellationToken ct = default) => throw new NotSupportedException();

    public Task PruneAsync(ResticRepository repository, CancellationToken ct = default) => throw new NotSupportedException();

    public Task ForgetByPolicyAsync(ResticRepository repository, ResticRetention retention, IReadOnlyList<string> tags, CancellationToken ct = default) =>
        throw new NotSupportedException();

    public Task<ResticCheckResult> CheckAsync(ResticRepository repository, string? readDataSubset = null, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<ResticLock>> LocksAsync(ResticRepository repository, CancellationToken ct = default) => throw new NotSupportedException();

    public Task UnlockStaleAsync(ResticRepository repository, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<ResticKey>> KeysAsync(ResticRepository repository, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<string> AddKeyAsync(ResticRepository repository, string newPassword, CancellationToken ct = default) => throw new NotSupportedException();

    public Task RemoveKeyAsync(ResticRepository repository, string keyId, CancellationToken ct = default) => throw new NotSupportedException();
}
