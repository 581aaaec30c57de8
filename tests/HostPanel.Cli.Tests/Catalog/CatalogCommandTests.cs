using System.Globalization;
using System.Text.Json;

namespace HostPanel.Cli.Tests.Catalog;

public class CatalogCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await HostPanelCli.RunAsync(args, output, error, Ct);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task ListGivesIdNameVersionAndRevisionOfEverySeedApp()
    {
        var (code, output, error) = await Run("--catalog", RepositoryPaths.AppCatalog, "catalog", "list", "--json");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var apps = json.RootElement.EnumerateArray().ToDictionary(a => a.GetProperty("id").GetString()!);
        foreach (var id in new[] { "nextcloud", "mastodon", "peertube", "bigbluebutton", "wordpress" })
        {
            Assert.True(apps.ContainsKey(id), id);
            Assert.Matches(@"^\d+(\.\d+)+$", apps[id].GetProperty("version").GetString());
            Assert.True(apps[id].GetProperty("revision").GetInt32() >= 1);
            Assert.False(string.IsNullOrEmpty(apps[id].GetProperty("name").GetString()));
        }

        Assert.Equal(["bigbluebutton", "bigbluebutton-server", "mastodon", "nextcloud", "peertube", "wordpress"], apps.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ShowDescribesOneAppInTheChosenLanguage()
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fr-FR");
        try
        {
            var (code, output, _) = await Run("--catalog", RepositoryPaths.AppCatalog, "catalog", "show", "mastodon");

            Assert.Equal(0, code);
            Assert.Contains("Mastodon (mastodon) 4.7.4", output);
            Assert.Contains("ne pourra plus être changée", output);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Theory]
    [InlineData("nextcloud", "les membres s'y connectent avec leur compte du panneau")]
    [InlineData("wordpress", "à régler à la main après l'installation")]
    [InlineData("bigbluebutton-server", "les comptes de cette application sont séparés de ceux du panneau")]
    public async Task ShowSaysWhetherMembersSignInWithTheirPanelAccount(string app, string expected)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fr-FR");
        try
        {
            var (code, output, _) = await Run("--catalog", RepositoryPaths.AppCatalog, "catalog", "show", app);

            Assert.Equal(0, code);
            Assert.Contains(expected, output, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public async Task ShowJsonIsTheWholeManifest()
    {
        var (code, output, _) = await Run("--catalog", RepositoryPaths.AppCatalog, "catalog", "show", "peertube", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("peertube", json.RootElement.GetProperty("id").GetString());
        Assert.False(json.RootElement.GetProperty("domain").GetProperty("changeable").GetBoolean());
        Assert.Equal("v8.2.4-trixie", json.RootElement.GetProperty("services").GetProperty("app").GetProperty("image").GetString()!.Split(':')[1]);
        Assert.Equal(1935, json.RootElement.GetProperty("ports")[0].GetProperty("port").GetInt32());
    }

    [Fact]
    public async Task ShowOfAnUnknownAppSaysWhichExist()
    {
        var (code, _, error) = await Run("--catalog", RepositoryPaths.AppCatalog, "catalog", "show", "jitsi");

        Assert.Equal(1, code);
        Assert.Contains("jitsi", error);
        Assert.Contains("nextcloud", error);
    }

    [Fact]
    public async Task SchemaCommandPrintsTheCheckedInSchema()
    {
        var (code, output, _) = await Run("catalog", "schema");

        Assert.Equal(0, code);
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.AppCatalog, "schema.json")).ReplaceLineEndings("\n"), output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task ValidateWithoutAFolderUsesTheCatalogOption()
    {
        var (code, output, _) = await Run("--catalog", RepositoryPaths.TestCatalog(1), "catalog", "validate");

        Assert.Equal(0, code);
        Assert.Contains("4 application(s)", output, StringComparison.Ordinal);
    }
}
