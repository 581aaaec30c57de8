namespace HostPanel.Tests;

/// <summary>Folders of this repository, found from the test program's location.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string AppCatalog => Path.Combine(Root, "app-catalog");

    public static string TestCatalog(int version) => Path.Combine(Root, "tests", "catalog", version.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HostPanel.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"HostPanel.sln not found above {AppContext.BaseDirectory}.");
    }
}
