using HostPanel.Core.Backups;

namespace HostPanel.Core.Tests.Backups;

public class RetentionTests
{
    private static BackupEntry At(string time) =>
        new(time, time, DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture), "default", "notes", "notes", "1");

    [Fact]
    public void KeepsTheNewestOfEachRecentDayWeekAndMonth()
    {
        // Two backups a day at 03:00 and 15:00 UTC for 120 days, newest first on 2026-11-25.
        var start = new DateTimeOffset(2026, 7, 29, 3, 0, 0, TimeSpan.Zero);
        var backups = Enumerable.Range(0, 240).Select(i => start.AddHours(12 * i)).Select(t => At(t.ToString("O", System.Globalization.CultureInfo.InvariantCulture))).ToList();

        var keep = Retention.Keep(backups, new ResticRetention(Daily: 7, Weekly: 4, Monthly: 6, Last: 0)).Select(k => k[..16]).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
            [
                // The last of each month (months: Jul … Nov; Nov's newest is already a daily one).
                "2026-07-31T15:00", "2026-08-31T15:00", "2026-09-30T15:00", "2026-10-31T15:00",

                // The last of each of 4 ISO weeks (Sundays), beyond the 7 days.
                "2026-11-08T15:00", "2026-11-15T15:00",

                // The last of each of the 7 newest days (Nov 22 is a Sunday: the weekly one too).
                "2026-11-19T15:00", "2026-11-20T15:00", "2026-11-21T15:00", "2026-11-22T15:00", "2026-11-23T15:00", "2026-11-24T15:00", "2026-11-25T15:00",
            ],
            keep);
    }

    [Fact]
    public void TheNewestIsKeptWhateverThePolicyAndNothingIsKeptOfNothing()
    {
        Assert.Equal(["2026-01-01T00:00:00Z"], Retention.Keep([At("2025-12-31T00:00:00Z"), At("2026-01-01T00:00:00Z")], new ResticRetention(0, 0, 0, 0)));
        Assert.Empty(Retention.Keep([], new ResticRetention()));
    }

    [Fact]
    public void ABackupMadeByHandBeforeTwoUpdatesTheSameDayIsKept()
    {
        // By hand at 10:00, then an update's backup at 11:00 and another's at 12:00.
        List<BackupEntry> backups = [At("2026-11-26T10:00:00Z"), At("2026-11-26T11:00:00Z"), At("2026-11-26T12:00:00Z")];

        Assert.Equal(3, Retention.Keep(backups, new ResticRetention()).Count);
        Assert.Single(Retention.Keep(backups, new ResticRetention(Last: 0)));
    }
}
