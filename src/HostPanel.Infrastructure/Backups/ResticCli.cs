using System.ComponentModel;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CliWrap;
using HostPanel.Core.Backups;

namespace HostPanel.Infrastructure.Backups;

/// <summary>
/// <see cref="IRestic"/> by running the restic program (written against restic 0.14): argument
/// lists only, the password in RESTIC_PASSWORD, the repository in <c>-r</c>, <c>--json</c> where
/// restic offers it, and failures sorted into <see cref="ResticFailure"/> from restic's exit code
/// and the last lines it wrote to standard error.
/// </summary>
/// <param name="resticPath">The restic program (a name looked up on PATH, or a path).</param>
/// <param name="cacheDirectory">restic's cache directory (<c>--cache-dir</c>); restic's default when null.</param>
public sealed partial class ResticCli(string resticPath = "restic", string? cacheDirectory = null) : IRestic
{
    /// <summary>The host name every snapshot is made under, so restic's parent detection works whatever the machine is called.</summary>
    public const string SnapshotHost = "hostpanel";

    /// <summary>
    /// Reads and drops an output. (CliWrap's PipeTarget.Null does not read: restic would die of
    /// SIGPIPE, exit code 141, on its first line.)
    /// </summary>
    private static readonly PipeTarget Discard = PipeTarget.Create((source, ct) => source.CopyToAsync(Stream.Null, ct));

    /// <summary>How much of restic's standard error is kept for messages.</summary>
    private const int StderrLimit = 64 * 1024;

    /// <summary>How long restic gets to stop (and remove its lock) after an interrupt before it is killed.</summary>
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Variables of the caller's environment that would change which password or repository
    /// restic uses (restic prefers a password file or command over RESTIC_PASSWORD): removed.
    /// </summary>
    private static readonly string[] ClearedVariables =
    [
        "RESTIC_PASSWORD_FILE", "RESTIC_PASSWORD_COMMAND", "RESTIC_REPOSITORY", "RESTIC_REPOSITORY_FILE", "RESTIC_KEY_HINT",
    ];

    public async Task<string> VersionAsync(CancellationToken ct = default)
    {
        var stdout = new OutputTail(StderrLimit);
        var run = await RunAsync(null, ["version"], PipeTarget.ToDelegate(stdout.Add, Encoding.UTF8), ct).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw Failure(null, "version", run);
        }

        // "restic 0.14.0 compiled with go1.19.8 on linux/amd64"
        var words = stdout.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return words is ["restic", var version, ..]
            ? version
            : throw new ResticException(ResticFailure.Other, $"restic version printed something unexpected: {stdout.Text}", 0);
    }

    public async Task<bool> ExistsAsync(ResticRepository repository, CancellationToken ct = default)
    {
        // Reading the config needs the key: a wrong password is told apart from no repository.
        var run = await RunAsync(repository, ["cat", "config", "--no-lock"], Discard, ct).ConfigureAwait(false);
        if (run.ExitCode == 0)
        {
            return true;
        }

        var failure = Failure(repository, "cat config", run);
        return failure.Failure == ResticFailure.RepositoryNotFound ? false : throw failure;
    }

    public async Task InitAsync(ResticRepository repository, CancellationToken ct = default)
    {
        var run = await RunAsync(repository, ["init"], Discard, ct).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw Failure(repository, "init", run);
        }
    }

    public async Task<ResticBackupSummary> BackupFilesAsync(
        ResticRepository repository,
        IReadOnlyList<string> paths,
        IReadOnlyList<string> tags,
        IProgress<ResticProgress>? progress = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ArgumentException("A backup needs at least one path.", nameof(paths));
        }

        foreach (var path in paths)
        {
            if (!Path.IsPathFullyQualified(path))
            {
                throw new ArgumentException($"Backup paths must be absolute: '{path}'.", nameof(paths));
            }

            // restic 0.14 skips a missing path with a warning and exit code 0: the snapshot would
            // silently lack it.
            if (!Path.Exists(path) && new FileInfo(path).LinkTarget is null)
            {
                throw new ArgumentException($"Backup path '{path}' does not exist.", nameof(paths));
            }
        }

        List<string> args = ["backup", "--json", "--host", SnapshotHost, .. TagArguments(tags), "--", .. paths];
        var parser = new BackupOutput(progress);
        var errors = new BackupErrors();
        var run = await RunAsync(repository, args, PipeTarget.ToDelegate(parser.Add, Encoding.UTF8), ct, errors.Add).ConfigureAwait(false);
        return await FinishBackupAsync(repository, run, parser, errors, ct).ConfigureAwait(false);
    }

    public async Task<ResticBackupSummary> BackupStdinAsync(
        ResticRepository repository,
        string fileName,
        Func<Stream, CancellationToken, Task> write,
        IReadOnlyList<string> tags,
        CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentNullException.ThrowIfNull(write);
        if (fileName.Contains('/', StringComparison.Ordinal) || fileName.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The file name '{fileName}' must not contain '/'.", nameof(fileName));
        }

        List<string> args = ["backup", "--stdin", "--stdin-filename", fileName, "--json", "--host", SnapshotHost, .. TagArguments(tags)];
        var parser = new BackupOutput(null);
        var errors = new BackupErrors();
        Exception? writerFailure = null;
        using var stopper = new Stopper(ct);

        // When the writer fails, restic must never see the end of its input: it would take what it
        // got for the whole file and save a snapshot. CliWrap closes restic's stdin as soon as this
        // delegate returns or throws, so restic is stopped from inside it, before the exception
        // leaves: an interrupt first (restic then removes its lock and exits without saving), a
        // kill if it is not gone within the grace period.
        var stdin = PipeSource.Create(async (destination, pipeCt) =>
        {
            using var writeCts = CancellationTokenSource.CreateLinkedTokenSource(pipeCt, ct);
            try
            {
                await write(destination, writeCts.Token).ConfigureAwait(false);
                await destination.FlushAsync(writeCts.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                writerFailure = e;
                stopper.Interrupt();

                // CliWrap cancels pipeCt once restic has exited.
                try
                {
                    await Task.Delay(GracePeriod, pipeCt).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }

                stopper.Kill();
                throw;
            }
        });

        Outcome run;
        try
        {
            run = await RunAsync(repository, args, PipeTarget.ToDelegate(parser.Add, Encoding.UTF8), ct, errors.Add, stdin, stopper).ConfigureAwait(false);
        }
        catch (Exception e) when (writerFailure is not null && e is not ResticException && !ct.IsCancellationRequested)
        {
            run = new Outcome(-1, stopper.Stderr);
        }

        if (writerFailure is not null)
        {
            ct.ThrowIfCancellationRequested();

            // restic may have failed on its own first (wrong password…), breaking the writer's pipe:
            // then restic's own error is the one to report.
            // (When it was interrupted by us, it says so first.)
            var stderr = run.Stderr.Text;
            if (FatalLine().IsMatch(stderr) && !stderr.Contains("signal interrupt received", StringComparison.Ordinal))
            {
                var own = Failure(repository, "backup --stdin", run);
                throw new ResticException(own.Failure, own.Message, own.ExitCode, writerFailure);
            }

            throw new ResticException(
                ResticFailure.SourceFailed,
                Scrub($"The data to back up as '{fileName}' could not be produced ({writerFailure.GetType().Name}: {writerFailure.Message}); restic was stopped before saving a snapshot.", repository),
                run.ExitCode,
                writerFailure);
        }

        return await FinishBackupAsync(repository, run, parser, errors, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ResticSnapshot>> SnapshotsAsync(ResticRepository repository, IReadOnlyList<string>? tags = null, CancellationToken ct = default)
    {
        List<string> args = ["snapshots", "--json", "--no-lock"];
        if (tags is { Count: > 0 })
        {
            // One --tag with a comma-separated list: snapshots carrying all of them.
            ValidateTags(tags);
            args.AddRange(["--tag", string.Join(',', tags)]);
        }

        var snapshots = await ReadSnapshotsAsync(repository, args, "snapshots", ct).ConfigureAwait(false);
        return [.. snapshots.OrderBy(s => s.Time)];
    }

    public async Task<IReadOnlyList<ResticNode>> ListAsync(ResticRepository repository, string snapshotId, CancellationToken ct = default)
    {
        ValidateSnapshotId(snapshotId);
        return (await ListingAsync(repository, snapshotId, ct).ConfigureAwait(false))?.Nodes
            ?? throw new ResticException(ResticFailure.Other, Scrub($"restic found no snapshot {snapshotId}.", repository), 0);
    }

    public async Task<ResticListing?> FindAsync(ResticRepository repository, string idOrPrefix, CancellationToken ct = default)
    {
        ValidateSnapshotId(idOrPrefix);
        return await ListingAsync(repository, idOrPrefix, ct).ConfigureAwait(false);
    }

    // One `ls` run: its first line is the snapshot, then one line per node. restic 0.14 exits 0
    // when the id matches nothing (it says "Ignoring …" on stderr), and reports an ambiguous
    // prefix the same way.
    private async Task<ResticListing?> ListingAsync(ResticRepository repository, string snapshotId, CancellationToken ct)
    {
        ResticSnapshot? snapshot = null;
        var nodes = new List<ResticNode>();
        var run = await RunAsync(
            repository,
            ["ls", "--json", "--no-lock", "--", snapshotId],
            PipeTarget.ToDelegate(line =>
            {
                if (ParseJsonLine(line) is not { } e)
                {
                    return;
                }

                switch (Str(e, "struct_type"))
                {
                    case "snapshot":
                        snapshot = new ResticSnapshot(
                            Str(e, "id") ?? string.Empty,
                            Str(e, "short_id") ?? string.Empty,
                            Time(e, "time"),
                            Str(e, "hostname") ?? string.Empty,
                            Strings(e, "paths"),
                            Strings(e, "tags"));
                        break;
                    case "node":
                        nodes.Add(new ResticNode(Str(e, "path") ?? string.Empty, Str(e, "type") ?? string.Empty, null, Long(e, "size")));
                        break;
                }
            }, Encoding.UTF8),
            ct).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw Failure(repository, "ls", run);
        }

        if (snapshot is null)
        {
            if (run.Stderr.Text.Contains("multiple IDs with prefix", StringComparison.Ordinal))
            {
                throw new ResticException(ResticFailure.Ambiguous, Scrub($"more than one snapshot id starts with {snapshotId}.", repository), run.ExitCode);
            }

            return null;
        }

        if (!nodes.Exists(n => n.Type == "symlink"))
        {
            return new ResticListing(snapshot, nodes);
        }

        // restic 0.14's `ls --json` leaves out symlink targets; `find --json` has them.
        var targets = await SymlinkTargetsAsync(repository, snapshot.Id, ct).ConfigureAwait(false);
        return new ResticListing(snapshot, [.. nodes.Select(n => n.Type == "symlink" ? n with { LinkTarget = targets.GetValueOrDefault(n.Path) } : n)]);
    }

    public async Task RestoreAsync(ResticRepository repository, string snapshotId, string target, IReadOnlyList<string>? include = null, CancellationToken ct = default)
    {
        ValidateSnapshotId(snapshotId);
        if (!Path.IsPathFullyQualified(target))
        {
            throw new ArgumentException($"The restore target must be an absolute path: '{target}'.", nameof(target));
        }

        List<string> args = ["restore", $"--target={target}"];
        foreach (var path in include ?? [])
        {
            if (!path.StartsWith('/'))
            {
                throw new ArgumentException($"Paths to restore must be absolute: '{path}'.", nameof(include));
            }

            // restic takes --include as a pattern: the path's own wildcard characters are escaped.
            args.Add($"--include={EscapePattern(path.Length > 1 ? path.TrimEnd('/') : path)}");
        }

        args.AddRange(["--", snapshotId]);
        var run = await RunAsync(repository, args, Discard, ct).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw Failure(repository, "restore", run);
        }
    }

    public async Task DumpAsync(ResticRepository repository, string snapshotId, string path, Func<Stream, CancellationToken, Task> read, CancellationToken ct = default)
    {
        ValidateSnapshotId(snapshotId);
        ArgumentNullException.ThrowIfNull(read);
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException($"The path to dump must be absolute: '{path}'.", nameof(path));
        }

        Exception? readerFailure = null;
        using var stopper = new Stopper(ct);
        var stdout = PipeTarget.Create(async (source, pipeCt) =>
        {
            try
            {
                await read(source, pipeCt).ConfigureAwait(false);

                // What the reader left is drained, so restic ends normally rather than on a broken pipe.
                await source.CopyToAsync(Stream.Null, pipeCt).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                readerFailure = e;
                stopper.Kill();
                throw;
            }
        });

        Outcome run;
        try
        {
            run = await RunAsync(repository, ["dump", "--no-lock", "--", snapshotId, path], stdout, ct, stopper: stopper).ConfigureAwait(false);
        }
        catch (Exception) when (readerFailure is not null && !ct.IsCancellationRequested)
        {
            run = new Outcome(-1, stopper.Stderr);
        }

        if (readerFailure is not null)
        {
            ct.ThrowIfCancellationRequested();
            ExceptionDispatchInfo.Capture(readerFailure).Throw();
        }

        if (run.ExitCode != 0)
        {
            throw Failure(repository, "dump", run);
        }
    }

    public async Task ForgetAsync(ResticRepository repository, IReadOnlyList<string> snapshotIds, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(snapshotIds);
        if (snapshotIds.Count == 0)
        {
            return;
        }

        foreach (var id in snapshotIds)
        {
            ValidateSnapshotId(id);
        }

        var run = await RunAsync(repository, ["forget", "--", .. snapshotIds], Discard, ct).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw Failure(repository, "forget", run);
        }
    }

    public async Task PruneAsync(ResticRepository repository, CancellationToken ct = default)
    {
        var run = await RunAsync(repository, ["prune"], Discard, ct).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw Failure(repository, "prune", run);
        }
    }

    public async Task ForgetByPolicyAsync(ResticRepository repository, ResticRetention retention, IReadOnlyList<string> tags, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(retention);
        if (retention.Daily < 0 || retention.Weekly < 0 || retention.Monthly < 0 || retention.Last < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(retention), retention, "Retention counts cannot be negative.");
        }

        if (retention is { Daily: 0, Weekly: 0, Monthly: 0, Last: 0 })
        {
            // restic would take that for "no policy" and keep everything.
            throw new ArgumentOutOfRangeException(nameof(retention), retention, "A retention policy must keep at least one snapshot.");
        }

        List<string> args =
        [
            "forget",
            "--keep-last", Invariant(retention.Last),
            "--keep-daily", Invariant(retention.Daily),
            "--keep-weekly", Invariant(retention.Weekly),
            "--keep-monthly", Invariant(retention.Monthly),
            "--group-by", "tags",
        ];
        if (tags is { Count: > 0 })
        {
            ValidateTags(tags);
            args.AddRange(["--tag", string.Join(',', tags)]);
        }

        args.Add("--prune");
        var run = await RunAsync(repository, args, Discard, ct).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw Failure(repository, "forget --prune", run);
        }
    }

    public async Task<ResticCheckResult> CheckAsync(ResticRepository repository, string? readDataSubset = null, CancellationToken ct = default)
    {
        List<string> args = ["check"];
        if (readDataSubset is not null)
        {
            if (!DataSubset().IsMatch(readDataSubset))
            {
                throw new ArgumentException($"'{readDataSubset}' is not a data subset restic understands (n/t, p% or a size).", nameof(readDataSubset));
            }

            args.Add($"--read-data-subset={readDataSubset}");
        }

        // restic's report goes partly to stdout, partly (the errors) to stderr: one tail for both.
        var report = new OutputTail(StderrLimit);
        var run = await RunAsync(repository, args, PipeTarget.ToDelegate(report.Add, Encoding.UTF8), ct, report.Add).ConfigureAwait(false);
        var output = Scrub(LastLines(report.Text, 40), repository);
        if (run.ExitCode == 0)
        {
            return new ResticCheckResult(true, output);
        }

        var failure = Failure(repository, "check", run);
        return failure.Failure == ResticFailure.Damaged ? new ResticCheckResult(false, output) : throw failure;
    }

    public async Task<IReadOnlyList<ResticLock>> LocksAsync(ResticRepository repository, CancellationToken ct = default)
    {
        var ids = await LockIdsAsync(repository, ct).ConfigureAwait(false);
        var locks = new List<ResticLock>();
        foreach (var id in ids)
        {
            var lockInfo = await ReadLockAsync(repository, id, ct).ConfigureAwait(false);
            if (lockInfo is not null)
            {
                locks.Add(lockInfo);
            }
        }

        return locks;
    }

    public async Task UnlockStaleAsync(ResticRepository repository, CancellationToken ct = default)
    {
        var run = await RunAsync(repository, ["unlock"], Discard, ct).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw Failure(repository, "unlock", run);
        }
    }

    // ---- keys -----------------------------------------------------------------------------

    public async Task<IReadOnlyList<ResticKey>> KeysAsync(ResticRepository repository, CancellationToken ct = default)
    {
        var json = new StringBuilder();
        var run = await RunAsync(repository, ["key", "list", "--json", "--no-lock"], PipeTarget.ToStringBuilder(json, Encoding.UTF8), ct).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw Failure(repository, "key list", run);
        }

        try
        {
            using var document = JsonDocument.Parse(json.ToString());
            return [.. document.RootElement.EnumerateArray().Select(k => new ResticKey(
                k.GetProperty("id").GetString()!,
                k.TryGetProperty("current", out var current) && current.GetBoolean(),
                k.TryGetProperty("userName", out var user) ? user.GetString() : null,
                k.TryGetProperty("hostName", out var host) ? host.GetString() : null,
                k.TryGetProperty("created", out var created) ? created.GetString() : null))];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new ResticException(ResticFailure.Other, $"restic key list printed something that is not its key list: {e.Message}", 0, e);
        }
    }

    public async Task<string> AddKeyAsync(ResticRepository repository, string newPassword, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(newPassword);
        var before = (await KeysAsync(repository, ct).ConfigureAwait(false)).Select(k => k.Id).ToHashSet(StringComparer.Ordinal);

        // restic reads a new password from a file only: one only this user can read, gone right after.
        var folder = Directory.CreateTempSubdirectory("hostpanel-key-");
        try
        {
            var file = Path.Combine(folder.FullName, "new");
            await using (var stream = PrivateFiles.Create(file, FileMode.CreateNew))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(newPassword), ct).ConfigureAwait(false);
            }

            var run = await RunAsync(repository, ["key", "add", "--host", SnapshotHost, $"--new-password-file={file}"], Discard, ct).ConfigureAwait(false);
            if (run.ExitCode != 0)
            {
                throw Failure(repository, "key add", run);
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        var added = (await KeysAsync(repository, ct).ConfigureAwait(false)).Where(k => !before.Contains(k.Id)).ToList();
        return added.Count == 1 ? added[0].Id : throw new ResticException(ResticFailure.Other, $"restic key add left {added.Count} new keys instead of one", 0);
    }

    public async Task RemoveKeyAsync(ResticRepository repository, string keyId, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(keyId) || !SnapshotIdPattern().IsMatch(keyId))
        {
            throw new ArgumentException($"'{keyId}' is not a restic key id.", nameof(keyId));
        }

        var run = await RunAsync(repository, ["key", "remove", keyId], Discard, ct).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw Failure(repository, "key remove", run);
        }
    }

    // ---- backups --------------------------------------------------------------------------

    private async Task<ResticBackupSummary> FinishBackupAsync(ResticRepository repository, Outcome run, BackupOutput parser, BackupErrors errors, CancellationToken ct)
    {
        if (run.ExitCode == 3)
        {
            // Exit code 3: a snapshot was saved, but without the files restic could not read.
            var saved = parser.Summary is { } s ? $"snapshot {s.SnapshotId} was saved without them" : "the snapshot is incomplete";
            throw new ResticException(
                ResticFailure.Other,
                Scrub($"restic could not read {errors.Count} item(s), {saved}: {errors.Describe()}", repository),
                run.ExitCode);
        }

        if (run.ExitCode != 0)
        {
            throw Failure(repository, "backup", run);
        }

        if (run.Stderr.Text.Contains("does not exist, skipping", StringComparison.Ordinal))
        {
            throw new ResticException(
                ResticFailure.Other,
                Scrub($"restic skipped paths that do not exist: {LastLines(run.Stderr.Text, 10)}", repository),
                run.ExitCode);
        }

        var summary = parser.Summary
            ?? throw new ResticException(ResticFailure.Other, Scrub($"restic backup ended without a summary: {LastLines(run.Stderr.Text, 10)}", repository), run.ExitCode);

        // restic 0.14's summary names the snapshot by its short id, which restic accepts
        // everywhere; looking the full one up would cost another opening of the repository.
        return summary;
    }

    /// <summary>restic's JSON lines on stdout during a backup: status lines, then one summary.</summary>
    private sealed class BackupOutput(IProgress<ResticProgress>? progress)
    {
        public ResticBackupSummary? Summary { get; private set; }

        public void Add(string line)
        {
            if (ParseJsonLine(line) is not { } e)
            {
                return;
            }

            switch (Str(e, "message_type"))
            {
                case "status":
                    progress?.Report(new ResticProgress(
                        Double(e, "percent_done"), Long(e, "files_done"), Long(e, "total_files"), Long(e, "bytes_done"), Long(e, "total_bytes")));
                    break;
                case "summary":
                    Summary = new ResticBackupSummary(
                        Str(e, "snapshot_id") ?? string.Empty,
                        Long(e, "files_new"),
                        Long(e, "files_changed"),
                        Long(e, "files_unmodified"),
                        Long(e, "data_added"),
                        Long(e, "total_files_processed"),
                        Long(e, "total_bytes_processed"),
                        TimeSpan.FromSeconds(Double(e, "total_duration")));
                    break;
            }
        }
    }

    /// <summary>The items restic could not read, from its JSON error lines on stderr.</summary>
    private sealed class BackupErrors
    {
        private const int Kept = 20;
        private readonly List<string> _items = [];
        private readonly Lock _gate = new();

        public int Count { get; private set; }

        public void Add(string line)
        {
            if (ParseJsonLine(line) is not { } e || Str(e, "message_type") != "error")
            {
                return;
            }

            var item = Str(e, "item") ?? "?";
            var reason = e.TryGetProperty("error", out var error) ? Reason(error) : "error";
            lock (_gate)
            {
                Count++;
                if (_items.Count < Kept)
                {
                    _items.Add($"{item} ({reason})");
                }
            }
        }

        public string Describe()
        {
            lock (_gate)
            {
                return string.Join("; ", _items) + (Count > _items.Count ? $"; and {Count - _items.Count} more" : string.Empty);
            }
        }

        /// <summary>Go's error as restic marshals it: a PathError {Op, Path, Err: errno} or anything else.</summary>
        private static string Reason(JsonElement error)
        {
            if (error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("Op", out var op)
                && error.TryGetProperty("Err", out var errno)
                && errno.ValueKind == JsonValueKind.Number)
            {
                var code = errno.GetInt32();
                var text = code switch
                {
                    1 => "operation not permitted",
                    2 => "no such file or directory",
                    5 => "input/output error",
                    13 => "permission denied",
                    _ => $"errno {code}",
                };
                return $"{op.GetString()}: {text}";
            }

            return error.ValueKind == JsonValueKind.String ? error.GetString() ?? "error" : error.GetRawText();
        }
    }

    // ---- snapshots, symlinks and locks ----------------------------------------------------

    private async Task<List<ResticSnapshot>> ReadSnapshotsAsync(ResticRepository repository, List<string> args, string what, CancellationToken ct)
    {
        using var stdout = new MemoryStream();
        var run = await RunAsync(repository, args, PipeTarget.ToStream(stdout), ct).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw Failure(repository, what, run);
        }

        using var doc = ParseJson(stdout, what);
        var snapshots = new List<ResticSnapshot>();
        if (doc.RootElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                snapshots.Add(new ResticSnapshot(
                    Str(e, "id") ?? string.Empty,
                    Str(e, "short_id") ?? string.Empty,
                    Time(e, "time"),
                    Str(e, "hostname") ?? string.Empty,
                    Strings(e, "paths"),
                    Strings(e, "tags")));
            }
        }

        return snapshots;
    }

    private async Task<Dictionary<string, string>> SymlinkTargetsAsync(ResticRepository repository, string snapshotId, CancellationToken ct)
    {
        using var stdout = new MemoryStream();
        var run = await RunAsync(repository, ["find", "--json", "--no-lock", "--snapshot", snapshotId, "*"], PipeTarget.ToStream(stdout), ct).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw Failure(repository, "find", run);
        }

        // [{"matches":[{"path":…,"type":"symlink","linktarget":…},…],"hits":N,"snapshot":…}]
        using var doc = ParseJson(stdout, "find");
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            return targets;
        }

        foreach (var result in doc.RootElement.EnumerateArray())
        {
            if (!result.TryGetProperty("matches", out var matches) || matches.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var m in matches.EnumerateArray())
            {
                if (Str(m, "type") == "symlink" && Str(m, "path") is { } path && Str(m, "linktarget") is { } target)
                {
                    targets[path] = target;
                }
            }
        }

        return targets;
    }

    private async Task<List<string>> LockIdsAsync(ResticRepository repository, CancellationToken ct)
    {
        var ids = new List<string>();
        var run = await RunAsync(
            repository,
            ["list", "locks", "--no-lock"],
            PipeTarget.ToDelegate(line =>
            {
                if (HexId().IsMatch(line.Trim()))
                {
                    ids.Add(line.Trim());
                }
            }, Encoding.UTF8),
            ct).ConfigureAwait(false);
        return run.ExitCode == 0 ? ids : throw Failure(repository, "list locks", run);
    }

    /// <summary>One lock's content, or null when it went away since it was listed.</summary>
    private async Task<ResticLock?> ReadLockAsync(ResticRepository repository, string id, CancellationToken ct)
    {
        // A lock can be removed between `list locks` and `cat lock`; restic 0.14 then retries the
        // read for about 40 seconds. Its first "retrying" line stops it, and the lock list decides.
        var json = new StringBuilder();
        var retrying = false;
        using var stopper = new Stopper(ct);
        var run = await RunAsync(
            repository,
            ["cat", "lock", "--no-lock", "--", id],
            PipeTarget.ToStringBuilder(json, Encoding.UTF8),
            ct,
            line =>
            {
                if (line.Contains("returned error, retrying", StringComparison.Ordinal))
                {
                    retrying = true;
                    stopper.Kill();
                }
            },
            stopper: stopper,
            killIsFailure: false).ConfigureAwait(false);

        if (run.ExitCode != 0 || retrying)
        {
            var still = await LockIdsAsync(repository, ct).ConfigureAwait(false);
            if (!still.Contains(id, StringComparer.Ordinal))
            {
                return null;
            }

            throw Failure(repository, "cat lock", run);
        }

        try
        {
            using var doc = JsonDocument.Parse(json.ToString());
            var e = doc.RootElement;
            return new ResticLock(
                id,
                Str(e, "hostname") ?? string.Empty,
                e.TryGetProperty("pid", out var pid) && pid.TryGetInt32(out var p) ? p : 0,
                Time(e, "time"),
                e.TryGetProperty("exclusive", out var x) && x.ValueKind == JsonValueKind.True);
        }
        catch (JsonException e)
        {
            throw new ResticException(ResticFailure.Other, $"restic cat lock {id} printed JSON that could not be read: {e.Message}", 0, e);
        }
    }

    // ---- running restic -------------------------------------------------------------------

    /// <summary>How restic ended: its exit code (-1 when it was stopped) and the end of its standard error.</summary>
    private sealed record Outcome(int ExitCode, OutputTail Stderr);

    /// <summary>
    /// Runs restic to its end. Cancelling <paramref name="ct"/> interrupts restic, then kills it
    /// after a grace period, and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    private async Task<Outcome> RunAsync(
        ResticRepository? repository,
        IEnumerable<string> args,
        PipeTarget stdout,
        CancellationToken ct,
        Action<string>? onStderrLine = null,
        PipeSource? stdin = null,
        Stopper? stopper = null,
        bool killIsFailure = true)
    {
        ct.ThrowIfCancellationRequested();
        using var ownStopper = stopper is null ? new Stopper(ct) : null;
        var stop = stopper ?? ownStopper!;
        var stderr = stop.Stderr;

        var command = Cli.Wrap(resticPath)
            .WithArguments(Arguments(repository, args))
            .WithEnvironmentVariables(env => SetEnvironment(repository, env))
            .WithStandardInputPipe(stdin ?? PipeSource.Null)
            .WithStandardOutputPipe(stdout)
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line =>
            {
                stderr.Add(line);
                onStderrLine?.Invoke(line);
            }, Encoding.UTF8))
            .WithValidation(CommandResultValidation.None);

        try
        {
            var result = await command.ExecuteAsync(stop.Forceful.Token, stop.Graceful.Token).ConfigureAwait(false);
            return new Outcome(result.ExitCode, stderr);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException("restic was stopped: the operation was cancelled.", ct);
        }
        catch (OperationCanceledException) when (!killIsFailure && stop.Forceful.IsCancellationRequested)
        {
            return new Outcome(-1, stderr);
        }
        catch (Exception e) when (e is Win32Exception || e.InnerException is Win32Exception)
        {
            throw new ResticException(ResticFailure.Other, $"restic could not be started ({resticPath}): {e.Message}", -1, e);
        }
    }

    private List<string> Arguments(ResticRepository? repository, IEnumerable<string> args)
    {
        var all = new List<string>();
        if (cacheDirectory is not null)
        {
            all.AddRange(["--cache-dir", cacheDirectory]);
        }

        if (repository is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(repository.Location, nameof(repository));
            all.AddRange(["-r", repository.Location]);
            if (SftpCommand(repository) is { } sftp)
            {
                // restic reads -o values as CSV (a comma would split it, a bare quote is an
                // error): the whole value is one quoted CSV field.
                all.AddRange(["-o", $"\"sftp.command={sftp.Replace("\"", "\"\"", StringComparison.Ordinal)}\""]);
            }
        }

        all.AddRange(args);
        return all;
    }

    private static void SetEnvironment(ResticRepository? repository, CliWrap.Builders.EnvironmentVariablesBuilder env)
    {
        foreach (var name in ClearedVariables)
        {
            env.Set(name, null);
        }

        if (repository is null)
        {
            env.Set("RESTIC_PASSWORD", null);
            return;
        }

        if (string.IsNullOrEmpty(repository.Password))
        {
            throw new ArgumentException("The repository has no password.", nameof(repository));
        }

        foreach (var (name, value) in repository.Environment)
        {
            env.Set(name, value);
        }

        env.Set("RESTIC_PASSWORD", repository.Password);
    }

    /// <summary>
    /// The ssh command restic runs for an SFTP repository with a key of its own:
    /// <c>ssh user@host -p PORT -i KEY -o IdentitiesOnly=yes -o BatchMode=yes
    /// -o StrictHostKeyChecking=yes -o UserKnownHostsFile=KNOWN -s sftp</c>. restic splits this
    /// one option value itself (on white space, honouring double quotes).
    /// </summary>
    internal static string? SftpCommand(ResticRepository repository)
    {
        if (repository.SshKeyFile is null && repository.SshKnownHostsFile is null)
        {
            return null;
        }

        if (!Uri.TryCreate(repository.Location, UriKind.Absolute, out var uri) || uri.Scheme != "sftp" || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException(
                $"An SSH key or known_hosts file needs an SFTP location of the form sftp://user@host:port//path, not '{repository.Location}'.",
                nameof(repository));
        }

        var user = Uri.UnescapeDataString(uri.UserInfo);
        if (user.Length == 0 || user.Contains(':', StringComparison.Ordinal) || !SafeWord().IsMatch(user))
        {
            throw new ArgumentException($"The SFTP location '{repository.Location}' needs a plain user name (user@host).", nameof(repository));
        }

        var host = uri.DnsSafeHost;
        if (!SafeWord().IsMatch(host))
        {
            throw new ArgumentException($"The SFTP location '{repository.Location}' has an unusable host.", nameof(repository));
        }

        var parts = new List<string> { "ssh", $"{user}@{host}", "-p", Invariant(uri.Port > 0 ? uri.Port : 22) };
        if (repository.SshKeyFile is { } key)
        {
            parts.AddRange(["-i", Quote(key), "-o", "IdentitiesOnly=yes"]);
        }

        parts.AddRange(["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes"]);
        if (repository.SshKnownHostsFile is { } known)
        {
            parts.AddRange(["-o", Quote($"UserKnownHostsFile={known}")]);
        }

        parts.AddRange(["-s", "sftp"]);
        return string.Join(' ', parts);

        static string Quote(string value)
        {
            if (value.IndexOfAny(['"', '\'', '\\', '\n', '\r']) >= 0)
            {
                throw new ArgumentException($"SSH file paths cannot contain quotes or backslashes: '{value}'.", nameof(repository));
            }

            return value.Any(char.IsWhiteSpace) ? $"\"{value}\"" : value;
        }
    }

    /// <summary>Interrupts, then kills, one restic run; also holds the end of its standard error.</summary>
    private sealed class Stopper : IDisposable
    {
        private readonly CancellationTokenRegistration _registration;

        public Stopper(CancellationToken ct) =>
            _registration = ct.Register(() =>
            {
                Interrupt();
                Try(() => Forceful.CancelAfter(GracePeriod));
            });

        public CancellationTokenSource Graceful { get; } = new();

        public CancellationTokenSource Forceful { get; } = new();

        public OutputTail Stderr { get; } = new(StderrLimit);

        /// <summary>SIGINT: restic removes its lock and exits.</summary>
        public void Interrupt() => Try(Graceful.Cancel);

        /// <summary>SIGKILL.</summary>
        public void Kill() => Try(Forceful.Cancel);

        public void Dispose()
        {
            _registration.Dispose();
            Graceful.Dispose();
            Forceful.Dispose();
        }

        private static void Try(Action action)
        {
            try
            {
                action();
            }
            catch (ObjectDisposedException)
            {
                // The run is over.
            }
        }
    }

    /// <summary>The last lines of an output, at most <c>limit</c> characters.</summary>
    private sealed class OutputTail(int limit)
    {
        private readonly Queue<string> _lines = new();
        private readonly Lock _gate = new();
        private int _size;

        public string Text
        {
            get
            {
                lock (_gate)
                {
                    return string.Join('\n', _lines);
                }
            }
        }

        public void Add(string line)
        {
            if (line.Length > limit)
            {
                line = line[^limit..];
            }

            lock (_gate)
            {
                _lines.Enqueue(line);
                _size += line.Length + 1;
                while (_size > limit && _lines.Count > 1)
                {
                    _size -= _lines.Dequeue().Length + 1;
                }
            }
        }
    }

    // ---- failures -------------------------------------------------------------------------

    private static ResticException Failure(ResticRepository? repository, string what, Outcome run)
    {
        var stderr = run.Stderr.Text;
        var kind = Classify(stderr);
        var where = repository is null ? string.Empty : $" on {StripUrlPassword(repository.Location)}";
        var tail = LastLines(stderr, 12);
        var message = $"restic {what}{where} failed (exit code {Invariant(run.ExitCode)}): {(tail.Length > 0 ? tail : "no message")}";
        return new ResticException(kind, Scrub(message, repository), run.ExitCode);
    }

    /// <summary>Sorts a restic 0.14 failure by what it wrote to standard error.</summary>
    internal static ResticFailure Classify(string stderr)
    {
        bool Has(string s) => stderr.Contains(s, StringComparison.OrdinalIgnoreCase);

        if (Has("wrong password or no key found"))
        {
            return ResticFailure.WrongPassword;
        }

        if (Has("no space left on device") || Has("disk quota exceeded"))
        {
            return ResticFailure.NoSpace;
        }

        if (Has("repository is already locked"))
        {
            return ResticFailure.Locked;
        }

        // SSH and network failures come before "not found": restic adds "Is there a repository at
        // the following location?" to any error reading the config, whatever its cause.
        string[] unreachable =
        [
            "host key verification failed", "ssh command exited", "unable to start the sftp session", "connection refused",
            "connection reset", "connection timed out", "no route to host", "network is unreachable", "could not resolve hostname",
            "no such host", "i/o timeout", "permission denied (publickey", "ssh: connect to host", "connection closed by",
            "tls: ", "x509: ", "access denied", "forbidden",
        ];
        if (unreachable.Any(Has))
        {
            return ResticFailure.Unreachable;
        }

        if (Has("unable to open config file") || Has("Is there a repository at the following location?"))
        {
            return Has("no such file or directory") || Has("does not exist") || Has("not found") || Has("NoSuchKey") || Has("NoSuchBucket")
                ? ResticFailure.RepositoryNotFound
                : ResticFailure.Unreachable;
        }

        if (Has("permission denied"))
        {
            return ResticFailure.Unreachable;
        }

        string[] damaged =
        [
            "repository contains errors", "ciphertext verification failed", "pack id does not match", "is damaged",
            "not found in index", "missing blob", "unexpected eof",
        ];
        return damaged.Any(Has) ? ResticFailure.Damaged : ResticFailure.Other;
    }

    /// <summary>Removes what must never reach a message or a log: the password and the extra environment's values.</summary>
    private static string Scrub(string message, ResticRepository? repository)
    {
        if (repository is null)
        {
            return message;
        }

        foreach (var secret in repository.Environment.Values.Append(repository.Password))
        {
            if (!string.IsNullOrEmpty(secret) && secret.Length >= 3)
            {
                message = message.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return message;
    }

    private static string StripUrlPassword(string location) => UrlPassword().Replace(location, "$1***@");

    private static string LastLines(string text, int count)
    {
        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - count)));
    }

    // ---- arguments ------------------------------------------------------------------------

    private static IEnumerable<string> TagArguments(IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ValidateTags(tags);
        return tags.SelectMany(t => new[] { "--tag", t });
    }

    private static void ValidateTags(IReadOnlyList<string> tags)
    {
        foreach (var tag in tags)
        {
            if (string.IsNullOrWhiteSpace(tag) || tag.Contains(',', StringComparison.Ordinal))
            {
                throw new ArgumentException($"The tag '{tag}' cannot be used: tags must be non-empty and contain no comma.", nameof(tags));
            }
        }
    }

    private static void ValidateSnapshotId(string snapshotId)
    {
        if (snapshotId is null || !(snapshotId == "latest" || SnapshotIdPattern().IsMatch(snapshotId)))
        {
            throw new ArgumentException($"'{snapshotId}' is not a snapshot id.", nameof(snapshotId));
        }
    }

    /// <summary>A path as a restic filter pattern that matches only itself (and what is below it).</summary>
    private static string EscapePattern(string path)
    {
        var sb = new StringBuilder(path.Length);
        foreach (var c in path)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    // ---- JSON -----------------------------------------------------------------------------

    private static JsonDocument ParseJson(MemoryStream stdout, string what)
    {
        try
        {
            return JsonDocument.Parse(stdout.GetBuffer().AsMemory(0, (int)stdout.Length));
        }
        catch (JsonException e)
        {
            throw new ResticException(ResticFailure.Other, $"restic {what} printed JSON that could not be read: {e.Message}", 0, e);
        }
    }

    private static JsonElement? ParseJsonLine(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.TryGetInt64(out var l) ? l : (long)v.GetDouble()
            : 0;

    private static double Double(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;

    private static List<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? [.. v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)]
            : [];

    /// <summary>restic's times have nanoseconds (9 decimals), one more digit than .NET keeps.</summary>
    private static DateTimeOffset Time(JsonElement e, string name)
    {
        var text = Str(e, name);
        if (text is null)
        {
            return default;
        }

        var match = LongFraction().Match(text);
        if (match.Success)
        {
            text = string.Concat(text.AsSpan(0, match.Index), match.Value.AsSpan(0, 8), text.AsSpan(match.Index + match.Length));
        }

        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    }

    [GeneratedRegex(@"\.\d{8,}")]
    private static partial Regex LongFraction();

    [GeneratedRegex("^[0-9a-fA-F]{1,64}$")]
    private static partial Regex SnapshotIdPattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex HexId();

    [GeneratedRegex(@"^(\d+/\d+|\d+(\.\d+)?%|\d+[kKmMgGtT]?)$")]
    private static partial Regex DataSubset();

    [GeneratedRegex(@"^[A-Za-z0-9._:%-]+$")]
    private static partial Regex SafeWord();

    [GeneratedRegex("^Fatal: ", RegexOptions.Multiline)]
    private static partial Regex FatalLine();

    [GeneratedRegex("(://[^/@:]+:)[^/@]+@")]
    private static partial Regex UrlPassword();
}
