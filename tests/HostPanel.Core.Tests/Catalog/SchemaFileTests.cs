using HostPanel.Core.Catalog.Schema;

namespace HostPanel.Core.Tests.Catalog;

public class SchemaFileTests
{
    [Fact]
    public void SchemaJsonIsTheOneTheLoaderImplies()
    {
        var file = Path.Combine(RepositoryPaths.AppCatalog, "schema.json");

        Assert.True(
            File.ReadAllText(file).ReplaceLineEndings("\n") == ManifestJsonSchema.Generate(),
            "app-catalog/schema.json is out of date: run `hostpanel catalog schema > app-catalog/schema.json`.");
    }

    [Fact]
    public void SchemaForbidsUnknownFieldsAndNamesRequiredOnes()
    {
        using var schema = System.Text.Json.JsonDocument.Parse(ManifestJsonSchema.Generate());
        var root = schema.RootElement;

        Assert.False(root.GetProperty("additionalProperties").GetBoolean());
        Assert.Contains("services", root.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        var service = root.GetProperty("$defs").GetProperty("service_definition");
        Assert.False(service.GetProperty("properties").TryGetProperty("privileged", out _));
        Assert.True(service.GetProperty("properties").TryGetProperty("cap_add", out _));
    }
}
