using System.Globalization;

namespace HostPanel.Core.Backups;

/// <summary>
/// Which backups to keep: the newest of each of the last <c>Daily</c> days that have one, of the
/// last <c>Weekly</c> ISO weeks and of the last <c>Monthly</c> months (UTC), and always the
/// newest of all, and the <c>Last</c> newest whatever their day — restic's
/// <c>--keep-last/daily/weekly/monthly</c>, applied by HostPanel per app
/// (each run's snapshots carry their own run tag, so restic's own grouping cannot do it).
/// </summary>
public static class Retention
{
    public static IReadOnlySet<string> Keep(IEnumerable<BackupEntry> backups, ResticRetention policy)
    {
        ArgumentNullException.ThrowIfNull(backups);
        ArgumentNullException.ThrowIfNull(policy);
        var newestFirst = backups.OrderByDescending(b => b.Time).ToList();
        var keep = new HashSet<string>(StringComparer.Ordinal);
        if (newestFirst.Count == 0)
        {
            return keep;
        }

        keep.Add(newestFirst[0].SnapshotId);
        keep.UnionWith(newestFirst.Take(policy.Last).Select(b => b.SnapshotId));
        Bucket(newestFirst, policy.Daily, t => t.UtcDateTime.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), keep);
        Bucket(newestFirst, policy.Weekly, t => $"{ISOWeek.GetYear(t.UtcDateTime)}-W{ISOWeek.GetWeekOfYear(t.UtcDateTime)}", keep);
        Bucket(newestFirst, policy.Monthly, t => t.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture), keep);
        return keep;
    }

    private static void Bucket(List<BackupEntry> newestFirst, int count, Func<DateTimeOffset, string> bucket, HashSet<string> keep)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var backup in newestFirst)
        {
            if (seen.Count >= count)
            {
                return;
            }

            if (seen.Add(bucket(backup.Time)))
            {
                keep.Add(backup.SnapshotId);
            }
        }
    }
}
