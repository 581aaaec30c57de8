using HostPanel.Core.Accounts;
using HostPanel.Core.Backups;
using HostPanel.Core.Configuration;
using HostPanel.Core.Handover;
using HostPanel.Core.Organizations;
using Microsoft.Data.Sqlite;

namespace HostPanel.Infrastructure.Handover;

/// <summary>A backup of the panel's own state, as listed from the repository.</summary>
public sealed record PanelStateSnapshot(string Id, string ShortId, DateTimeOffset Time);

/// <summary>
/// Backs up HostPanel's own state — the database (accounts, organizations, apps, settings, the
/// journal and the audit log), the key ring that protects the secrets in it, and the settings
/// file — into the default organization's repository (the hoster's), tagged
/// <see cref="Tag"/>. The apps' data is in their own backups; this is what a new server needs
/// besides them to be the same panel again (<c>hostpanel recover</c>).
/// </summary>
public sealed class PanelStateBackup(BackupRepositories repositories, IRestic restic, HostPanelOptions options)
{
    /// <summary>
    /// The only tag of a panel-state snapshot: not the apps' marker, which their retention
    /// sorts by app (a snapshot of no app would be forgotten there).
    /// </summary>
    public const string Tag = "hostpanel-state";

    /// <summary>The folder, inside the snapshot, that holds the state; its name is the same in every snapshot.</summary>
    public const string FolderName = "panel-state";

    public const string DatabaseFile = "hostpanel.db";
    public const string SettingsFile = "appsettings.json";

    /// <summary>
    /// The data directory's folders the state includes: the key ring (without it no secret in
    /// the database can be read) and the certificates with their keys (so the apps are served
    /// at once, without waiting for new ones).
    /// </summary>
    public static readonly IReadOnlyList<string> Folders = ["keys", "certs"];

    private static readonly ResticRetention Retention = new(Daily: 7, Weekly: 4, Monthly: 6, Last: 5);
    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>Backs the panel's state up now; hoster administrators and root only.</summary>
    public async Task<PanelStateSnapshot> BackupAsync(Caller caller, CancellationToken ct = default)
    {
        AccessControl.RequireHoster(caller);
        await _one.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var staging = Path.Combine(options.DataDirectory, "tmp", FolderName);
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            PrivateFiles.CreateDirectory(staging);
            try
            {
                // Taken before the copies: a key written while they are made is not counted as saved.
                var copiedAt = DateTimeOffset.UtcNow;
                await CopyDatabaseAsync(options.DatabasePath, Path.Combine(staging, DatabaseFile), ct).ConfigureAwait(false);
                foreach (var folder in Folders)
                {
                    CopyFolder(Path.Combine(options.DataDirectory, folder), Path.Combine(staging, folder));
                }

                var settings = Path.Combine(options.DataDirectory, SettingsFile);
                if (File.Exists(settings))
                {
                    File.Copy(settings, Path.Combine(staging, SettingsFile));
                }

                var repository = await repositories.DescribeAsync(Organization.DefaultId, ct).ConfigureAwait(false);
                try
                {
                    repository = await repositories.OpenAsync(Organization.DefaultId, ct).ConfigureAwait(false);
                    await repositories.ClearingStaleLocksAsync(
                        repository,
                        () => restic.BackupFilesAsync(repository, [staging], [Tag], null, ct),
                        ct).ConfigureAwait(false);
                    await repositories.ClearingStaleLocksAsync(repository, async () =>
                    {
                        await restic.ForgetByPolicyAsync(repository, Retention, [Tag], ct).ConfigureAwait(false);
                        return true;
                    }, ct).ConfigureAwait(false);
                    PanelStateMark.Write(options.DataDirectory, copiedAt);
                    return (await LatestAsync(repository, restic, ct).ConfigureAwait(false))!;
                }
                catch (ResticException e)
                {
                    throw new Core.Apps.AppRequestException("target", BackupRepositories.Explain(e, repository.Location), e);
                }
            }
            finally
            {
                Directory.Delete(staging, recursive: true);
            }
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>The newest panel-state backup in the default organization's repository, if any.</summary>
    public async Task<PanelStateSnapshot?> LatestAsync(CancellationToken ct = default)
    {
        var repository = await repositories.DescribeAsync(Organization.DefaultId, ct).ConfigureAwait(false);
        if (!BackupRepositories.IsPresentLocally(repository) && !await restic.ExistsAsync(repository, ct).ConfigureAwait(false))
        {
            return null;
        }

        return await LatestAsync(repository, restic, ct).ConfigureAwait(false);
    }

    /// <summary>The newest panel-state snapshot of <paramref name="repository"/>, if any.</summary>
    public static async Task<PanelStateSnapshot?> LatestAsync(ResticRepository repository, IRestic restic, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(restic);
        var newest = (await restic.SnapshotsAsync(repository, [Tag], ct).ConfigureAwait(false)).MaxBy(s => s.Time);
        return newest is null ? null : new PanelStateSnapshot(newest.Id, newest.ShortId, newest.Time);
    }

    /// <summary>
    /// Puts the state of <paramref name="snapshot"/> into <paramref name="dataDirectory"/>: the
    /// database, the key ring and the settings file. For a data directory that holds no panel yet
    /// (recovery on a new server); files already there are replaced.
    /// </summary>
    public static async Task RestoreIntoAsync(ResticRepository repository, IRestic restic, PanelStateSnapshot snapshot, string dataDirectory, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(restic);
        ArgumentNullException.ThrowIfNull(snapshot);
        var listing = await restic.FindAsync(repository, snapshot.Id, ct).ConfigureAwait(false)
            ?? throw new InvalidDataException($"The panel-state backup {snapshot.ShortId} is not in {repository.Location}.");
        var database = listing.Nodes.SingleOrDefault(n => n.Type == "file" && n.Path.EndsWith($"/{FolderName}/{DatabaseFile}", StringComparison.Ordinal))
            ?? throw new InvalidDataException($"The backup {snapshot.ShortId} holds no {FolderName}/{DatabaseFile}: it is not a HostPanel state backup.");
        var folder = database.Path[..^(DatabaseFile.Length + 1)];

        var scratch = Path.Combine(dataDirectory, "tmp", $"state-restore-{Guid.NewGuid():N}");
        PrivateFiles.CreateDirectory(scratch);
        try
        {
            await restic.RestoreAsync(repository, snapshot.Id, scratch, [folder], ct).ConfigureAwait(false);
            var restored = Path.Combine(scratch, folder.TrimStart('/'));
            File.Copy(Path.Combine(restored, DatabaseFile), Path.Combine(dataDirectory, DatabaseFile), overwrite: true);
            foreach (var name in Folders)
            {
                CopyFolder(Path.Combine(restored, name), Path.Combine(dataDirectory, name));
            }

            if (File.Exists(Path.Combine(restored, SettingsFile)))
            {
                File.Copy(Path.Combine(restored, SettingsFile), Path.Combine(dataDirectory, SettingsFile), overwrite: true);
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>A consistent copy of the live database (other connections may be writing): SQLite's VACUUM INTO.</summary>
    private static async Task CopyDatabaseAsync(string source, string destination, CancellationToken ct)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        await using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "VACUUM INTO $destination";
        command.Parameters.AddWithValue("$destination", destination);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static void CopyFolder(string source, string destination)
    {
        PrivateFiles.CreateDirectory(destination);
        if (!Directory.Exists(source))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)), overwrite: true);
        }

        foreach (var folder in Directory.EnumerateDirectories(source))
        {
            CopyFolder(folder, Path.Combine(destination, Path.GetFileName(folder)));
        }
    }
}
