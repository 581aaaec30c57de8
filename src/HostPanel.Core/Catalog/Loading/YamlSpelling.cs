namespace HostPanel.Core.Catalog.Loading;

/// <summary>How enum values and field names of the manifest model are written in YAML.</summary>
public static class YamlSpelling
{
    public static string Of(Enum value) => YamlBinder.SpellingOf(value);

    public static string Field(string propertyName) => YamlBinder.SnakeCase(propertyName);
}
