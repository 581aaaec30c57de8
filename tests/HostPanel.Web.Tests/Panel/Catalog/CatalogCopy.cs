namespace HostPanel.Web.Tests.Panel.Catalog;

/// <summary>A throw-away copy of a catalog folder, for tests that add a broken app to it.</summary>
internal static class CatalogCopy
{
    public static string Of(string source)
    {
        var target = Path.Combine(Path.GetTempPath(), "hostpanel-catalog-" + Guid.NewGuid().ToString("N"));
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        return target;
    }

    /// <summary>The test catalog 1 plus an app whose manifest cannot be read.</summary>
    public static string WithBrokenApp()
    {
        var catalog = Of(RepositoryPaths.TestCatalog(1));
        Directory.CreateDirectory(Path.Combine(catalog, "broken"));
        File.WriteAllText(Path.Combine(catalog, "broken", "manifest.yaml"), "schema: hostpanel/app@1\nid: broken\nname: [not, a, name\n");
        return catalog;
    }
}
