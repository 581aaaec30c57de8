using Microsoft.Data.Sqlite;

namespace HostPanel.Web.Tests;

/// <summary>A fresh data directory under the system's temporary folder, removed afterwards.</summary>
public sealed class TempDataDirectory : IDisposable
{
    public TempDataDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hostpanel-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string SetupTokenFile => System.IO.Path.Combine(Path, "setup-token");

    public void Dispose()
    {
        // Pooled SQLite connections keep the database files open.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is not worth failing a test for.
        }
    }
}
