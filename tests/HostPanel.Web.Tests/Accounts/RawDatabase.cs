using System.Text;
using Microsoft.Data.Sqlite;

namespace HostPanel.Web.Tests.Accounts;

/// <summary>The database as bytes on the disk, the way someone who copied the file would read it.</summary>
public static class RawDatabase
{
    /// <summary>
    /// Moves what the write-ahead log holds into the database file, then returns the bytes of the
    /// database and of what is left of its log.
    /// </summary>
    public static async Task<byte[]> ReadAfterCheckpointAsync(string databasePath, CancellationToken ct)
    {
        await using (var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False"))
        {
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await command.ExecuteNonQueryAsync(ct);
        }

        var bytes = new List<byte>(await ReadSharedAsync(databasePath, ct));
        if (File.Exists(databasePath + "-wal"))
        {
            bytes.AddRange(await ReadSharedAsync(databasePath + "-wal", ct));
        }

        return [.. bytes];
    }

    /// <summary>Asserts that none of <paramref name="secrets"/> (as UTF-8, as typed or in capitals) is in <paramref name="bytes"/>.</summary>
    public static void AssertHoldsNone(byte[] bytes, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets)
        {
            foreach (var form in new[] { secret, secret.ToUpperInvariant(), secret.ToLowerInvariant(), secret.Replace("-", "", StringComparison.Ordinal) })
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(form)) < 0, $"the database file holds a secret in clear ({form[..3]}…)");
            }
        }
    }

    private static async Task<byte[]> ReadSharedAsync(string path, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory, ct);
        return memory.ToArray();
    }
}
