using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using HostPanel.Core.Catalog.Loading;
using HostPanel.Core.Catalog.Model;

namespace HostPanel.Core.Catalog.Schema;

/// <summary>
/// Writes the JSON Schema of the manifest format from the same model and attributes the loader
/// binds with, so app-catalog/schema.json can never describe a different format.
/// </summary>
public static class ManifestJsonSchema
{
    public const string SchemaUri = "https://hostpanel.example/schemas/app-1.json";

    public static string Generate()
    {
        var definitions = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = SchemaUri,
            ["title"] = "HostPanel app manifest (hostpanel/app@1)",
        };
        foreach (var (key, value) in ObjectSchema(typeof(AppManifest), definitions).AsObject().ToList())
        {
            root[key] = value?.DeepClone();
        }

        var defs = new JsonObject();
        foreach (var (name, node) in definitions)
        {
            defs[name] = node;
        }

        root["$defs"] = defs;
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).ReplaceLineEndings("\n") + "\n";
    }

    private static JsonNode ObjectSchema(Type type, IDictionary<string, JsonNode> definitions)
    {
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var name = YamlBinder.SnakeCase(property.Name);
            var schema = TypeSchema(property.PropertyType, definitions);
            if (property.GetCustomAttribute<PatternAttribute>() is { } pattern && schema is JsonObject { } s && (string?)s["type"] == "string")
            {
                s["pattern"] = pattern.Pattern;
            }

            if (property.GetCustomAttribute<BoundsAttribute>() is { } bounds && schema is JsonObject numeric)
            {
                numeric["minimum"] = bounds.Minimum;
                numeric["maximum"] = bounds.Maximum;
            }

            if (property.GetCustomAttribute<MinItemsAttribute>() is { } minItems && schema is JsonObject list)
            {
                list["minItems"] = minItems.Count;
            }

            if (property.GetCustomAttribute<KeyPatternAttribute>() is { } keys && schema is JsonObject map)
            {
                map["propertyNames"] = new JsonObject { ["pattern"] = keys.Pattern };
            }

            if (property.GetCustomAttribute<DocAttribute>() is { } doc && schema is JsonObject described)
            {
                described["description"] = doc.Text;
            }

            properties[name] = schema;
            if (property.GetCustomAttribute<RequiredFieldAttribute>() is not null)
            {
                required.Add(name);
            }
        }

        var result = new JsonObject { ["type"] = "object", ["additionalProperties"] = false, ["properties"] = properties };
        if (required.Count > 0)
        {
            result["required"] = required;
        }

        return result;
    }

    private static JsonNode TypeSchema(Type type, IDictionary<string, JsonNode> definitions)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return new JsonObject { ["type"] = "integer" };
        }

        if (type == typeof(double))
        {
            return new JsonObject { ["type"] = "number" };
        }

        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }

        if (type.IsEnum)
        {
            return new JsonObject { ["enum"] = new JsonArray([.. YamlBinder.EnumSpellings(type).Select(e => (JsonNode)e.Spelling)]) };
        }

        if (type == typeof(ByteSize))
        {
            return new JsonObject { ["type"] = "string", ["pattern"] = ByteSize.Pattern };
        }

        if (type == typeof(Duration))
        {
            return new JsonObject { ["type"] = "string", ["pattern"] = Duration.Pattern };
        }

        if (type == typeof(Translated))
        {
            return new JsonObject
            {
                ["$ref"] = Reference("translated", definitions, () => new JsonObject
                {
                    ["type"] = "object",
                    ["propertyNames"] = new JsonObject { ["pattern"] = Translated.LanguagePattern },
                    ["additionalProperties"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 },
                    ["required"] = new JsonArray([.. Translated.RequiredLanguages.Select(l => (JsonNode)l)]),
                })
            };
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            return new JsonObject { ["type"] = "array", ["items"] = TypeSchema(type.GetGenericArguments()[0], definitions) };
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(OrderedDictionary<,>))
        {
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = TypeSchema(type.GetGenericArguments()[1], definitions) };
        }

        var name = YamlBinder.SnakeCase(type.Name);
        return new JsonObject { ["$ref"] = Reference(name, definitions, () => ObjectSchema(type, definitions)) };
    }

    private static string Reference(string name, IDictionary<string, JsonNode> definitions, Func<JsonNode> build)
    {
        if (!definitions.ContainsKey(name))
        {
            definitions[name] = new JsonObject();
            definitions[name] = build();
        }

        return $"#/$defs/{name}";
    }
}
