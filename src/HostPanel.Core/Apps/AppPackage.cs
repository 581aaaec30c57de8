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

public static class PackageArchiveExtensions
{
    /// <summary>
    /// The manifest the installed app really used for <paramref name="version"/>, read from the
    /// archive each time (a reinstall may archive a newer revision of the same version).
    /// </summary>
    public static async Task<Catalog.Model.AppManifest> ManifestAsync(this IPackageArchive archive, string instance, string version, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(archive);
        var package = await archive.GetAsync(instance, version, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The manifest of {instance} {version} is not in the archive.");
        return DirectoryAppCatalog.Parse(package, instance);
    }
}
