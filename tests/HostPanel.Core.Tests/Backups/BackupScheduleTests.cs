using HostPanel.Core.Backups;

namespace HostPanel.Core.Tests.Backups;

public class BackupScheduleTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    private static DateTimeOffset Local(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-11-25T02:59:00+01:00", 3, "2026-11-24T03:00:00+01:00")]
    [InlineData("2026-11-25T03:00:00+01:00", 3, "2026-11-25T03:00:00+01:00")]
    [InlineData("2026-11-25T23:10:00+01:00", 3, "2026-11-25T03:00:00+01:00")]
    [InlineData("2026-03-29T12:00:00+02:00", 2, "2026-03-29T03:00:00+02:00")] // 02:00 does not exist that night in Paris
    public void TheLastSlotIsTodaysHourOrYesterdays(string now, int hour, string slot)
    {
        Assert.Equal(Local(slot), BackupSchedule.LastSlot(Local(now), hour, Paris));
    }

    [Fact]
    public void ABackupIsDueOncePerSlotAndCatchesUpAfterADowntime()
    {
        var now = Local("2026-11-25T09:00:00+01:00");

        Assert.True(BackupSchedule.BackupDue(now, 3, Paris, null));
        Assert.True(BackupSchedule.BackupDue(now, 3, Paris, Local("2026-11-24T03:00:05+01:00")));
        Assert.False(BackupSchedule.BackupDue(now, 3, Paris, Local("2026-11-25T03:00:05+01:00")));
        Assert.False(BackupSchedule.BackupDue(Local("2026-11-25T02:00:00+01:00"), 3, Paris, Local("2026-11-24T03:10:00+01:00")));
    }

    [Fact]
    public void TheDrillIsDueOnceAWeekFromItsDay()
    {
        // 2026-11-22 is a Sunday.
        Assert.True(BackupSchedule.DrillDue(Local("2026-11-22T04:00:00+01:00"), 3, DayOfWeek.Sunday, Paris, Local("2026-11-15T03:30:00+01:00")));
        Assert.False(BackupSchedule.DrillDue(Local("2026-11-22T02:00:00+01:00"), 3, DayOfWeek.Sunday, Paris, Local("2026-11-15T03:30:00+01:00")));
        Assert.False(BackupSchedule.DrillDue(Local("2026-11-25T04:00:00+01:00"), 3, DayOfWeek.Sunday, Paris, Local("2026-11-22T03:30:00+01:00")));

        // Missed on Sunday (the server was off): done on Wednesday.
        Assert.True(BackupSchedule.DrillDue(Local("2026-11-25T04:00:00+01:00"), 3, DayOfWeek.Sunday, Paris, Local("2026-11-15T03:30:00+01:00")));
    }
}
