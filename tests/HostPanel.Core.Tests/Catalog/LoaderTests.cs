using HostPanel.Core.Catalog.Loading;
using HostPanel.Core.Catalog.Model;

namespace HostPanel.Core.Tests.Catalog;

public class LoaderTests
{
    internal const string Minimal = """
        schema: hostpanel/app@1
        id: demo
        name: Demo
        version: "1.0.0"
        revision: 1
        description: { fr: Une démo, en: A demo }
        categories: [other]
        upstream: { license: MIT, website: https://example.org }
        resources: { ram_min: 64M, disk_min: 100M, cpu_min: 0.5 }
        domain: { required: true, changeable: true }
        secrets:
          pw: { generator: alnum, length: 16 }
        volumes:
          data: { backup: files }
        services:
          web:
            image: "example/web:1.0.0"
            env: { PASSWORD: "${secrets.pw}", HOST: "${domain}" }
            mounts: [{ volume: data, path: /data }]
            health: { http: { port: 80, path: /health } }
        routes:
          - { path: /, service: web, port: 80 }
        upgrade: { policy: any }
        backup: {}
        sso: { mode: none }
        """;

    internal static (AppManifest? Manifest, List<CatalogError> Errors) Parse(string text, string? folder = "demo")
    {
        var errors = new List<CatalogError>();
        var manifest = CatalogLoader.Parse(text, "demo/manifest.yaml", errors, folder);
        return (manifest, errors);
    }

    [Fact]
    public void ReadsAMinimalManifest()
    {
        var (manifest, errors) = Parse(Minimal);

        Assert.Empty(errors);
        Assert.NotNull(manifest);
        Assert.Equal("demo", manifest.Id);
        Assert.Equal(64L << 20, manifest.Resources.RamMin.Bytes);
        Assert.Equal("Une démo", manifest.Description["fr"]);
        Assert.Equal(AppKind.App, manifest.EffectiveKind);
        Assert.Equal(80, manifest.Services["web"].Health!.Http!.Port);
    }

    [Fact]
    public void ErrorsCarryTheLineAndTheFieldPath()
    {
        var (manifest, errors) = Parse(Minimal.Replace("image: \"example/web:1.0.0\"", "image: \"example/web:latest\"", StringComparison.Ordinal));

        Assert.Null(manifest);
        var error = Assert.Single(errors);
        Assert.Equal("services.web.image", error.FieldPath);
        Assert.Equal(17, error.Line);
        Assert.Equal("demo/manifest.yaml", error.File);
        Assert.Contains("latest", error.Message);
        Assert.StartsWith("demo/manifest.yaml:17: services.web.image:", error.ToString());
    }

    [Fact]
    public void ReportsEveryErrorInOnePass()
    {
        var broken = Minimal
            .Replace("revision: 1", "revision: 0", StringComparison.Ordinal)
            .Replace("categories: [other]", "categories: [toys]", StringComparison.Ordinal)
            .Replace("path: /health", "path: health", StringComparison.Ordinal)
            .Replace("${secrets.pw}", "${secrets.missing}", StringComparison.Ordinal);

        var (_, errors) = Parse(broken);

        Assert.Equal(
            ["categories[0]", "revision", "services.web.env.PASSWORD", "services.web.health.http.path"],
            errors.Select(e => e.FieldPath).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void UnknownFieldsAreRefusedWithASuggestion()
    {
        var (_, errors) = Parse(Minimal + "\nupgarde: { policy: any }\n");

        var error = Assert.Single(errors);
        Assert.Equal("upgarde", error.FieldPath);
        Assert.Contains("Did you mean 'upgrade'?", error.Message);
    }

    [Fact]
    public void TheIdMustBeTheFolderName()
    {
        var (_, errors) = Parse(Minimal, folder: "other");

        Assert.Equal("id", Assert.Single(errors).FieldPath);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    [InlineData("just text")]
    [InlineData("- a\n- b")]
    [InlineData("a: [unclosed")]
    [InlineData("a: 1\n---\nb: 2")]
    [InlineData("key: value\nkey: again")]
    public void NonManifestsGiveOneClearError(string text)
    {
        var (manifest, errors) = Parse(text);

        Assert.Null(manifest);
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
    }

    [Fact]
    public void AliasBombsAreStoppedNotExpanded()
    {
        // One anchored map of 1,000 variables used by 200 services: 200,000 values once expanded.
        var variables = string.Join(", ", Enumerable.Range(0, 1000).Select(i => $"V{i}: x"));
        var services = string.Join("\n", Enumerable.Range(0, 200).Select(i => $"  s{i}: {{ image: \"a/b:1\", env: *vars }}"));
        var bomb = $"env:\n  big: &vars {{ {variables} }}\nservices:\n{services}\n";

        var (manifest, errors) = Parse(bomb);

        Assert.Null(manifest);
        Assert.Contains(errors, e => e.Message.Contains("too large", StringComparison.Ordinal));
    }

    [Fact]
    public void AFloodOfErrorsIsCutShort()
    {
        var items = string.Join(", ", Enumerable.Range(0, 500).Select(i => $"[{i}]"));

        var (_, errors) = Parse(Minimal.Replace("categories: [other]", $"categories: [{items}]", StringComparison.Ordinal));

        Assert.Equal(CatalogLoader.MaxErrorsPerFile + 1, errors.Count);
        Assert.Contains("more errors", errors[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTestCatalogIsValid()
    {
        foreach (var version in new[] { 1, 2, 3 })
        {
            var result = CatalogLoader.LoadDirectory(RepositoryPaths.TestCatalog(version));

            Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
            Assert.Contains(result.Apps, a => a.Manifest.Id == "notes" && a.Manifest.Version == version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void AMissingCatalogFolderIsAnErrorNotAnException()
    {
        var result = CatalogLoader.LoadDirectory(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")));

        Assert.False(result.IsValid);
    }

    [Fact]
    public void DuplicateIdsAcrossFoldersAreRefused()
    {
        var root = Directory.CreateTempSubdirectory("hp-catalog-").FullName;
        try
        {
            foreach (var folder in new[] { "demo", "copy" })
            {
                Directory.CreateDirectory(Path.Combine(root, folder));
                File.WriteAllText(Path.Combine(root, folder, "manifest.yaml"), Minimal);
            }

            var result = CatalogLoader.LoadDirectory(root);

            Assert.Contains(result.Errors, e => e.FieldPath == "id" && e.File.Contains("copy", StringComparison.Ordinal));
            Assert.DoesNotContain(result.Apps, a => a.Directory.EndsWith("copy", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
