using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Backups;
using HostPanel.Core.Handover;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using HostPanel.Core.Resources;
using Microsoft.Data.Sqlite;

namespace HostPanel.Infrastructure.Handover;

/// <summary>What a recovery did: the state it started from, the apps brought back, those it could not.</summary>
public sealed record RecoveryReport(PanelStateSnapshot? State, IReadOnlyList<Operation> Restores, IReadOnlyList<string> Lost);

/// <summary>
/// Rebuilds a panel on a new server from what the recovery kit holds. First, with no service
/// running (<see cref="PrepareAsync"/>): the SFTP keys and the key ring are written back, then
/// the newest backup of the panel's own state is put in the data directory. Then, with the
/// services built on that directory (<see cref="RebuildAppsAsync"/>): every app the state knew
/// as installed, and every app backed up after it, is restored from its latest backup; apps
/// removed on purpose stay removed.
/// </summary>
public static class PanelRecovery
{
    /// <summary>
    /// Refuses a data directory that already holds a panel with people or apps (nothing is
    /// overwritten); writes the SFTP material and the key ring; restores the newest panel state
    /// found (the default organization's repository first). Returns the repositories with the
    /// files their SFTP material was written to, and the state used (null when no repository had one).
    /// </summary>
    public static async Task<(IReadOnlyList<RecoveryRepository> Repositories, PanelStateSnapshot? State)> PrepareAsync(
        IReadOnlyList<RecoveryRepository> repositories,
        IReadOnlyDictionary<string, string> keyRing,
        string dataDirectory,
        IRestic restic,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repositories);
        ArgumentNullException.ThrowIfNull(keyRing);
        ArgumentNullException.ThrowIfNull(restic);
        var database = Path.Combine(dataDirectory, PanelStateBackup.DatabaseFile);
        if (await HoldsAPanelAsync(database, ct).ConfigureAwait(false))
        {
            throw new AppRequestException("data-dir", CoreText.Format("RecoverDataDirectoryInUse", dataDirectory));
        }

        Data.HostPanelDatabase.EnsureDataDirectory(dataDirectory);
        var written = repositories.Select(r => WriteSshMaterial(r, dataDirectory)).ToList();
        var keys = Path.Combine(dataDirectory, "keys");
        Data.HostPanelDatabase.EnsureDataDirectory(keys);
        foreach (var (name, content) in keyRing)
        {
            if (Path.GetFileName(name) != name || !name.EndsWith(".xml", StringComparison.Ordinal))
            {
                throw new AppRequestException("kit", CoreText.Format("RecoverKeyRingFileInvalid", name));
            }

            WritePrivate(Path.Combine(keys, name), content);
        }

        foreach (var repository in written.OrderBy(r => r.OrganizationId == Organization.DefaultId ? 0 : 1))
        {
            var target = Describe(repository);
            if (!await restic.ExistsAsync(target, ct).ConfigureAwait(false))
            {
                continue;
            }

            if (await PanelStateBackup.LatestAsync(target, restic, ct).ConfigureAwait(false) is { } state)
            {
                // No stale write-ahead log of an empty database may be replayed over the restored file.
                SqliteConnection.ClearAllPools();
                foreach (var stale in new[] { "-wal", "-shm" }.Select(s => database + s).Where(File.Exists))
                {
                    File.Delete(stale);
                }

                await PanelStateBackup.RestoreIntoAsync(target, restic, state, dataDirectory, ct).ConfigureAwait(false);
                await AuditAnchorFile.ResetAsync(Path.Combine(dataDirectory, "audit.head"), await NewestAuditEntryAsync(database, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                return (written, state);
            }
        }

        return (written, null);
    }

    /// <summary>
    /// Restores every app from its latest backup: those the restored state knew as installed (marked
    /// removed first, as their containers and volumes are gone) and those backed up after the
    /// state was; apps the state knew as removed are left. Apps that were installed but have no
    /// backup anywhere are returned in <see cref="RecoveryReport.Lost"/>.
    /// </summary>
    public static async Task<RecoveryReport> RebuildAppsAsync(
        IReadOnlyList<RecoveryRepository> repositories,
        PanelStateSnapshot? state,
        IInstanceStore instances,
        BackupService backups,
        Caller caller,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repositories);
        ArgumentNullException.ThrowIfNull(instances);
        ArgumentNullException.ThrowIfNull(backups);
        AccessControl.RequireHoster(caller);
        var known = await instances.ListAsync(null, includeRemoved: true, ct).ConfigureAwait(false);
        var installed = known.Where(i => i.State != InstanceState.Removed).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var removed = known.Where(i => i.State == InstanceState.Removed).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var instance in known.Where(i => installed.Contains(i.Name)))
        {
            await instances.UpdateAsync(instance with { State = InstanceState.Removed }, ct).ConfigureAwait(false);
        }

        var restores = new List<Operation>();
        foreach (var repository in repositories)
        {
            restores.AddRange(await backups.RestoreAllAsync(
                repository.Location,
                repository.Password,
                repository.SshKeyFile,
                repository.SshKnownHostsFile,
                caller,
                ct,
                include: name => !removed.Contains(name)).ConfigureAwait(false));
        }

        var tried = restores.Select(o => o.Instance).ToHashSet(StringComparer.Ordinal);
        return new RecoveryReport(state, restores, [.. installed.Where(n => !tried.Contains(n)).Order(StringComparer.Ordinal)]);
    }

    private static ResticRepository Describe(RecoveryRepository repository) => new()
    {
        Location = repository.Location,
        Password = repository.Password,
        SshKeyFile = repository.SshKeyFile,
        SshKnownHostsFile = repository.SshKnownHostsFile,
    };

    /// <summary>Puts the SFTP key and known hosts back where the panel kept them (or in the data directory when that place is not absolute).</summary>
    private static RecoveryRepository WriteSshMaterial(RecoveryRepository repository, string dataDirectory)
    {
        var folder = Path.Combine(dataDirectory, "ssh");
        string? Place(string? recorded, string? content, string fallback)
        {
            if (content is null)
            {
                return recorded;
            }

            var path = recorded is not null && Path.IsPathFullyQualified(recorded) ? recorded : Path.Combine(folder, fallback);
            Data.HostPanelDatabase.EnsureDataDirectory(Path.GetDirectoryName(path)!);
            WritePrivate(path, content);
            return path;
        }

        return repository with
        {
            SshKeyFile = Place(repository.SshKeyFile, repository.SshKey, $"{repository.OrganizationId}.key"),
            SshKnownHostsFile = Place(repository.SshKnownHostsFile, repository.SshKnownHosts, $"{repository.OrganizationId}.known_hosts"),
        };
    }

    private static void WritePrivate(string path, string content)
    {
        using var stream = PrivateFiles.Create(path);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }

    /// <summary>The newest entry of the audit log in <paramref name="database"/>, if it has one.</summary>
    private static async Task<AuditAnchor?> NewestAuditEntryAsync(string database, CancellationToken ct)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        await using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'AuditEntries'";
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return null;
        }

        await using var newest = connection.CreateCommand();
        newest.CommandText = "SELECT \"Sequence\", \"Hash\" FROM \"AuditEntries\" ORDER BY \"Sequence\" DESC LIMIT 1";
        await using var reader = await newest.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? new AuditAnchor(reader.GetInt64(0), reader.GetString(1)) : null;
    }

    /// <summary>Whether the database file already holds people or apps (an empty, just-installed panel does not count).</summary>
    private static async Task<bool> HoldsAPanelAsync(string database, CancellationToken ct)
    {
        if (!File.Exists(database))
        {
            return false;
        }

        var builder = new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        await using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(ct).ConfigureAwait(false);
        foreach (var table in new[] { "AspNetUsers", "AppInstances" })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
            command.Parameters.AddWithValue("$name", table);
            if (Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                continue;
            }

            await using var rows = connection.CreateCommand();
            rows.CommandText = $"SELECT EXISTS (SELECT 1 FROM \"{table}\")";
            if (Convert.ToInt64(await rows.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) != 0)
            {
                return true;
            }
        }

        return false;
    }
}
