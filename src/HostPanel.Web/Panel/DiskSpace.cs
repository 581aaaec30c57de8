namespace HostPanel.Web.Panel;

/// <summary>
/// The space of the file system that holds a directory (the panel's data directory: its
/// database, backups kept locally, certificates). <see cref="Problem"/> says why it could not be read.
/// </summary>
public sealed record DiskSpace(long Total, long Free, string? Problem = null)
{
    /// <summary>Below this share of free space the panel warns.</summary>
    public const double LowFreeShare = 0.10;

    public long Used => Math.Max(0, Total - Free);

    public double UsedShare => Total > 0 ? (double)Used / Total : 0;

    public bool IsLow => Problem is null && Total > 0 && (double)Free / Total < LowFreeShare;

    public static DiskSpace Of(string directory)
    {
        try
        {
            var drive = new DriveInfo(directory);
            return new DiskSpace(drive.TotalSize, drive.AvailableFreeSpace);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new DiskSpace(0, 0, e.Message);
        }
    }
}
