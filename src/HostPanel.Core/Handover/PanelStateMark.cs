using System.Globalization;

namespace HostPanel.Core.Handover;

/// <summary>
/// When the panel's state (database, key ring, certificates, settings) was last backed up whole:
/// one line in DATA_DIR/panel-state.last, the moment its files were copied. A recovery restores
/// that backup after opening the kit, so a key-ring file older than this moment comes back from it
/// even when the kit itself predates the file.
/// </summary>
public static class PanelStateMark
{
    public const string FileName = "panel-state.last";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>The moment of the last whole backup of the panel's state; null when none is known or the mark is unreadable.</summary>
    public static DateTimeOffset? Read(string dataDirectory)
    {
        try
        {
            var text = File.ReadAllText(PathIn(dataDirectory)).Trim();
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Records <paramref name="copiedAt"/> (written beside, then moved over the old mark).</summary>
    public static void Write(string dataDirectory, DateTimeOffset copiedAt)
    {
        var path = PathIn(dataDirectory);
        var next = path + ".new";
        File.WriteAllText(next, copiedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) + "\n");
        File.Move(next, path, overwrite: true);
    }
}
