using System.Globalization;

namespace HostPanel.Core.Handover;

/// <summary>
/// A moment kept in a small file: one line, the moment in ISO 8601 (UTC), then an optional note.
/// Written beside and moved over, so a reader never sees half a line.
/// </summary>
public static class MomentFile
{
    /// <summary>The moment the file holds; null when it is missing or unreadable.</summary>
    public static DateTimeOffset? Read(string path)
    {
        try
        {
            var first = File.ReadAllText(path).Trim().Split(' ', 2)[0];
            return DateTimeOffset.TryParse(first, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static void Write(string path, DateTimeOffset at, string? note = null)
    {
        var next = path + ".new";
        var moment = at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        File.WriteAllText(next, (string.IsNullOrEmpty(note) ? moment : $"{moment} {note}") + "\n");
        File.Move(next, path, overwrite: true);
    }
}

/// <summary>
/// When the panel's state (database, key ring, certificates, settings) was last backed up whole:
/// DATA_DIR/panel-state.last, the moment its files were copied. A recovery restores that backup
/// after opening the kit, so a key-ring file older than this moment comes back from it even when
/// the kit itself predates the file.
/// </summary>
public static class PanelStateMark
{
    public const string FileName = "panel-state.last";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>The moment of the last whole backup of the panel's state; null when none is known or the mark is unreadable.</summary>
    public static DateTimeOffset? Read(string dataDirectory) => MomentFile.Read(PathIn(dataDirectory));

    /// <summary>Records <paramref name="copiedAt"/>.</summary>
    public static void Write(string dataDirectory, DateTimeOffset copiedAt) => MomentFile.Write(PathIn(dataDirectory), copiedAt);
}
