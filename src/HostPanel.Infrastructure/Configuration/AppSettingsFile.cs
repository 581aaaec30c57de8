using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HostPanel.Infrastructure.Configuration;

/// <summary>
/// Changes a few top-level keys of DATA_DIR/appsettings.json (the file install.sh writes and
/// <see cref="HostPanelConfiguration.AddHostPanelSources"/> reads) and leaves every other key as it
/// was. The new file is written beside the old one, flushed, then renamed over it: a reader sees
/// the old file or the new one, never half of one. The file stays readable by its owner only (it
/// may hold addresses of private servers).
/// </summary>
public static class AppSettingsFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly JsonDocumentOptions ReadOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true };

    // One writer at a time in this process; the rename keeps other processes' readers safe.
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>The string values of <paramref name="keys"/> in the file (keys are matched without regard to case, as configuration does); absent ones are left out.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(string path, IEnumerable<string> keys, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var root = await LoadAsync(path, ct).ConfigureAwait(false);
        var found = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in keys)
        {
            if (Find(root, key) is { } actual && root[actual] is JsonValue value && value.TryGetValue<string>(out var text))
            {
                found[key] = text;
            }
        }

        return found;
    }

    /// <summary>
    /// Sets each key of <paramref name="values"/> to its value (null removes the key), keeping the
    /// file's other keys and their order. Creates the file when there is none.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a JSON object; it is left untouched.</exception>
    public static async Task UpdateAsync(string path, IReadOnlyDictionary<string, string?> values, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(values);
        await Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var root = await LoadAsync(path, ct).ConfigureAwait(false);
            foreach (var (key, value) in values)
            {
                var existing = Find(root, key);
                if (value is null)
                {
                    if (existing is not null)
                    {
                        root.Remove(existing);
                    }
                }
                else
                {
                    // A key written in another case by hand is replaced where it stands.
                    root[existing ?? key] = value;
                }
            }

            await ReplaceAsync(path, Encoding.UTF8.GetBytes(root.ToJsonString(WriteOptions) + "\n"), ct).ConfigureAwait(false);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<JsonObject> LoadAsync(string path, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var text = await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(text, documentOptions: ReadOptions) as JsonObject
                ?? throw new InvalidDataException($"{path} does not hold a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    private static string? Find(JsonObject root, string key) =>
        root.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));

    private static async Task ReplaceAsync(string path, byte[] content, CancellationToken ct)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        try
        {
            var stream = new FileStream(temporary, options);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(content, ct).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
