using System.Text.Json;
using System.Text.Json.Serialization;

namespace HostPanel.Core.Backups;

/// <summary>
/// The app's record inside each backup: everything needed to bring back exactly the same app —
/// on this server or a fresh one — besides its data. Kept in the restic repository (encrypted
/// by restic), so it may carry the app's secrets; never written anywhere else but to a file of
/// the owner only for the moment restic reads it.
/// </summary>
public sealed record BackupRecord
{
    public const string CurrentFormat = "hostpanel-backup/1";

    /// <summary>File name of the record in the snapshot.</summary>
    public const string FileName = "hostpanel-backup.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public string Format { get; init; } = CurrentFormat;
    public required DateTimeOffset CreatedAt { get; init; }
    public required string Organization { get; init; }
    public required string Instance { get; init; }
    public required string App { get; init; }
    public required string Version { get; init; }
    public int Revision { get; init; } = 1;
    public string? Domain { get; init; }
    public string Path { get; init; } = "/";
    public IReadOnlyDictionary<string, string> Answers { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();
    public required string ManifestYaml { get; init; }
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<BackedUpVolume> Volumes { get; init; } = [];
    public IReadOnlyList<BackedUpDatabase> Databases { get; init; } = [];

    /// <summary>What the manifest's probe printed when the backup was made (compared by restore drills).</summary>
    public string? Probe { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a record; a clear error when it is not one this version understands.</summary>
    public static BackupRecord Parse(string json)
    {
        BackupRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<BackupRecord>(json, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The backup's record ({FileName}) cannot be read: {e.Message}", e);
        }

        if (record is null || record.Format != CurrentFormat)
        {
            throw new InvalidDataException($"The backup's record has format '{record?.Format}', this version of HostPanel reads '{CurrentFormat}'.");
        }

        return record;
    }
}

/// <summary>A volume whose files are in the backup, under <paramref name="Path"/> in the snapshot.</summary>
public sealed record BackedUpVolume(string Key, string Path);

/// <summary>A database dump kept as snapshot <paramref name="Snapshot"/> holding the single file <paramref name="File"/>.</summary>
public sealed record BackedUpDatabase(string Name, string Service, string Snapshot, string File);

/// <summary>Tags HostPanel puts on its restic snapshots ("key=value"; restic tags hold no comma).</summary>
public static class BackupTags
{
    public const string Marker = "hostpanel";

    /// <summary>The snapshot that makes a run a backup (volumes and record); dumps are "db" parts.</summary>
    public const string MainPart = "part=main";
    public const string DatabasePart = "part=db";

    public static string Organization(string id) => $"org={id}";

    public static string Instance(string name) => $"instance={name}";

    public static string App(string id) => $"app={id}";

    public static string Version(string version) => $"version={version}";

    public static string Run(Guid operation) => $"run={operation:N}";

    public static string Database(string name) => $"db={name}";

    /// <summary>The value of tag <paramref name="key"/> on a snapshot, if any.</summary>
    public static string? Value(IEnumerable<string> tags, string key) =>
        tags.FirstOrDefault(t => t.StartsWith(key + "=", StringComparison.Ordinal))?[(key.Length + 1)..];
}

/// <summary>A backup as the panel lists it: one main snapshot of one app at one moment.</summary>
public sealed record BackupEntry(string SnapshotId, string ShortId, DateTimeOffset Time, string Organization, string Instance, string App, string Version);
