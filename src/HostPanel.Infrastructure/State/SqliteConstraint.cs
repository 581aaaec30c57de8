using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace HostPanel.Infrastructure.State;

/// <summary>Recognises SQLite constraint failures under the exceptions EF Core wraps them in.</summary>
internal static class SqliteConstraint
{
    private const int PrimaryKey = 1555;
    private const int Unique = 2067;
    private const int ForeignKey = 787;

    /// <summary>A primary key or unique index refused the row.</summary>
    public static bool IsUniqueViolation(Exception e) =>
        Find(e) is { SqliteExtendedErrorCode: PrimaryKey or Unique };

    /// <summary>A foreign key refused the row: what it refers to does not exist.</summary>
    public static bool IsForeignKeyViolation(Exception e) =>
        Find(e) is { SqliteExtendedErrorCode: ForeignKey };

    /// <summary>Whether the failure names <paramref name="table"/>.<paramref name="column"/> ("UNIQUE constraint failed: T.C").</summary>
    public static bool Names(Exception e, string table, string column) =>
        Find(e)?.Message.Contains($"{table}.{column}", StringComparison.Ordinal) == true;

    private static SqliteException? Find(Exception e) => e switch
    {
        SqliteException sqlite => sqlite,
        DbUpdateException { InnerException: { } inner } => Find(inner),
        _ => null,
    };
}
