using System.Globalization;
using HostPanel.Core.Handover;

namespace HostPanel.Infrastructure.Handover;

/// <summary>
/// The audit log's head anchor, DATA_DIR/audit.head: one line "1 SEQUENCE HASH" naming the newest
/// entry written. It is replaced atomically (a new file renamed over the old one) after each
/// append, and only ever moves forward, under a lock file, so that two processes appending at
/// once never leave it behind the newest entry they both confirmed.
/// </summary>
internal sealed class AuditAnchorFile(string path)
{
    private const string Version = "1";
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(15);

    public string Path { get; } = path;

    public async Task<AuditAnchor?> ReadAsync(CancellationToken ct)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(Path, ct).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        var parts = text.Trim().Split(' ');
        return parts is [Version, var sequence, var hash]
            && long.TryParse(sequence, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            && hash.Length == 64
            ? new AuditAnchor(number, hash)

            // An anchor that cannot be read names nothing: the check reports it as missing.
            : null;
    }

    /// <summary>Moves the anchor to <paramref name="entry"/>, unless it already names a later one.</summary>
    public async Task AdvanceAsync(AuditEntry entry, CancellationToken ct)
    {
        await using var held = await LockAsync(ct).ConfigureAwait(false);
        if (await ReadAsync(ct).ConfigureAwait(false) is { } current && current.Sequence >= entry.Sequence)
        {
            return;
        }

        var temporary = $"{Path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            await using (var writer = new StreamWriter(file))
            {
                await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"{Version} {entry.Sequence} {entry.Hash}\n")).ConfigureAwait(false);
                await writer.FlushAsync(ct).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Sets the anchor to the newest entry of a database just restored from a backup (recovery on
    /// a new server): the backup holds the database, not the anchor file it was written with.
    /// </summary>
    public static async Task ResetAsync(string path, AuditAnchor? newest, CancellationToken ct)
    {
        File.Delete(path);
        if (newest is not null)
        {
            await File.WriteAllTextAsync(path, string.Create(CultureInfo.InvariantCulture, $"{Version} {newest.Sequence} {newest.Hash}\n"), ct).ConfigureAwait(false);
        }
    }

    /// <summary>Takes DATA_DIR/audit.head.lock for this process alone (other processes and threads wait).</summary>
    private async Task<FileStream> LockAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + LockWait;
        while (true)
        {
            try
            {
                return new FileStream(Path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), ct).ConfigureAwait(false);
            }
        }
    }
}
