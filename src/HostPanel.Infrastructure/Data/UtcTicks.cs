using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace HostPanel.Infrastructure.Data;

/// <summary>
/// SQLite has no date-time-with-offset type, and EF Core's default text form does not sort by
/// instant in SQL. Every <see cref="DateTimeOffset"/> is stored as UTC ticks instead: an integer
/// that ORDER BY and comparisons handle correctly. Values come back with a zero offset.
/// </summary>
internal static class UtcTicks
{
    public static readonly ValueConverter<DateTimeOffset, long> Converter =
        new(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
}
