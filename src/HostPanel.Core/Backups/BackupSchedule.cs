namespace HostPanel.Core.Backups;

/// <summary>
/// When scheduled work is due. Pure: the background scheduler asks it each minute with the
/// clock and the journal's last runs, so a panel that was down at the hour catches up at once.
/// </summary>
public static class BackupSchedule
{
    /// <summary>
    /// The latest moment at or before <paramref name="now"/> when the daily work was due: today
    /// at <paramref name="hour"/> (in <paramref name="zone"/>), or yesterday's when that is still ahead.
    /// </summary>
    public static DateTimeOffset LastSlot(DateTimeOffset now, int hour, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentOutOfRangeException.ThrowIfNegative(hour);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hour, 23);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var today = new DateTime(local.Year, local.Month, local.Day, hour, 0, 0, DateTimeKind.Unspecified);
        var slot = today <= local.DateTime ? today : today.AddDays(-1);

        // An hour skipped by a clock change is taken as the next valid moment.
        while (zone.IsInvalidTime(slot))
        {
            slot = slot.AddMinutes(30);
        }

        return new DateTimeOffset(slot, zone.GetUtcOffset(slot));
    }

    /// <summary>The daily backup is due: none ran since the last slot.</summary>
    public static bool BackupDue(DateTimeOffset now, int hour, TimeZoneInfo zone, DateTimeOffset? lastScheduled) =>
        lastScheduled is null || lastScheduled < LastSlot(now, hour, zone);

    /// <summary>The weekly drill is due: it is <paramref name="day"/> past the hour (or later in that week) and no drill ran for 6 days.</summary>
    public static bool DrillDue(DateTimeOffset now, int hour, DayOfWeek day, TimeZoneInfo zone, DateTimeOffset? lastDrill)
    {
        var slot = LastSlot(now, hour, zone);
        var daysSinceDrillDay = ((int)slot.DayOfWeek - (int)day + 7) % 7;
        var weeklySlot = slot.AddDays(-daysSinceDrillDay);
        return lastDrill is null || lastDrill < weeklySlot;
    }
}
