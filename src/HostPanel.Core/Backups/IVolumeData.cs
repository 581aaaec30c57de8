namespace HostPanel.Core.Backups;

/// <summary>
/// The data directories of volumes on this server, moved as a whole while their app is stopped.
/// Each step is idempotent: run again after a crash, it finds what it did.
/// </summary>
public interface IVolumeData
{
    /// <summary>
    /// Sets the data of the volume at <paramref name="mountpoint"/> aside (once: a second call
    /// keeps what was set aside first) and puts <paramref name="staged"/> in its place — or an
    /// empty directory with the same owner and mode when <paramref name="staged"/> is null.
    /// </summary>
    Task PlaceAsync(string mountpoint, string? staged, CancellationToken ct = default);

    /// <summary>Puts the data set aside back in place (nothing set aside: nothing to do).</summary>
    Task PutBackAsync(string mountpoint, CancellationToken ct = default);

    /// <summary>Deletes the data set aside.</summary>
    Task DropAsideAsync(string mountpoint, CancellationToken ct = default);

    /// <summary>Deletes a directory tree (a staging area) without following links.</summary>
    Task DeleteTreeAsync(string path, CancellationToken ct = default);
}
