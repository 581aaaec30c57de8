using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace HostPanel.Infrastructure.Data;

/// <summary>
/// Puts every connection in write-ahead-log mode as it opens, so that the panel's readers never
/// wait behind a writer (the CLI may write while the panel reads). The setting is stored in the
/// database file; repeating it is cheap and also covers a file created by another tool.
/// </summary>
internal sealed class SqliteWriteAheadLogInterceptor : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA journal_mode = 'wal';";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
