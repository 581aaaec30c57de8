using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using HostPanel.Core.Backups;
using HostPanel.Infrastructure.Backups;
using HostPanel.Integration.Tests.TestWorld;

namespace HostPanel.Integration.Tests.Backups;

/// <summary>The restic adapter against the installed restic, with repositories in temporary directories and on the world's SFTP server.</summary>
public sealed class ResticCliTests : IDisposable
{
    private const string Password = "correct horse battery staple";

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("hp-restic-");
    private readonly List<string> _cleanup = [];
    private readonly CancellationTokenSource _timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly ResticCli _restic;

    public ResticCliTests()
    {
        _timeout.CancelAfter(TimeSpan.FromMinutes(3));
        _restic = new ResticCli(cacheDirectory: Path.Combine(_root.FullName, "cache"));
    }

    private CancellationToken Ct => _timeout.Token;

    public void Dispose()
    {
        _timeout.Dispose();
        foreach (var path in _cleanup.Append(_root.FullName))
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    [Fact]
    public async Task ReportsItsVersion()
    {
        var version = await _restic.VersionAsync(Ct);

        Assert.Matches(@"^\d+\.\d+\.\d+", version);
    }

    [Fact]
    public async Task AKeyIsAddedAndTheOldOneRemovedSoOnlyTheNewPasswordOpensTheRepository()
    {
        var repo = Local("keys");
        await _restic.InitAsync(repo, Ct);
        var first = Assert.Single(await _restic.KeysAsync(repo, Ct));
        Assert.True(first.Current);

        var added = await _restic.AddKeyAsync(repo, "the successor's password", Ct);
        var renewed = repo with { Password = "the successor's password" };
        var seenWithNew = await _restic.KeysAsync(renewed, Ct);
        Assert.Equal(2, seenWithNew.Count);
        Assert.Equal(added, Assert.Single(seenWithNew, k => k.Current).Id);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => _restic.RemoveKeyAsync(renewed, "../x", Ct));
        await _restic.RemoveKeyAsync(renewed, first.Id, Ct);

        Assert.Contains("key id", refused.Message, StringComparison.Ordinal);
        Assert.Equal(added, Assert.Single(await _restic.KeysAsync(renewed, Ct)).Id);
        var old = await Assert.ThrowsAsync<ResticException>(() => _restic.SnapshotsAsync(repo, null, Ct));
        Assert.Equal(ResticFailure.WrongPassword, old.Failure);
        Assert.DoesNotContain(Password, old.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitCreatesARepositoryThatThenExists()
    {
        var repo = Local("repo");

        Assert.False(await _restic.ExistsAsync(repo, Ct));
        await _restic.InitAsync(repo, Ct);

        Assert.True(await _restic.ExistsAsync(repo, Ct));
        Assert.True(File.Exists(Path.Combine(repo.Location, "config")));
        Assert.Empty(await _restic.SnapshotsAsync(repo, ct: Ct));
        var again = await Assert.ThrowsAsync<ResticException>(() => _restic.InitAsync(repo, Ct));
        Assert.Equal(ResticFailure.Other, again.Failure);
    }

    [Fact]
    public async Task AnEmptyDirectoryIsNoRepository()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_root.FullName, "empty"));

        Assert.False(await _restic.ExistsAsync(Local("empty"), Ct));
        Assert.Empty(empty.GetFileSystemInfos());
        var ex = await Assert.ThrowsAsync<ResticException>(() => _restic.SnapshotsAsync(Local("empty"), ct: Ct));
        Assert.Equal(ResticFailure.RepositoryNotFound, ex.Failure);
    }

    [Fact]
    public async Task AWrongPasswordIsToldApartAndNeverShown()
    {
        var repo = Local("repo");
        await _restic.InitAsync(repo, Ct);
        var wrong = repo with { Password = "not the password at all" };

        var exists = await Assert.ThrowsAsync<ResticException>(() => _restic.ExistsAsync(wrong, Ct));
        var snapshots = await Assert.ThrowsAsync<ResticException>(() => _restic.SnapshotsAsync(wrong, ct: Ct));

        foreach (var ex in new[] { exists, snapshots })
        {
            Assert.Equal(ResticFailure.WrongPassword, ex.Failure);
            Assert.Contains("wrong password or no key found", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(wrong.Password, ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BacksUpATreeListsItAndRestoresPartOfIt()
    {
        var repo = await NewRepoAsync("repo");
        var src = MakeTree("src");

        var summary = await _restic.BackupFilesAsync(repo, [src], ["app:gallery", "files"], ct: Ct);

        var snapshot = Assert.Single(await _restic.SnapshotsAsync(repo, ct: Ct));
        Assert.StartsWith(summary.SnapshotId, snapshot.Id, StringComparison.Ordinal);
        Assert.StartsWith(snapshot.ShortId, snapshot.Id, StringComparison.Ordinal);
        Assert.Equal(new[] { "app:gallery", "files" }, snapshot.Tags.Order());
        Assert.Equal(new[] { src }, snapshot.Paths);
        Assert.Equal(ResticCli.SnapshotHost, snapshot.Hostname);
        Assert.True(Math.Abs((DateTimeOffset.UtcNow - snapshot.Time).TotalMinutes) < 5, $"snapshot time {snapshot.Time}");
        Assert.Equal(202, summary.FilesNew);
        Assert.Equal(202, summary.TotalFilesProcessed);
        Assert.Single(await _restic.SnapshotsAsync(repo, ["files", "app:gallery"], Ct));
        Assert.Empty(await _restic.SnapshotsAsync(repo, ["files", "app:other"], Ct));

        var nodes = await _restic.ListAsync(repo, snapshot.Id, Ct);
        var link = Assert.Single(nodes, n => n.Path == $"{src}/link");
        Assert.Equal("symlink", link.Type);
        Assert.Equal("a/b/c/deep.txt", link.LinkTarget);
        Assert.Equal(202, nodes.Count(n => n.Type == "file" && n.Path.StartsWith(src + "/", StringComparison.Ordinal)));
        Assert.Contains(nodes, n => n.Path == $"{src}/a/b/c" && n.Type == "dir");
        Assert.Equal(new FileInfo(Path.Combine(src, "many", "f007.bin")).Length, Assert.Single(nodes, n => n.Path == $"{src}/many/f007.bin").Size);

        var target = Path.Combine(_root.FullName, "restored");
        await _restic.RestoreAsync(repo, snapshot.ShortId, target, [$"{src}/a", $"{src}/link"], Ct);

        var restored = target + src;
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(src, "a/b/c/deep.txt"), Ct), await File.ReadAllBytesAsync(Path.Combine(restored, "a/b/c/deep.txt"), Ct));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(src, "a/top.txt"), Ct), await File.ReadAllBytesAsync(Path.Combine(restored, "a/top.txt"), Ct));
        Assert.Equal("a/b/c/deep.txt", new FileInfo(Path.Combine(restored, "link")).LinkTarget);
        Assert.False(Directory.Exists(Path.Combine(restored, "many")), "only the included paths are restored");

        var all = Path.Combine(_root.FullName, "restored-all");
        await _restic.RestoreAsync(repo, snapshot.Id, all, ct: Ct);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(src, "many")))
        {
            Assert.Equal(await File.ReadAllBytesAsync(file, Ct), await File.ReadAllBytesAsync(all + file, Ct));
        }
    }

    [Fact]
    public async Task ABackupFromStandardInputDumpsBackIdentical()
    {
        var repo = await NewRepoAsync("repo");
        var data = RandomNumberGenerator.GetBytes(5 * 1024 * 1024);

        var summary = await _restic.BackupStdinAsync(repo, "gallery.sql", async (stdin, ct) =>
        {
            for (var offset = 0; offset < data.Length; offset += 100_000)
            {
                await stdin.WriteAsync(data.AsMemory(offset, Math.Min(100_000, data.Length - offset)), ct);
            }
        }, ["app:gallery", "db"], Ct);

        var snapshot = Assert.Single(await _restic.SnapshotsAsync(repo, ct: Ct));
        Assert.StartsWith(summary.SnapshotId, snapshot.Id, StringComparison.Ordinal);
        Assert.Equal(new[] { "/gallery.sql" }, snapshot.Paths);
        Assert.Equal(data.Length, summary.TotalBytesProcessed);

        using var copy = new MemoryStream();
        await _restic.DumpAsync(repo, snapshot.Id, "/gallery.sql", (stdout, ct) => stdout.CopyToAsync(copy, ct), Ct);
        Assert.True(data.AsSpan().SequenceEqual(copy.ToArray()), $"dumped {copy.Length} bytes, backed up {data.Length}");

        // A reader that stops early does not break the dump.
        var head = new byte[10];
        await _restic.DumpAsync(repo, snapshot.Id, "/gallery.sql", (stdout, ct) => stdout.ReadExactlyAsync(head, ct).AsTask(), Ct);
        Assert.Equal(data[..10], head);

        var missing = await Assert.ThrowsAsync<ResticException>(() =>
            _restic.DumpAsync(repo, snapshot.Id, "/nothing.sql", (stdout, ct) => stdout.CopyToAsync(Stream.Null, ct), Ct));
        Assert.Contains("not found", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailingWriterLeavesNoSnapshotAndNoLock()
    {
        var repo = await NewRepoAsync("repo");
        var failure = new InvalidOperationException("pg_dump exited with code 1");
        var clock = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<ResticException>(() => _restic.BackupStdinAsync(repo, "gallery.sql", async (stdin, ct) =>
        {
            await stdin.WriteAsync(RandomNumberGenerator.GetBytes(1024 * 1024), ct);
            await stdin.FlushAsync(ct);
            await Task.Delay(300, ct);
            throw failure;
        }, ["db"], Ct));

        Assert.Equal(ResticFailure.SourceFailed, ex.Failure);
        Assert.Same(failure, ex.InnerException);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(14), $"stopping restic took {clock.Elapsed}");
        Assert.Empty(await _restic.SnapshotsAsync(repo, ct: Ct));
        Assert.Empty(await _restic.LocksAsync(repo, Ct));

        // The repository is fine for the next backup.
        await _restic.BackupStdinAsync(repo, "gallery.sql", (stdin, ct) => stdin.WriteAsync(new byte[] { 1, 2, 3 }, ct).AsTask(), ["db"], Ct);
        Assert.Single(await _restic.SnapshotsAsync(repo, ct: Ct));
    }

    [Fact]
    public async Task AStdinBackupIntoAWrongPasswordSaysSoEvenWhileTheWriterWrites()
    {
        var repo = await NewRepoAsync("repo");

        var ex = await Assert.ThrowsAsync<ResticException>(() => _restic.BackupStdinAsync(repo with { Password = "nope-nope" }, "x.sql", async (stdin, ct) =>
        {
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < 1000; i++)
            {
                await stdin.WriteAsync(chunk, ct);
            }
        }, [], Ct));

        Assert.Equal(ResticFailure.WrongPassword, ex.Failure);
    }

    [Fact]
    public async Task ReportsProgressDuringABackup()
    {
        var repo = await NewRepoAsync("repo");
        var src = Directory.CreateDirectory(Path.Combine(_root.FullName, "big")).FullName;
        for (var i = 0; i < 5; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(src, $"part{i}"), RandomNumberGenerator.GetBytes(10_000_000), Ct);
        }

        var progress = new Collect();
        var summary = await _restic.BackupFilesAsync(repo, [src], ["big"], progress, Ct);

        Assert.Equal(50_000_000, summary.TotalBytesProcessed);
        Assert.True(summary.DataAdded >= 50_000_000, $"data added {summary.DataAdded}");
        Assert.True(progress.Reports.Count >= 2, $"{progress.Reports.Count} progress reports");
        Assert.Contains(progress.Reports, p => p.TotalBytes == 50_000_000 && p.BytesDone > 0 && p.PercentDone is > 0 and <= 1);
        Assert.All(progress.Reports, p => Assert.InRange(p.PercentDone, 0, 1));
    }

    [Fact]
    public async Task AnUnreadableFileFailsTheBackupAndIsNamed()
    {
        const string unreadable = "/proc/1/environ";
        try
        {
            await File.ReadAllBytesAsync(unreadable, Ct);
            Assert.Skip($"{unreadable} is readable here: no file to fail on.");
        }
        catch (UnauthorizedAccessException)
        {
        }

        var repo = await NewRepoAsync("repo");
        var src = Directory.CreateDirectory(Path.Combine(_root.FullName, "src")).FullName;
        await File.WriteAllTextAsync(Path.Combine(src, "ok.txt"), "fine", Ct);

        var ex = await Assert.ThrowsAsync<ResticException>(() => _restic.BackupFilesAsync(repo, [src, unreadable], ["files"], ct: Ct));

        Assert.Equal(3, ex.ExitCode);
        Assert.Contains(unreadable, ex.Message, StringComparison.Ordinal);
        Assert.Contains("permission denied", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusesTagsWithCommasAndMissingPaths()
    {
        var repo = await NewRepoAsync("repo");
        var src = Directory.CreateDirectory(Path.Combine(_root.FullName, "src")).FullName;

        var comma = await Assert.ThrowsAsync<ArgumentException>(() => _restic.BackupFilesAsync(repo, [src], ["a,b"], ct: Ct));
        Assert.Contains("a,b", comma.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => _restic.SnapshotsAsync(repo, ["x,y"], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => _restic.BackupFilesAsync(repo, [src, Path.Combine(src, "missing")], [], ct: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => _restic.ListAsync(repo, "--help", Ct));
        Assert.Empty(await _restic.SnapshotsAsync(repo, ct: Ct));
    }

    [Fact]
    public async Task FindsASnapshotByItsPrefixWithItsTree()
    {
        var repo = await NewRepoAsync("repo");
        var src = MakeTree("src");
        await _restic.BackupFilesAsync(repo, [src], ["hostpanel", "part=main"], ct: Ct);
        var snapshot = Assert.Single(await _restic.SnapshotsAsync(repo, ct: Ct));

        var found = await _restic.FindAsync(repo, snapshot.ShortId[..6], Ct);

        Assert.NotNull(found);
        Assert.Equal((snapshot.Id, snapshot.ShortId, snapshot.Time, snapshot.Hostname), (found.Snapshot.Id, found.Snapshot.ShortId, found.Snapshot.Time, found.Snapshot.Hostname));
        Assert.Equal(snapshot.Paths, found.Snapshot.Paths);
        Assert.Equal(new[] { "hostpanel", "part=main" }, found.Snapshot.Tags.Order());
        Assert.Equal(202, found.Nodes.Count(n => n.Type == "file"));
        Assert.Equal("a/b/c/deep.txt", Assert.Single(found.Nodes, n => n.Path == $"{src}/link").LinkTarget);
        var other = snapshot.Id[0] == 'f' ? "0" : "f";
        Assert.Null(await _restic.FindAsync(repo, other + snapshot.Id[1..8], Ct));

        // Snapshots until two share their first digit (at most 17 are needed): that digit is ambiguous.
        string? shared = null;
        for (var i = 0; i < 17 && shared is null; i++)
        {
            await StdinBackupAsync(repo, ["db"], i);
            shared = (await _restic.SnapshotsAsync(repo, ct: Ct)).GroupBy(s => s.Id[..1]).FirstOrDefault(g => g.Count() > 1)?.Key;
        }

        Assert.NotNull(shared);
        var ambiguous = await Assert.ThrowsAsync<ResticException>(() => _restic.FindAsync(repo, shared, Ct));
        Assert.Equal(ResticFailure.Ambiguous, ambiguous.Failure);
    }

    [Fact]
    public async Task ForgetsSnapshotsByTheirIds()
    {
        var repo = await NewRepoAsync("repo");
        for (var i = 0; i < 3; i++)
        {
            await StdinBackupAsync(repo, ["db"], i);
        }

        var before = await _restic.SnapshotsAsync(repo, ct: Ct);
        Assert.Equal(3, before.Count);
        Assert.True(before[0].Time <= before[1].Time && before[1].Time <= before[2].Time, "oldest first");

        await _restic.ForgetAsync(repo, [before[0].Id, before[2].ShortId], Ct);

        var after = Assert.Single(await _restic.SnapshotsAsync(repo, ct: Ct));
        Assert.Equal(before[1].Id, after.Id);
    }

    [Fact]
    public async Task ForgetsByPolicyPerGroupOfTags()
    {
        var repo = await NewRepoAsync("repo");
        for (var i = 0; i < 3; i++)
        {
            await StdinBackupAsync(repo, ["app:a", "db"], i);
        }

        for (var i = 0; i < 2; i++)
        {
            await StdinBackupAsync(repo, ["app:a", "files"], i);
        }

        for (var i = 0; i < 2; i++)
        {
            await StdinBackupAsync(repo, ["app:b", "db"], i);
        }

        var before = await _restic.SnapshotsAsync(repo, ct: Ct);

        await _restic.ForgetByPolicyAsync(repo, new ResticRetention(Daily: 1, Weekly: 1, Monthly: 1, Last: 0), ["app:a"], Ct);

        var after = await _restic.SnapshotsAsync(repo, ct: Ct);
        Assert.Equal(4, after.Count);
        Assert.Equal(before.Last(s => s.Tags.Contains("db") && s.Tags.Contains("app:a")).Id, Assert.Single(after, s => s.Tags.Contains("db") && s.Tags.Contains("app:a")).Id);
        Assert.Equal(before.Last(s => s.Tags.Contains("files")).Id, Assert.Single(after, s => s.Tags.Contains("files")).Id);
        Assert.Equal(2, after.Count(s => s.Tags.Contains("app:b")));
        Assert.True((await _restic.CheckAsync(repo, ct: Ct)).Ok, "the pruned repository checks");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _restic.ForgetByPolicyAsync(repo, new ResticRetention(0, 0, 0, 0), [], Ct));
    }

    [Fact]
    public async Task CheckFindsACorruptedPackOnlyWhenReadingTheData()
    {
        var repo = await NewRepoAsync("repo");
        var src = Directory.CreateDirectory(Path.Combine(_root.FullName, "src")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(src, "data.bin"), RandomNumberGenerator.GetBytes(3_000_000), Ct);
        await _restic.BackupFilesAsync(repo, [src], ["files"], ct: Ct);

        var fresh = await _restic.CheckAsync(repo, "1/1", Ct);
        Assert.True(fresh.Ok, fresh.Output);
        Assert.Contains("no errors were found", fresh.Output, StringComparison.Ordinal);

        // The largest pack holds the file's data (the trees' packs are tiny).
        var pack = new DirectoryInfo(Path.Combine(repo.Location, "data")).EnumerateFiles("*", SearchOption.AllDirectories).MaxBy(f => f.Length)!;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(pack.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await using (var stream = new FileStream(pack.FullName, FileMode.Open, FileAccess.Write))
        {
            stream.Seek(pack.Length / 2, SeekOrigin.Begin);
            await stream.WriteAsync(new byte[256], Ct);
        }

        var structure = await _restic.CheckAsync(repo, ct: Ct);
        Assert.True(structure.Ok, "without reading data, the damage is not seen: " + structure.Output);

        var read = await _restic.CheckAsync(repo, "1/1", Ct);
        Assert.False(read.Ok, read.Output);
        Assert.Contains("repository contains errors", read.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaleLocksAreShownBlockAndAreRemoved()
    {
        var repo = await NewRepoAsync("repo");
        var src = Directory.CreateDirectory(Path.Combine(_root.FullName, "src")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(src, "data.bin"), RandomNumberGenerator.GetBytes(4_000_000), Ct);
        var first = await _restic.BackupFilesAsync(repo, [src], ["files"], ct: Ct);

        // An exclusive lock left by a killed `check` (slowed down so that it holds its lock).
        var check = await KillWhileLockedAsync(repo, "check", "--read-data", "--limit-download", "16");
        var stale = Assert.Single(await _restic.LocksAsync(repo, Ct));
        Assert.Equal(check, stale.Pid);
        Assert.True(stale.Exclusive);
        Assert.Equal(Environment.MachineName, stale.Hostname);
        Assert.True(Math.Abs((DateTimeOffset.UtcNow - stale.Time).TotalMinutes) < 5, $"lock time {stale.Time}");
        var blocked = await Assert.ThrowsAsync<ResticException>(() => _restic.BackupFilesAsync(repo, [src], ["files"], ct: Ct));
        Assert.Equal(ResticFailure.Locked, blocked.Failure);

        await _restic.UnlockStaleAsync(repo, Ct);
        Assert.Empty(await _restic.LocksAsync(repo, Ct));
        await _restic.BackupFilesAsync(repo, [src], ["files"], ct: Ct);

        // A shared lock left by a killed `backup` (slowed down likewise): restic 0.14 lets other
        // backups run beside it, but nothing that needs the repository to itself.
        await File.WriteAllBytesAsync(Path.Combine(src, "more.bin"), RandomNumberGenerator.GetBytes(4_000_000), Ct);
        var backup = await KillWhileLockedAsync(repo, "backup", "--limit-upload", "16", src);
        var shared = Assert.Single(await _restic.LocksAsync(repo, Ct));
        Assert.Equal(backup, shared.Pid);
        Assert.False(shared.Exclusive);
        var forget = await Assert.ThrowsAsync<ResticException>(() => _restic.ForgetAsync(repo, [first.SnapshotId], Ct));
        Assert.Equal(ResticFailure.Locked, forget.Failure);
        Assert.Contains("already locked", forget.Message, StringComparison.Ordinal);

        await _restic.UnlockStaleAsync(repo, Ct);
        Assert.Empty(await _restic.LocksAsync(repo, Ct));
        await _restic.ForgetAsync(repo, [first.SnapshotId], Ct);
        await _restic.BackupFilesAsync(repo, [src], ["files"], ct: Ct);
        Assert.Equal(2, (await _restic.SnapshotsAsync(repo, ct: Ct)).Count);
    }

    [Fact]
    public async Task LocksOfARunningBackupAreListedAndCancellingItLeavesNothing()
    {
        var repo = await NewRepoAsync("repo");
        var src = Directory.CreateDirectory(Path.Combine(_root.FullName, "src")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(src, "data.bin"), RandomNumberGenerator.GetBytes(2_000_000), Ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        // A stdin backup whose writer never ends, until cancelled.
        var running = _restic.BackupStdinAsync(repo, "endless.sql", async (stdin, ct) =>
        {
            var chunk = new byte[4096];
            while (true)
            {
                await stdin.WriteAsync(chunk, ct);
                await Task.Delay(20, ct);
            }
        }, ["db"], cancel.Token);

        var deadline = Stopwatch.StartNew();
        IReadOnlyList<ResticLock> locks = [];
        while (locks.Count == 0 && deadline.Elapsed < TimeSpan.FromSeconds(30) && !running.IsCompleted)
        {
            locks = await _restic.LocksAsync(repo, Ct);
            await Task.Delay(50, Ct);
        }

        var held = Assert.Single(locks);
        Assert.False(held.Exclusive);
        Assert.Empty(await _restic.SnapshotsAsync(repo, ct: Ct));

        cancel.Cancel();
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(14), $"cancelling took {clock.Elapsed}");
        Assert.Empty(await _restic.LocksAsync(repo, Ct));
        Assert.Empty(await _restic.SnapshotsAsync(repo, ct: Ct));
    }

    [Fact]
    public async Task WorksOverSftpWithItsOwnKeyAndKnownHosts()
    {
        var name = World.UniqueName("restic");
        _cleanup.Add(Path.Combine(World.SftpPath, name));
        var repo = Sftp(name, World.SftpKnownHosts);

        Assert.False(await _restic.ExistsAsync(repo, Ct));
        await _restic.InitAsync(repo, Ct);
        Assert.True(await _restic.ExistsAsync(repo, Ct));
        Assert.True(File.Exists(Path.Combine(World.SftpPath, name, "config")), "the repository is on the SFTP server");

        var src = MakeTree("src");
        var summary = await _restic.BackupFilesAsync(repo, [src], ["app:gallery", "files"], ct: Ct);
        var snapshot = Assert.Single(await _restic.SnapshotsAsync(repo, ["files"], Ct));
        Assert.StartsWith(summary.SnapshotId, snapshot.Id, StringComparison.Ordinal);

        var target = Path.Combine(_root.FullName, "restored");
        await _restic.RestoreAsync(repo, snapshot.Id, target, [$"{src}/many"], Ct);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(src, "many")))
        {
            Assert.Equal(await File.ReadAllBytesAsync(file, Ct), await File.ReadAllBytesAsync(target + file, Ct));
        }

        var wrong = await Assert.ThrowsAsync<ResticException>(() => _restic.ExistsAsync(repo with { Password = "nope-nope" }, Ct));
        Assert.Equal(ResticFailure.WrongPassword, wrong.Failure);
    }

    [Fact]
    public async Task AnUnknownSftpHostKeyIsUnreachable()
    {
        var knownHosts = Path.Combine(_root.FullName, "known hosts");
        await File.WriteAllTextAsync(knownHosts, string.Empty, Ct);
        var name = World.UniqueName("restic");
        _cleanup.Add(Path.Combine(World.SftpPath, name));
        var clock = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<ResticException>(() => _restic.ExistsAsync(Sftp(name, knownHosts), Ct));

        Assert.Equal(ResticFailure.Unreachable, ex.Failure);
        // ssh's own line ("Host key verification failed.") may or may not reach restic's output
        // before restic gives up on the session, depending on timing; restic's always does.
        Assert.Matches("Host key verification failed|unable to start the sftp session", ex.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.False(Directory.Exists(Path.Combine(World.SftpPath, name)));
    }

    [Fact]
    public void BuildsTheSshCommandFromTheLocation()
    {
        var repo = new ResticRepository
        {
            Location = "sftp://backup@example.org:2200//srv/backups/asso",
            Password = Password,
            SshKeyFile = "/etc/hostpanel/ssh/id_ed25519",
            SshKnownHostsFile = "/etc/hostpanel/ssh/known hosts",
        };

        Assert.Equal(
            "ssh backup@example.org -p 2200 -i /etc/hostpanel/ssh/id_ed25519 -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes -o \"UserKnownHostsFile=/etc/hostpanel/ssh/known hosts\" -s sftp",
            ResticCli.SftpCommand(repo));
        Assert.Null(ResticCli.SftpCommand(repo with { SshKeyFile = null, SshKnownHostsFile = null }));
        Assert.Throws<ArgumentException>(() => ResticCli.SftpCommand(repo with { Location = "/srv/backups" }));
        Assert.Throws<ArgumentException>(() => ResticCli.SftpCommand(repo with { SshKeyFile = "/tmp/a\"b" }));
    }

    // ---- helpers ----------------------------------------------------------------------------

    private ResticRepository Local(string name) => new() { Location = Path.Combine(_root.FullName, name), Password = Password };

    private ResticRepository Sftp(string name, string knownHosts) => new()
    {
        Location = $"sftp://{World.SftpUser}@{World.SftpHost}:{World.SftpPort}/{World.SftpPath}/{name}",
        Password = Password,
        SshKeyFile = World.SftpKey,
        SshKnownHostsFile = knownHosts,
    };

    private async Task<ResticRepository> NewRepoAsync(string name)
    {
        var repo = Local(name);
        await _restic.InitAsync(repo, Ct);
        return repo;
    }

    private async Task StdinBackupAsync(ResticRepository repo, IReadOnlyList<string> tags, int content) =>
        await _restic.BackupStdinAsync(repo, "dump.sql", (stdin, ct) => stdin.WriteAsync(new[] { (byte)content }, ct).AsTask(), tags, Ct);

    /// <summary>A tree with nested directories, a symlink and 200 files of various sizes; returns its path.</summary>
    private string MakeTree(string name)
    {
        var src = Directory.CreateDirectory(Path.Combine(_root.FullName, name)).FullName;
        Directory.CreateDirectory(Path.Combine(src, "a/b/c"));
        File.WriteAllText(Path.Combine(src, "a/top.txt"), "top\n");
        File.WriteAllBytes(Path.Combine(src, "a/b/c/deep.txt"), RandomNumberGenerator.GetBytes(70_000));
        File.CreateSymbolicLink(Path.Combine(src, "link"), "a/b/c/deep.txt");
        Directory.CreateDirectory(Path.Combine(src, "many"));
        for (var i = 0; i < 200; i++)
        {
            File.WriteAllBytes(Path.Combine(src, "many", $"f{i:D3}.bin"), RandomNumberGenerator.GetBytes(i * 517));
        }

        return src;
    }

    /// <summary>
    /// Runs restic directly (as another program would), waits until it holds a lock, kills it
    /// with SIGKILL so that the lock stays, and returns its pid.
    /// </summary>
    private async Task<int> KillWhileLockedAsync(ResticRepository repo, params string[] args)
    {
        var start = new ProcessStartInfo("restic")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-r", repo.Location, "--cache-dir", Path.Combine(_root.FullName, "cache") }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["RESTIC_PASSWORD"] = repo.Password;
        start.Environment["TMPDIR"] = _root.FullName;
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var deadline = Stopwatch.StartNew();
            while (!(await _restic.LocksAsync(repo, Ct)).Any(l => l.Pid == process.Id))
            {
                Assert.False(process.HasExited, $"restic {string.Join(' ', args)} ended (exit code {(process.HasExited ? process.ExitCode : 0)}) before its lock was seen");
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "no lock of the restic process within 30 s");
                await Task.Delay(50, Ct);
            }

            return process.Id;
        }
        finally
        {
            process.Kill();
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            wait.CancelAfter(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(wait.Token);
        }
    }

    /// <summary>Collects progress reports as they come (Progress&lt;T&gt; would post them later).</summary>
    private sealed class Collect : IProgress<ResticProgress>
    {
        private readonly ConcurrentQueue<ResticProgress> _reports = new();

        public IReadOnlyCollection<ResticProgress> Reports => _reports;

        public void Report(ResticProgress value) => _reports.Enqueue(value);
    }
}
