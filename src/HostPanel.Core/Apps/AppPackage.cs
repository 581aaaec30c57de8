namespace HostPanel.Core.Apps;

/// <summary>
/// An app exactly as it was installed: its manifest text and the files it ships. Kept for each
/// installed version, so that a rollback or a restore uses the manifest that was really used,
/// whatever the catalog says today.
/// </summary>
public sealed record AppPackage(string ManifestYaml, IReadOnlyDictionary<string, string> Files);

/// <summary>Where the packages of installed versions are kept.</summary>
public interface IPackageArchive
{
    Task SaveAsync(string instance, string version, AppPackage package, CancellationToken ct = default);

    Task<AppPackage?> GetAsync(string instance, string version, CancellationToken ct = default);

    Task DeleteAllAsync(string instance, CancellationToken ct = default);
}
