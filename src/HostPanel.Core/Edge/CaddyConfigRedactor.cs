using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HostPanel.Core.Edge;

/// <summary>
/// Makes a Caddy configuration fit to be shown to people (<c>proxy show</c>). HostPanel's own
/// rendering holds no secret (certificates are file paths, challenge answers are public by
/// design), but a configuration read back from Caddy may hold anything: the string values of
/// password-, secret-, token- or key-like fields are replaced (absolute file paths excepted: they
/// say where a secret is, not what it is), and so is any PEM block, whatever its field.
/// </summary>
public static partial class CaddyConfigRedactor
{
    public const string Redacted = "[redacted]";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The JSON text with secrets replaced by <see cref="Redacted"/>, indented; "null" stays "null".</summary>
    public static string Redact(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var root = JsonNode.Parse(json);
        if (root is null)
        {
            return "null";
        }

        root = Walk(root, secret: false);
        return root.ToJsonString(Indented);
    }

    /// <summary>Whether a field of that name holds secrets.</summary>
    public static bool IsSecretName(string name) => SecretName().IsMatch(name);

    private static JsonNode Walk(JsonNode node, bool secret)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (obj[name] is { } child && Walk(child, secret || IsSecretName(name)) is var replaced && !ReferenceEquals(replaced, child))
                    {
                        obj[name] = replaced;
                    }
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item && Walk(item, secret) is var replaced && !ReferenceEquals(replaced, item))
                    {
                        array[i] = replaced;
                    }
                }

                return array;
            default:
                if (node.GetValueKind() != JsonValueKind.String)
                {
                    return node;
                }

                var text = node.GetValue<string>();
                var pem = text.Contains("-----BEGIN", StringComparison.Ordinal);
                var path = text.StartsWith('/') && !text.Any(char.IsWhiteSpace);
                return pem || (secret && !path) ? JsonValue.Create(Redacted) : node;
        }
    }

    /// <summary>"key", "api_key", "X-Api-Key", "keys", or any name with password, passwd, secret, token, credential, private or authorization in it.</summary>
    [GeneratedRegex(@"key s?\z|password|passwd|secret|token|credential|private|authorization", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex SecretName();
}
