using HostPanel.Core.Catalog.Loading;

namespace HostPanel.Core.Tests.Catalog;

public class UnreadableAppsTests
{
    [Fact]
    public void Names_each_app_that_could_not_be_read_once_with_its_errors()
    {
        var root = Directory.CreateTempSubdirectory("hp-catalog-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "demo"));
            File.WriteAllText(Path.Combine(root, "demo", "manifest.yaml"), LoaderTests.Minimal);
            Directory.CreateDirectory(Path.Combine(root, "broken"));
            File.WriteAllText(Path.Combine(root, "broken", "manifest.yaml"), "schema: hostpanel/app@1\nid: broken\nversion: [1\n");
            Directory.CreateDirectory(Path.Combine(root, "empty"));

            var result = CatalogLoader.LoadDirectory(root);

            Assert.Equal(["demo"], result.Apps.Select(a => a.Manifest.Id));
            Assert.Equal(["broken", "empty"], result.UnreadableApps.Order(StringComparer.Ordinal));
            Assert.NotEmpty(result.ErrorsOf("broken"));
            Assert.All(result.ErrorsOf("broken"), e => Assert.Contains("broken", e.File, StringComparison.Ordinal));
            Assert.Single(result.ErrorsOf("empty"));
            Assert.Empty(result.ErrorsOf("demo"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
