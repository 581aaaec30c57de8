using HostPanel.Core.Apps;
using HostPanel.Core.Apps.Execution;
using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Catalog.Planning;
using HostPanel.Core.Configuration;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using HostPanel.Core.Resources;
using HostPanel.Core.Secrets;

namespace HostPanel.Core.Backups;

/// <summary>
/// Carries out the backup and restore steps; every other step goes to the lifecycle's executor.
/// Each step is idempotent: a dump or a backup already made for this run is not made again, a
/// staging area already complete is not fetched again, data already set aside stays aside.
/// </summary>
public sealed class BackupStepExecutor(
    StepExecutor lifecycle,
    IRestic restic,
    BackupRepositories repositories,
    IContainerEngine engine,
    IInstanceStore instances,
    IPackageArchive packages,
    ISecretStore secrets,
    IVolumeData volumeData,
    HostPanelOptions options,
    OperationEvents events,
    IServiceProvider services,
    TimeProvider time) : IStepExecutor
{
    private const string StagedMarker = ".hostpanel-staged";

    public async Task ExecuteAsync(Operation operation, PlanStep step, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (step is not (BackupDatabaseStep or BackupFilesStep or StageBackupStep or PlaceVolumeDataStep or RestoreDatabaseStep or PutVolumeDataBackStep or DropSetAsideDataStep or DrillStep))
        {
            await lifecycle.ExecuteAsync(operation, step, ct).ConfigureAwait(false);
            return;
        }

        var instance = await instances.FindAsync(operation.Instance, ct).ConfigureAwait(false);
        if (instance is null)
        {
            // Only cleanup is left to do for an app that is no longer recorded.
            if (step is PutVolumeDataBackStep or DropSetAsideDataStep)
            {
                await volumeData.DeleteTreeAsync(StagingDirectory(operation), ct).ConfigureAwait(false);
                return;
            }

            throw new InvalidOperationException($"The installed app {operation.Instance} is no longer recorded.");
        }

        try
        {
            var described = await repositories.DescribeAsync(instance.OrganizationId, ct).ConfigureAwait(false);
            await repositories.ClearingStaleLocksAsync(described, async () =>
            {
                await RunAsync(operation, instance, step, ct).ConfigureAwait(false);
                return true;
            }, ct).ConfigureAwait(false);
        }
        catch (ResticException e)
        {
            var repository = await repositories.DescribeAsync(instance.OrganizationId, ct).ConfigureAwait(false);
            throw new OperationFailedException(BackupRepositories.Explain(e, repository.Location), $"restic ({e.Failure}, exit {e.ExitCode}): {e.Message}", e);
        }
    }

    private async Task RunAsync(Operation operation, AppInstance instance, PlanStep step, CancellationToken ct)
    {
        switch (step)
        {
            case BackupDatabaseStep s:
                await BackupDatabaseAsync(operation, instance, s, ct).ConfigureAwait(false);
                break;
            case BackupFilesStep s:
                await BackupFilesAsync(operation, instance, s, ct).ConfigureAwait(false);
                break;
            case StageBackupStep s:
                await StageAsync(operation, instance, s, ct).ConfigureAwait(false);
                break;
            case PlaceVolumeDataStep s:
                await PlaceAsync(operation, instance, s, ct).ConfigureAwait(false);
                break;
            case RestoreDatabaseStep s:
                await RestoreDatabaseAsync(operation, instance, s, ct).ConfigureAwait(false);
                break;
            case PutVolumeDataBackStep s:
                foreach (var mountpoint in await MountpointsAsync(instance, s.Volumes, required: false, ct).ConfigureAwait(false))
                {
                    await volumeData.PutBackAsync(mountpoint, ct).ConfigureAwait(false);
                }

                await volumeData.DeleteTreeAsync(StagingDirectory(operation), ct).ConfigureAwait(false);
                break;
            case DrillStep s:
                // The drill runs operations of its own (restore, removal): the backup service
                // is resolved here, as it depends on the runner that calls this executor.
                await ((BackupService)services.GetService(typeof(BackupService))!).DrillCopyAsync(operation, instance, s, ct).ConfigureAwait(false);
                break;
            case DropSetAsideDataStep s:
                foreach (var mountpoint in await MountpointsAsync(instance, s.Volumes, required: false, ct).ConfigureAwait(false))
                {
                    await volumeData.DropAsideAsync(mountpoint, ct).ConfigureAwait(false);
                }

                await volumeData.DeleteTreeAsync(StagingDirectory(operation), ct).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Where a restore operation stages the backup's files.</summary>
    public string StagingDirectory(Operation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return Path.Combine(options.DataDirectory, "staging", operation.Id.ToString("N"));
    }

    /// <summary>The tags of every snapshot of this run.</summary>
    public static List<string> RunTags(Operation operation, AppInstance instance, string version)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(instance);
        return [BackupTags.Marker, BackupTags.Organization(instance.OrganizationId), BackupTags.Instance(instance.Name), BackupTags.App(instance.AppId), BackupTags.Version(version), BackupTags.Run(operation.Id)];
    }

    private async Task BackupDatabaseAsync(Operation operation, AppInstance instance, BackupDatabaseStep step, CancellationToken ct)
    {
        var manifest = await packages.ManifestAsync(instance.Name, step.Version, ct).ConfigureAwait(false);
        var database = Database(manifest, step.Name);
        var repository = await repositories.OpenAsync(instance.OrganizationId, ct).ConfigureAwait(false);
        // Run again after a crash, it dumps again: the backup names the newest dump of its run.
        List<string> tags = [.. RunTags(operation, instance, step.Version), BackupTags.DatabasePart, BackupTags.Database(step.Name)];

        var (command, environment) = await RenderAsync(manifest, instance, database.Dump, database.Env, ct).ConfigureAwait(false);
        var container = ResourceNames.Container(instance.Name, database.Service);
        await restic.BackupStdinAsync(
            repository,
            DumpFileName(instance.Name, step.Name),
            async (stdin, token) =>
            {
                var result = await engine.Containers.ExecStreamAsync(
                    container,
                    new ExecRequest { Command = command, Environment = environment, User = database.User, Timeout = TimeSpan.FromHours(6) },
                    stdin,
                    token).ConfigureAwait(false);
                if (result.ExitCode != 0)
                {
                    throw new OperationFailedException(
                        CoreText.Format("BackupDumpFailed", step.Name, database.Service, result.ExitCode),
                        $"dump of {step.Name} in {container} exited {result.ExitCode}: {Shorten(result.Stderr)}");
                }
            },
            tags,
            ct).ConfigureAwait(false);
    }

    private async Task BackupFilesAsync(Operation operation, AppInstance instance, BackupFilesStep step, CancellationToken ct)
    {
        var repository = await repositories.OpenAsync(instance.OrganizationId, ct).ConfigureAwait(false);
        var runTags = RunTags(operation, instance, step.Version);
        List<string> tags = [.. runTags, BackupTags.MainPart];

        // The database dumps this backup names are found by listing the run's snapshots (only
        // when there are databases: each restic run costs a key derivation). Run again after a
        // crash, the step may make a second main snapshot of the run; the maintenance keeps one.
        var manifest = await packages.ManifestAsync(instance.Name, step.Version, ct).ConfigureAwait(false);
        var dumps = manifest.Backup?.Databases is { Count: > 0 }
            ? [.. (await restic.SnapshotsAsync(repository, runTags, ct).ConfigureAwait(false)).Where(s => s.Tags.Contains(BackupTags.DatabasePart))]
            : new List<ResticSnapshot>();
        var databases = new List<BackedUpDatabase>();
        foreach (var database in manifest.Backup?.Databases ?? [])
        {
            var dump = dumps.LastOrDefault(d => BackupTags.Value(d.Tags, "db") == database.Name)
                ?? throw new InvalidOperationException($"The dump of {database.Name} is missing from this backup run.");
            databases.Add(new BackedUpDatabase(database.Name, database.Service, dump.Id, "/" + DumpFileName(instance.Name, database.Name)));
        }

        string? probe = null;
        if (manifest.Backup?.Probe is { } check)
        {
            probe = await ProbeAsync(manifest, instance, check, ct).ConfigureAwait(false)
                ?? throw new OperationFailedException(CoreText.Format("BackupProbeFailed", check.Service), $"the probe in {check.Service} of {instance.Name} failed");
        }

        var names = step.Volumes.Select(key => ResourceNames.Volume(instance.Name, key)).ToList();
        var mountpoints = await MountpointsAsync(instance, names, required: true, ct).ConfigureAwait(false);
        var package = await packages.GetAsync(instance.Name, step.Version, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The package of {instance.Name} {step.Version} is not in the archive.");
        var record = new BackupRecord
        {
            CreatedAt = time.GetUtcNow(),
            Organization = instance.OrganizationId,
            Instance = instance.Name,
            App = instance.AppId,
            Version = step.Version,
            Revision = instance.Revision,
            Domain = instance.Domain,
            Path = instance.Path,
            Answers = instance.Answers,
            Secrets = await secrets.GetAllAsync(instance.Name, ct).ConfigureAwait(false),
            ManifestYaml = package.ManifestYaml,
            Files = package.Files,
            Volumes = [.. step.Volumes.Select((key, i) => new BackedUpVolume(key, mountpoints[i]))],
            Databases = databases,
            Probe = probe,
        };

        // The record holds secrets: readable by the owner only, and only while restic reads it.
        // Its directory is the same at every backup of the app (the app's lock keeps runs apart):
        // restic takes the last snapshot of the same paths as the parent and reads only the files
        // that changed since; a new directory per run would make it read every file again.
        var recordDirectory = Path.Combine(options.DataDirectory, "backups", "records", instance.Name);
        if (Directory.Exists(recordDirectory))
        {
            Directory.Delete(recordDirectory, recursive: true);
        }

        PrivateFiles.CreateDirectory(recordDirectory);
        var recordFile = Path.Combine(recordDirectory, BackupRecord.FileName);
        try
        {
            await using (var file = PrivateFiles.Create(recordFile))
            await using (var writer = new StreamWriter(file))
            {
                await writer.WriteAsync(record.ToJson()).ConfigureAwait(false);
            }

            var progress = new SynchronousProgress<ResticProgress>(p =>
                events.Publish(new TransferProgressed(operation.Id, time.GetUtcNow(), "backup", p.BytesDone, p.TotalBytes, p.FilesDone, p.TotalFiles)));
            await restic.BackupFilesAsync(repository, [recordDirectory, .. mountpoints], tags, progress, ct).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(recordDirectory, recursive: true);
        }
    }

    private async Task StageAsync(Operation operation, AppInstance instance, StageBackupStep step, CancellationToken ct)
    {
        var staging = StagingDirectory(operation);
        if (File.Exists(Path.Combine(staging, StagedMarker)))
        {
            return;
        }

        // The snapshot's whole tree was checked (BackupPaths) when the restore was planned; a
        // snapshot is addressed by its content and never changes.
        await volumeData.DeleteTreeAsync(staging, ct).ConfigureAwait(false);
        var repository = await repositories.OpenAsync(instance.OrganizationId, ct).ConfigureAwait(false);
        PrivateFiles.CreateDirectory(staging);
        if (step.Paths.Count > 0)
        {
            await restic.RestoreAsync(repository, step.SnapshotId, staging, step.Paths, ct).ConfigureAwait(false);
        }

        await File.WriteAllTextAsync(Path.Combine(staging, StagedMarker), step.SnapshotId, ct).ConfigureAwait(false);
    }

    private async Task PlaceAsync(Operation operation, AppInstance instance, PlaceVolumeDataStep step, CancellationToken ct)
    {
        var staging = StagingDirectory(operation);
        var stage = step.Staged ?? new Dictionary<string, string>();
        var mountpoints = await MountpointsAsync(instance, step.Volumes, required: true, ct).ConfigureAwait(false);
        for (var i = 0; i < step.Volumes.Count; i++)
        {
            string? staged = null;
            if (stage.TryGetValue(step.Volumes[i], out var pathInSnapshot))
            {
                staged = staging + pathInSnapshot;
                if (!Directory.Exists(staged) && !Directory.Exists(mountpoints[i]))
                {
                    throw new InvalidOperationException($"The staged data of {step.Volumes[i]} ({staged}) is missing.");
                }
            }

            await volumeData.PlaceAsync(mountpoints[i], staged, ct).ConfigureAwait(false);
        }
    }

    private async Task RestoreDatabaseAsync(Operation operation, AppInstance instance, RestoreDatabaseStep step, CancellationToken ct)
    {
        var manifest = await packages.ManifestAsync(instance.Name, step.Version, ct).ConfigureAwait(false);
        var database = Database(manifest, step.Name);
        var repository = await repositories.OpenAsync(instance.OrganizationId, ct).ConfigureAwait(false);
        var (command, environment) = await RenderAsync(manifest, instance, database.Restore, database.Env, ct).ConfigureAwait(false);
        var container = ResourceNames.Container(instance.Name, database.Service);
        await restic.DumpAsync(
            repository,
            step.Snapshot,
            step.File,
            async (dump, token) =>
            {
                var result = await engine.Containers.ExecAsync(
                    container,
                    new ExecRequest { Command = command, Environment = environment, User = database.User, Stdin = dump, Timeout = TimeSpan.FromHours(6), MaxOutputBytes = 64 * 1024 },
                    token).ConfigureAwait(false);
                if (result.ExitCode != 0)
                {
                    throw new OperationFailedException(
                        CoreText.Format("RestoreLoadFailed", step.Name, database.Service, result.ExitCode),
                        $"restore of {step.Name} in {container} exited {result.ExitCode}: {Shorten(result.Stderr + result.Stdout)}");
                }
            },
            ct).ConfigureAwait(false);
        _ = operation;
    }

    /// <summary>The manifest's probe run in <paramref name="instance"/>: its trimmed output, or null when it failed.</summary>
    public async Task<string?> ProbeAsync(AppManifest manifest, AppInstance instance, BackupProbe probe, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var (command, environment) = await RenderAsync(manifest, instance, probe.Cmd, probe.Env, ct).ConfigureAwait(false);
        var result = await engine.Containers.ExecAsync(
            ResourceNames.Container(instance.Name, probe.Service),
            new ExecRequest { Command = command, Environment = environment, Timeout = TimeSpan.FromMinutes(5), MaxOutputBytes = 64 * 1024 },
            ct).ConfigureAwait(false);
        return result.ExitCode == 0 ? result.Stdout.Trim() : null;
    }

    /// <summary>Reads a backup's record from its snapshot.</summary>
    public static async Task<BackupRecord> ReadRecordAsync(IRestic restic, ResticRepository repository, string snapshotId, string recordPath, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(restic);
        string json = string.Empty;
        await restic.DumpAsync(repository, snapshotId, recordPath, async (stream, token) =>
        {
            using var reader = new StreamReader(stream, leaveOpen: true);
            json = await reader.ReadToEndAsync(token).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        return BackupRecord.Parse(json);
    }

    public static string DumpFileName(string instance, string database) => $"{instance}-{database}.dump";

    private static DatabaseDump Database(AppManifest manifest, string name) =>
        manifest.Backup?.Databases?.FirstOrDefault(d => d.Name == name)
            ?? throw new InvalidOperationException($"{manifest.Id} {manifest.Version} declares no database {name} to back up.");

    private async Task<(List<string> Command, Dictionary<string, string> Environment)> RenderAsync(AppManifest manifest, AppInstance instance, List<string> command, OrderedDictionary<string, string>? env, CancellationToken ct)
    {
        var context = await lifecycle.ContextAsync(instance, manifest, ct).ConfigureAwait(false);
        return (
            [.. command.Select(a => AppEnvironment.Render(manifest, a, context))],
            (env ?? []).ToDictionary(kv => kv.Key, kv => AppEnvironment.Render(manifest, kv.Value, context), StringComparer.Ordinal));
    }

    private async Task<List<string>> MountpointsAsync(AppInstance instance, IReadOnlyList<string> volumes, bool required, CancellationToken ct)
    {
        var found = (await engine.Volumes.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, instance.Name), ct).ConfigureAwait(false))
            .ToDictionary(v => v.Name, StringComparer.Ordinal);
        var mountpoints = new List<string>();
        foreach (var name in volumes)
        {
            if (found.TryGetValue(name, out var volume) && volume.Mountpoint is { } mountpoint)
            {
                mountpoints.Add(mountpoint);
            }
            else if (required)
            {
                throw new InvalidOperationException($"The volume {name} is missing or its data is not on this server.");
            }
        }

        return mountpoints;
    }

    private static string Shorten(string text) => text.Length <= 400 ? text.Trim() : text[..400].Trim() + "…";
}
