using HostPanel.Core.Catalog.Loading;
using HostPanel.Core.Catalog.Model;

namespace HostPanel.Core.Apps;

/// <summary>The apps that can be installed, as the catalog folder describes them today.</summary>
public interface IAppCatalog
{
    /// <summary>The valid apps and the catalog's errors (an invalid app is not offered).</summary>
    CatalogLoadResult Load();

    /// <summary>The app's manifest and files, as they will be archived with the installed app.</summary>
    AppPackage Package(CatalogApp app);
}

/// <summary>The catalog read from a folder (app-catalog/ by default).</summary>
public sealed class DirectoryAppCatalog(string directory) : IAppCatalog
{
    public string Directory { get; } = directory;

    public CatalogLoadResult Load() => CatalogLoader.LoadDirectory(Directory);

    public AppPackage Package(CatalogApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var filesFolder = Path.Combine(app.Directory, "files");
        if (System.IO.Directory.Exists(filesFolder))
        {
            foreach (var file in System.IO.Directory.GetFiles(filesFolder, "*", SearchOption.AllDirectories))
            {
                files[Path.GetRelativePath(app.Directory, file).Replace('\\', '/')] = File.ReadAllText(file);
            }
        }

        return new AppPackage(File.ReadAllText(app.ManifestFile), files);
    }

    /// <summary>Reads an archived package back into a manifest; the archive only ever holds valid ones.</summary>
    public static AppManifest Parse(AppPackage package, string instance)
    {
        ArgumentNullException.ThrowIfNull(package);
        var errors = new List<CatalogError>();
        return CatalogLoader.Parse(package.ManifestYaml, $"{instance} (archived manifest)", errors, readAppFile: path => package.Files.GetValueOrDefault(path))
            ?? throw new InvalidOperationException($"The archived manifest of {instance} no longer loads: {string.Join("; ", errors)}");
    }
}
