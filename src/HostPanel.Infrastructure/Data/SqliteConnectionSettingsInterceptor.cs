using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace HostPanel.Infrastructure.Data;

/// <summary>
/// Sets up every connection as it opens. Write-ahead-log mode lets the panel's readers go on while
/// a writer works (the CLI may write while the panel reads); the mode is stored in the database
/// file, and repeating it is cheap and also covers a file created by another tool. The busy
/// timeout makes SQLite itself wait for a lock another connection holds, instead of failing at
/// once: the journal is written from several threads and from two processes.
/// </summary>
internal sealed class SqliteConnectionSettingsInterceptor : DbConnectionInterceptor
{
    private static readonly string Pragmas =
        $"PRAGMA busy_timeout = {(int)DataServiceCollectionExtensions.BusyTimeout.TotalMilliseconds}; PRAGMA journal_mode = 'wal';";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
