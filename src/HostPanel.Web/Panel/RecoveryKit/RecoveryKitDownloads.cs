using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace HostPanel.Web.Panel.RecoveryKit;

/// <summary>One file of a kit just issued, waiting for its single download.</summary>
public sealed record KitFile(string FileName, string ContentType, byte[] Content);

/// <summary>
/// Holds the files of a recovery kit just issued (each holder's sheet and QR code, the sealed kit)
/// in memory until they are downloaded: each under a random id, for the person who issued the kit
/// only, once, within <see cref="Lifetime"/>. Nothing is written to disk; a file taken, expired or
/// discarded is wiped. The page discards its files when the person leaves it.
/// </summary>
public sealed class RecoveryKitDownloads(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, Entry> _files = new(StringComparer.Ordinal);

    /// <summary>Keeps <paramref name="file"/> for <paramref name="userId"/>; returns the id that takes it back.</summary>
    public string Add(string userId, KitFile file)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(file);
        Sweep();
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        _files[id] = new Entry(userId, file, time.GetUtcNow() + Lifetime);
        return id;
    }

    /// <summary>
    /// The file <paramref name="id"/> if it is <paramref name="userId"/>'s and still fresh, removed
    /// at once so that it cannot be downloaded twice; null otherwise (another person's id is left alone).
    /// </summary>
    public KitFile? Take(string userId, string id)
    {
        Sweep();
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(id)
            || !_files.TryGetValue(id, out var entry) || !string.Equals(entry.UserId, userId, StringComparison.Ordinal))
        {
            return null;
        }

        return _files.TryRemove(new KeyValuePair<string, Entry>(id, entry)) ? entry.File : null;
    }

    /// <summary>Whether <paramref name="id"/> is still waiting to be downloaded.</summary>
    public bool IsWaiting(string id)
    {
        Sweep();
        return _files.ContainsKey(id);
    }

    /// <summary>Forgets and wipes the files <paramref name="ids"/> that were not downloaded.</summary>
    public void Discard(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (var id in ids)
        {
            if (_files.TryRemove(id, out var entry))
            {
                CryptographicOperations.ZeroMemory(entry.File.Content);
            }
        }
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (id, entry) in _files)
        {
            if (entry.ExpiresAt <= now && _files.TryRemove(new KeyValuePair<string, Entry>(id, entry)))
            {
                CryptographicOperations.ZeroMemory(entry.File.Content);
            }
        }
    }

    private sealed record Entry(string UserId, KitFile File, DateTimeOffset ExpiresAt);
}
