using System.Diagnostics;
using System.Security.Cryptography;
using HostPanel.Core.Apps;
using HostPanel.Core.Backups;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using HostPanel.Core.Secrets;
using HostPanel.Integration.Tests.Apps;
using HostPanel.Integration.Tests.Cli;
using HostPanel.Integration.Tests.TestWorld;

namespace HostPanel.Integration.Tests.Backups;

/// <summary>
/// Backups and restores of the DB-backed test app with real restic, on the test world's engine:
/// what comes back is what was there, and a restore that cannot happen leaves the app alone.
/// </summary>
public sealed class BackupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ABackupBringsBackTheSameFilesAndDatabaseAfterAPurge()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("bk");
        await using var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct);
        await InstallWithDataAsync(life, name);
        var files = await VolumeFilesAsync(life, name, "data");
        var dump = await DatabaseDumpAsync(life, name);
        Assert.Contains("cadenas", dump, StringComparison.Ordinal);

        var backup = await life.Backups.BackupAsync(name, Callers.Root, Ct);

        Assert.True(backup.State == OperationState.Succeeded, $"{backup.Outcome} / {backup.Detail}");
        var entry = Assert.Single(await life.Backups.ListAsync(Callers.Root, "default", name, Ct));
        Assert.Equal(("notes", "1", name), (entry.App, entry.Version, entry.Instance));

        Assert.Equal(OperationState.Succeeded, (await life.Apps.RemoveAsync(name, Callers.Root, purge: true, confirmed: true, Ct)).State);
        Assert.Empty(await life.EngineObjectsAsync(name, Ct));
        Assert.Null(await life.Instances.FindAsync(name, Ct));

        var restore = await life.Backups.RestoreAsync(entry.ShortId, Callers.Root, ct: Ct);

        Assert.True(restore.State == OperationState.Succeeded, $"{restore.Outcome} / {restore.Detail}");
        Assert.Equal(InstanceState.Running, (await life.Instances.FindAsync(name, Ct))!.State);
        Assert.Equal("ok", (await life.GetAsync(name, "/health", Ct)).Trim());
        Assert.Contains("\tcadenas", await life.GetAsync(name, "/cgi-bin/notes", Ct), StringComparison.Ordinal);
        Assert.Equal(dump, await DatabaseDumpAsync(life, name));
        AssertSameFiles(files, await VolumeFilesAsync(life, name, "data"));
        Assert.Empty(Directory.GetDirectories(Path.Combine(scratch.DataDirectory, "staging")));
    }

    [Fact]
    public async Task TheRepositoryOpensWithPlainResticAndTheExportedPassword()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("bkr");
        await using var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct);
        await InstallWithDataAsync(life, name);
        Assert.Equal(OperationState.Succeeded, (await life.Backups.BackupAsync(name, Callers.Root, Ct)).State);
        var volume = (await life.Engine.Volumes.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, name), Ct)).Single(v => v.Name == ResourceNames.Volume(name, "data"));

        var (repository, password) = await life.Backups.ExportKeyAsync("default", Callers.Root, Ct);

        // Recorded, without the password.
        var export = (await life.Journal.ListAsync(BackupRepositories.SecretOwner("default"), null, 10, Ct)).Single();
        Assert.Equal(OperationKind.BackupKeyExport, export.Kind);
        Assert.DoesNotContain(password, export.Outcome + export.Detail, StringComparison.Ordinal);

        var target = Directory.CreateTempSubdirectory("hp-plain-").FullName;
        try
        {
            var snapshots = await ResticAsync(repository, password, "snapshots", "--json");
            Assert.Contains(name, snapshots, StringComparison.Ordinal);
            await ResticAsync(repository, password, "restore", "latest", "--tag", BackupTags.MainPart, "--target", target, "--include", volume.Mountpoint!);
            AssertSameFiles(Hashes(volume.Mountpoint!), Hashes(target + volume.Mountpoint));
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    [Fact]
    public async Task AWrongPasswordOrAWrongTargetIsRefusedAndTheAppIsLeftAlone()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("bkw");
        await using var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct);
        await InstallWithDataAsync(life, name);
        Assert.Equal(OperationState.Succeeded, (await life.Backups.BackupAsync(name, Callers.Root, Ct)).State);
        var entry = Assert.Single(await life.Backups.ListAsync(Callers.Root, "default", name, Ct));
        var containers = await ContainerIdsAsync(life, name);
        var secrets = life.Get<ISecretStore>();
        var password = (await secrets.GetAllAsync(BackupRepositories.SecretOwner("default"), Ct))[BackupRepositories.PasswordName];

        var location = (await life.Get<BackupRepositories>().DescribeAsync("default", Ct)).Location;
        await secrets.SetAsync(BackupRepositories.SecretOwner("default"), BackupRepositories.PasswordName, "not-the-password", Ct);
        var wrongPassword = await Assert.ThrowsAsync<AppRequestException>(() => life.Backups.RestoreAsync(entry.ShortId, Callers.Root, ct: Ct));
        await secrets.SetAsync(BackupRepositories.SecretOwner("default"), BackupRepositories.PasswordName, password, Ct);

        var empty = Directory.CreateTempSubdirectory("hp-norepo-").FullName;
        var targets = life.Get<IBackupTargetStore>();
        await targets.SaveAsync(new BackupTarget("default", empty, null, null, DateTimeOffset.UtcNow), Ct);
        var wrongTarget = await Assert.ThrowsAsync<AppRequestException>(() => life.Backups.RestoreAsync(entry.ShortId, Callers.Root, ct: Ct));
        Directory.Delete(empty, recursive: true);
        await targets.SaveAsync(new BackupTarget("default", location, null, null, DateTimeOffset.UtcNow), Ct);

        Assert.Equal(BackupRepositories.Explain(new ResticException(ResticFailure.WrongPassword, "", 1), location), wrongPassword.Message);
        Assert.Contains(empty, wrongTarget.Message, StringComparison.Ordinal);
        Assert.Equal(containers, await ContainerIdsAsync(life, name));
        Assert.Equal(InstanceState.Running, (await life.Instances.FindAsync(name, Ct))!.State);
        Assert.Contains("\tcadenas", await life.GetAsync(name, "/cgi-bin/notes", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARestoreIntoTheRunningAppPutsItsDataBackAsBackedUp()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("bki");
        await using var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct);
        await InstallWithDataAsync(life, name);
        Assert.Equal(OperationState.Succeeded, (await life.Backups.BackupAsync(name, Callers.Root, Ct)).State);
        var entry = Assert.Single(await life.Backups.ListAsync(Callers.Root, "default", name, Ct));
        var dump = await DatabaseDumpAsync(life, name);

        Assert.Contains("added", await life.GetAsync(name, "/cgi-bin/add?apres-la-sauvegarde", Ct), StringComparison.Ordinal);
        var restore = await life.Backups.RestoreAsync(entry.ShortId, Callers.Root, ct: Ct);

        Assert.True(restore.State == OperationState.Succeeded, $"{restore.Outcome} / {restore.Detail}");
        var notes = await life.GetAsync(name, "/cgi-bin/notes", Ct);
        Assert.Contains("\tcadenas", notes, StringComparison.Ordinal);
        Assert.DoesNotContain("apres-la-sauvegarde", notes, StringComparison.Ordinal);
        Assert.Equal(dump, await DatabaseDumpAsync(life, name));
        var mountpoints = (await life.Engine.Volumes.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, name), Ct)).Select(v => v.Mountpoint!).ToList();
        Assert.All(mountpoints, m => Assert.False(Directory.Exists(m + ".hostpanel-aside"), $"{m}: data set aside was left behind"));
    }

    [Fact]
    public async Task ABackupKilledMidWayLeavesNoPartialBackupAndTheNextOneSucceeds()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("bkk");
        await using (var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct))
        {
            await InstallWithDataAsync(life, name);

            // Enough data for restic to be busy when the process dies.
            var data = (await life.Engine.Volumes.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, name), Ct)).Single(v => v.Name == ResourceNames.Volume(name, "data")).Mountpoint!;
            var buffer = new byte[1024 * 1024];
            for (var i = 0; i < 300; i++)
            {
                RandomNumberGenerator.Fill(buffer);
                await File.WriteAllBytesAsync(Path.Combine(data, $"big-{i:000}.bin"), buffer, Ct);
            }
        }

        var killed = await HostPanelProcess.RunAndKillWhenAsync(scratch.DataDirectory, 1, line => line.StartsWith("[2/2]", StringComparison.Ordinal), TimeSpan.FromMilliseconds(700), Ct, "backup", "now", name);
        Assert.True(killed, "the backup ended before it could be killed");

        await using (var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct))
        {
            await life.Reconciler.RunAsync(Ct);
            Assert.Empty(await life.Backups.ListAsync(Callers.Root, "default", name, Ct));

            var again = await life.Backups.BackupAsync(name, Callers.Root, Ct);

            Assert.True(again.State == OperationState.Succeeded, $"{again.Outcome} / {again.Detail}");
            Assert.Single(await life.Backups.ListAsync(Callers.Root, "default", name, Ct));

            // The maintenance forgets the dump the killed run left, and the repository is sound.
            Assert.True((await life.Backups.CheckAsync("default", Callers.Root, readAll: true, Ct)).Ok);
            var repository = await life.Get<BackupRepositories>().DescribeAsync("default", Ct);
            var parts = await life.Get<IRestic>().SnapshotsAsync(repository, [BackupTags.Marker, BackupTags.Instance(name)], Ct);
            Assert.Equal(2, parts.Count);
            Assert.Equal(BackupTags.Value(parts[0].Tags, "run"), BackupTags.Value(parts[1].Tags, "run"));
        }
    }

    [Fact]
    public async Task ACorruptedPackIsReportedByTheCheck()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("bkc");
        await using var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct);
        await InstallWithDataAsync(life, name);
        Assert.Equal(OperationState.Succeeded, (await life.Backups.BackupAsync(name, Callers.Root, Ct)).State);
        Assert.True((await life.Backups.CheckAsync("default", Callers.Root, readAll: true, Ct)).Ok);

        var repository = await life.Get<BackupRepositories>().DescribeAsync("default", Ct);
        var pack = Directory.GetFiles(Path.Combine(repository.Location, "data"), "*", SearchOption.AllDirectories).OrderByDescending(f => new FileInfo(f).Length).First();
        await using (var file = new FileStream(pack, FileMode.Open, FileAccess.Write))
        {
            file.Position = file.Length / 2;
            await file.WriteAsync(new byte[] { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x11, 0x22, 0x33 }, Ct);
        }

        var check = await life.Backups.CheckAsync("default", Callers.Root, readAll: true, Ct);

        Assert.False(check.Ok, check.Output);
    }

    [Fact]
    public async Task AFullTargetFailsTheBackupPlainlyKeepsEarlierOnesAndTheNextSucceedsOnceThereIsRoom()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("bkf");
        await using var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct);
        await InstallWithDataAsync(life, name);
        await using var small = await SmallFileSystem.MountAsync(96, Ct);
        await life.Backups.SetTargetAsync(Callers.Root, "default", Path.Combine(small.Path, "repo"), ct: Ct);
        Assert.Equal(OperationState.Succeeded, (await life.Backups.BackupAsync(name, Callers.Root, Ct)).State);
        var first = Assert.Single(await life.Backups.ListAsync(Callers.Root, "default", name, Ct));

        // More than the target holds, and nothing restic can compress away.
        var data = (await life.Engine.Volumes.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, name), Ct)).Single(v => v.Name == ResourceNames.Volume(name, "data")).Mountpoint!;
        var buffer = new byte[1024 * 1024];
        for (var i = 0; i < 160; i++)
        {
            RandomNumberGenerator.Fill(buffer);
            await File.WriteAllBytesAsync(Path.Combine(data, $"big-{i:000}.bin"), buffer, Ct);
        }

        var full = await life.Backups.BackupAsync(name, Callers.Root, Ct);

        Assert.Equal(OperationState.Failed, full.State);
        Assert.Contains("NoSpace", full.Detail, StringComparison.Ordinal);
        Assert.Equal([first.SnapshotId], (await life.Backups.ListAsync(Callers.Root, "default", name, Ct)).Select(e => e.SnapshotId));
        Assert.Equal(InstanceState.Running, (await life.Instances.FindAsync(name, Ct))!.State);
        Assert.Equal("ok", (await life.GetAsync(name, "/health", Ct)).Trim());

        await small.GrowAsync(512, Ct);
        var next = await life.Backups.BackupAsync(name, Callers.Root, Ct);

        Assert.True(next.State == OperationState.Succeeded, $"{next.Outcome} / {next.Detail}");
        Assert.Equal(2, (await life.Backups.ListAsync(Callers.Root, "default", name, Ct)).Count);

        // Two backups on one day: both are among the newest five the retention always keeps
        // (beside 7 daily, 4 weekly, 6 monthly), and what the failed run wrote is pruned: the
        // repository reads back whole.
        Assert.True((await life.Backups.CheckAsync("default", Callers.Root, readAll: true, Ct)).Ok);
        var kept = (await life.Backups.ListAsync(Callers.Root, "default", name, Ct)).Select(e => e.SnapshotId).ToList();
        Assert.Equal(2, kept.Count);
        Assert.Equal(first.SnapshotId, kept[0]);
    }

    [Fact]
    public async Task AnUpdateDoesNotStartWhenItsBackupFails()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("bku");
        await using (var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct))
        {
            await InstallWithDataAsync(life, name);
            Assert.Equal(OperationState.Succeeded, (await life.Backups.BackupAsync(name, Callers.Root, Ct)).State);
            await life.Get<ISecretStore>().SetAsync(BackupRepositories.SecretOwner("default"), BackupRepositories.PasswordName, "not-the-password", Ct);
        }

        await using (var life = await Lifecycle.StartAsync(scratch.DataDirectory, 2, Ct))
        {
            var containers = await ContainerIdsAsync(life, name);

            var refused = await Assert.ThrowsAsync<AppRequestException>(() => life.Apps.UpdateAsync(name, Callers.Root, null, Ct));

            Assert.Equal("backup", refused.Field);
            Assert.Equal(("1", InstanceState.Running), ((await life.Instances.FindAsync(name, Ct))!.Version, (await life.Instances.FindAsync(name, Ct))!.State));
            Assert.Equal(containers, await ContainerIdsAsync(life, name));
            Assert.DoesNotContain(await life.Journal.ListAsync(name, null, 10, Ct), o => o.Kind == OperationKind.Update);
        }
    }

    [Fact]
    public async Task ADrillProvesTheDatabaseAppRestorableAndFailsVisiblyWhenTheProbeDiffers()
    {
        await using var scratch = new Scratch();
        var notes = scratch.Name("drn");
        var hello = scratch.Name("drh");
        await using var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct);
        await InstallWithDataAsync(life, notes);
        Assert.Equal(OperationState.Succeeded, (await life.Apps.InstallAsync(new InstallRequest("hello", Callers.Root) { Name = hello, Domain = $"{hello}.velo-lyon.fr" }, Ct)).State);
        Assert.Equal(OperationState.Succeeded, (await life.Backups.BackupAsync(notes, Callers.Root, Ct)).State);
        Assert.Equal(OperationState.Succeeded, (await life.Backups.BackupAsync(hello, Callers.Root, Ct)).State);
        Assert.Null(await life.Backups.LastProvenAsync(notes, Ct));
        var before = await ContainerIdsAsync(life, notes);

        var passed = await life.Backups.DrillAsync(notes, Callers.Root, Ct);
        var failed = await life.Backups.DrillAsync(hello, Callers.Root, Ct);

        Assert.True(passed.State == OperationState.Succeeded, $"{passed.Outcome} / {passed.Detail}");
        Assert.NotNull(await life.Backups.LastProvenAsync(notes, Ct));
        Assert.Equal(OperationState.Failed, failed.State);
        Assert.Contains("probe", failed.Detail, StringComparison.Ordinal);
        Assert.Null(await life.Backups.LastProvenAsync(hello, Ct));
        Assert.Equal(failed.Id, (await life.Journal.ListAsync(hello, null, 10, Ct)).First(o => o.Kind == OperationKind.Drill).Id);

        // The copies are gone with their data; the apps were not touched.
        var left = (await life.Instances.ListAsync(null, includeRemoved: true, Ct)).Where(i => i.Name.StartsWith("drill-", StringComparison.Ordinal)).ToList();
        Assert.Empty(left);
        var copies = (await life.Engine.Containers.ListAsync(LabelFilter.Managed, Ct)).Where(c => c.Labels.GetValueOrDefault(HostPanelLabels.Instance, "").StartsWith("drill-", StringComparison.Ordinal));
        Assert.Empty(copies);
        Assert.Equal(before, await ContainerIdsAsync(life, notes));
        Assert.Contains("\tcadenas", await life.GetAsync(notes, "/cgi-bin/notes", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackupsGoToAnSftpTargetAndComeBackFromIt()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("bks");
        await using var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct);
        await InstallWithDataAsync(life, name);
        var location = $"sftp://{World.SftpUser}@{World.SftpHost}:{World.SftpPort}/{World.SftpPath}/{name}";

        var unknownKey = await Assert.ThrowsAsync<AppRequestException>(() => life.Backups.SetTargetAsync(Callers.Root, "default", location, "/nonexistent/key", World.SftpKnownHosts, Ct));
        await life.Backups.SetTargetAsync(Callers.Root, "default", location, World.SftpKey, World.SftpKnownHosts, Ct);
        var backup = await life.Backups.BackupAsync(name, Callers.Root, Ct);
        Assert.Equal(OperationState.Succeeded, (await life.Apps.RemoveAsync(name, Callers.Root, purge: true, confirmed: true, Ct)).State);
        var entry = Assert.Single(await life.Backups.ListAsync(Callers.Root, "default", name, Ct));
        var restore = await life.Backups.RestoreAsync(entry.ShortId, Callers.Root, ct: Ct);

        Assert.Equal("ssh-key", unknownKey.Field);
        Assert.True(backup.State == OperationState.Succeeded, $"{backup.Outcome} / {backup.Detail}");
        Assert.True(Directory.Exists(Path.Combine(World.SftpPath, name, "data")), "the repository is not on the SFTP server's disk");
        Assert.True(restore.State == OperationState.Succeeded, $"{restore.Outcome} / {restore.Detail}");
        Assert.Contains("\tcadenas", await life.GetAsync(name, "/cgi-bin/notes", Ct), StringComparison.Ordinal);
    }

    private static async Task InstallWithDataAsync(Lifecycle life, string name)
    {
        var install = await life.Apps.InstallAsync(new InstallRequest("notes", Callers.Root) { Name = name, Domain = $"{name}.velo-lyon.fr" }, Ct);
        Assert.True(install.State == OperationState.Succeeded, install.Outcome);
        Assert.Contains("added", await life.GetAsync(name, "/cgi-bin/add?cadenas", Ct), StringComparison.Ordinal);
        await life.GetAsync(name, "/cgi-bin/write?atelier-du-jeudi", Ct);
    }

    private static async Task<Dictionary<string, string>> VolumeFilesAsync(Lifecycle life, string name, string key)
    {
        var volume = (await life.Engine.Volumes.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, name), Ct)).Single(v => v.Name == ResourceNames.Volume(name, key));
        return Hashes(volume.Mountpoint!);
    }

    private static Dictionary<string, string> Hashes(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(root, f),
            f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))),
            StringComparer.Ordinal);

    /// <summary>
    /// Every file as it was, except that the test app appends a line to starts.log each time it
    /// starts: that file must begin with what it held.
    /// </summary>
    private static void AssertSameFiles(Dictionary<string, string> before, Dictionary<string, string> after)
    {
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        foreach (var (file, hash) in before.Where(f => f.Key != "starts.log"))
        {
            Assert.True(hash == after[file], $"{file} differs");
        }
    }

    /// <summary>A plain-text dump of the app's database (pg_dump's random \restrict lines left out).</summary>
    private static async Task<string> DatabaseDumpAsync(Lifecycle life, string name)
    {
        var result = await life.Engine.Containers.ExecAsync(
            ResourceNames.Container(name, "db"),
            new ExecRequest { Command = ["sh", "-c", "PGPASSWORD=\"$POSTGRES_PASSWORD\" pg_dump -h 127.0.0.1 -U notes notes"], MaxOutputBytes = 16 * 1024 * 1024 },
            Ct);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return string.Join('\n', result.Stdout.Split('\n').Where(l => !l.StartsWith("\\restrict", StringComparison.Ordinal) && !l.StartsWith("\\unrestrict", StringComparison.Ordinal)));
    }

    private static async Task<List<string>> ContainerIdsAsync(Lifecycle life, string name) =>
        [.. (await life.Engine.Containers.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, name), Ct)).Select(c => $"{c.Id} {c.State}").Order(StringComparer.Ordinal)];

    private static async Task<string> ResticAsync(string repository, string password, params string[] args)
    {
        var start = new ProcessStartInfo("restic") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-r");
        start.ArgumentList.Add(repository);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["RESTIC_PASSWORD"] = password;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"restic {string.Join(' ', args)}: {await stderr}");
        return await stdout;
    }
}
