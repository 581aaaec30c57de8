using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using HostPanel.Core.Catalog.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HostPanel.Core.Catalog.Loading;

/// <summary>
/// Binds a YAML document onto the manifest model, reading the model's schema attributes.
/// Every problem becomes an error with its line and field path; binding goes on past errors so
/// that one pass reports them all. It never throws on any input.
/// </summary>
internal sealed class YamlBinder
{
    public const int MaxNodes = 50_000;
    public const int MaxDepth = 40;

    private readonly string _file;
    private readonly List<CatalogError> _errors;
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);
    private int _nodes;
    private bool _budgetReported;

    public YamlBinder(string file, List<CatalogError> errors)
    {
        _file = file;
        _errors = errors;
    }

    /// <summary>Line of each field path that was read, for errors found after binding.</summary>
    public IReadOnlyDictionary<string, int> Lines => _lines;

    public T? Bind<T>(YamlNode root)
        where T : class => Bind(root, typeof(T), string.Empty, 0) as T;

    private object? Bind(YamlNode node, Type type, string path, int depth)
    {
        if (++_nodes > MaxNodes || depth > MaxDepth)
        {
            if (!_budgetReported)
            {
                _budgetReported = true;
                Error(node, path, $"the document is too large or too deeply nested (more than {MaxNodes} values or {MaxDepth} levels); a manifest is a small file — check for runaway anchors and aliases.");
            }

            return null;
        }

        Remember(path, node);
        var underlying = Nullable.GetUnderlyingType(type) ?? type;

        if (underlying == typeof(string))
        {
            return Scalar(node, path, "text") is { } s ? s : null;
        }

        if (underlying == typeof(int) || underlying == typeof(long) || underlying == typeof(double))
        {
            return Number(node, path, underlying);
        }

        if (underlying == typeof(bool))
        {
            return Scalar(node, path, "true or false") switch
            {
                null => null,
                "true" => true,
                "false" => false,
                var other => ErrorNull(node, path, $"'{Shorten(other)}' is not a yes/no value: write true or false."),
            };
        }

        if (underlying.IsEnum)
        {
            return Enum(node, path, underlying);
        }

        if (underlying == typeof(ByteSize))
        {
            var text = Scalar(node, path, "a size");
            return text is null ? null
                : ByteSize.TryParse(text, out var size) ? size
                : ErrorNull(node, path, $"'{Shorten(text)}' is not a size: write a number followed by K, M, G or T, for example 512M or 2G.");
        }

        if (underlying == typeof(Duration))
        {
            var text = Scalar(node, path, "a duration");
            return text is null ? null
                : Duration.TryParse(text, out var duration) ? duration
                : ErrorNull(node, path, $"'{Shorten(text)}' is not a duration: write a whole number followed by s, m or h, for example 30s or 10m.");
        }

        if (underlying == typeof(Translated))
        {
            return BindTranslated(node, path, depth);
        }

        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(List<>))
        {
            return BindList(node, path, underlying, depth);
        }

        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(OrderedDictionary<,>))
        {
            return BindMap(node, path, underlying, null, depth);
        }

        return BindObject(node, path, underlying, depth);
    }

    private object? BindObject(YamlNode node, string path, Type type, int depth)
    {
        if (node is not YamlMappingNode mapping)
        {
            return ErrorNull(node, path, $"expected a set of fields ({string.Join(", ", FieldNames(type).Take(6))}…), found {Describe(node)}.");
        }

        var instance = Activator.CreateInstance(type)!;
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => SnakeCase(p.Name), StringComparer.Ordinal);
        var forbidden = type.GetCustomAttributes<ForbiddenKeyAttribute>().ToDictionary(f => f.Key, f => f.Reason, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);

        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                Error(keyNode, path, "a field name must be plain text.");
                continue;
            }

            var fieldPath = Join(path, key);
            seen.Add(key);
            if (forbidden.TryGetValue(key, out var reason))
            {
                Error(keyNode, fieldPath, reason);
                continue;
            }

            if (!properties.TryGetValue(key, out var property))
            {
                Error(keyNode, fieldPath, $"unknown field '{Shorten(key)}'. {Suggest(key, properties.Keys)}");
                continue;
            }

            if (IsNull(valueNode))
            {
                Remember(fieldPath, valueNode);
                if (property.GetCustomAttribute<RequiredFieldAttribute>() is not null)
                {
                    Error(valueNode, fieldPath, "is empty: give it a value.");
                }

                continue;
            }

            var value = Bind(valueNode, property.PropertyType, fieldPath, depth + 1);
            if (value is null)
            {
                continue;
            }

            if (Check(property, value, valueNode, fieldPath))
            {
                property.SetValue(instance, value);
            }
        }

        foreach (var (name, property) in properties)
        {
            if (!seen.Contains(name) && property.GetCustomAttribute<RequiredFieldAttribute>() is not null)
            {
                Error(mapping, Join(path, name), $"is missing: add '{name}'{(property.GetCustomAttribute<DocAttribute>() is { } doc ? $" ({doc.Text.TrimEnd('.')})" : string.Empty)}.");
            }
        }

        return instance;
    }

    /// <summary>The checks a property's attributes ask for: pattern, bounds, list length.</summary>
    private bool Check(PropertyInfo property, object value, YamlNode node, string path)
    {
        if (property.GetCustomAttribute<PatternAttribute>() is { } pattern && value is string text && !Matches(text, pattern.Pattern))
        {
            Error(node, path, $"'{Shorten(text)}' is not valid here: expected {pattern.Hint}.");
            return false;
        }

        if (property.GetCustomAttribute<BoundsAttribute>() is { } bounds)
        {
            var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
            if (number < bounds.Minimum || number > bounds.Maximum)
            {
                Error(node, path, $"{number.ToString(CultureInfo.InvariantCulture)} is out of range: use a value from {bounds.Minimum.ToString(CultureInfo.InvariantCulture)} to {bounds.Maximum.ToString(CultureInfo.InvariantCulture)}.");
                return false;
            }
        }

        if (property.GetCustomAttribute<MinItemsAttribute>() is { } minItems && value is ICollection collection && collection.Count < minItems.Count)
        {
            Error(node, path, $"needs at least {minItems.Count} item{(minItems.Count > 1 ? "s" : string.Empty)}.");
            return false;
        }

        if (property.GetCustomAttribute<KeyPatternAttribute>() is { } keys && value is IDictionary map)
        {
            foreach (var key in map.Keys.Cast<string>())
            {
                if (!Matches(key, keys.Pattern))
                {
                    Error(node, Join(path, key), $"'{Shorten(key)}' is not a valid name here: expected {keys.Hint}.");
                    return false;
                }
            }
        }

        return true;
    }

    private Translated? BindTranslated(YamlNode node, string path, int depth)
    {
        if (node is not YamlMappingNode mapping)
        {
            return ErrorNull(node, path, "expected a text per language, for example { fr: \"…\", en: \"…\" }.") as Translated;
        }

        var result = new Translated();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            var fieldPath = Join(path, key);
            if (!Matches(key, Translated.LanguagePattern))
            {
                Error(keyNode, fieldPath, $"'{Shorten(key)}' is not a language code: use fr, en, de…");
                continue;
            }

            if (Bind(valueNode, typeof(string), fieldPath, depth + 1) is string text)
            {
                if (string.IsNullOrWhiteSpace(text))
                {
                    Error(valueNode, fieldPath, "is empty: write the text.");
                    continue;
                }

                result[key] = text;
            }
        }

        foreach (var language in Translated.RequiredLanguages)
        {
            if (!result.ContainsKey(language) && !mapping.Children.Any(c => (c.Key as YamlScalarNode)?.Value == language))
            {
                Error(mapping, Join(path, language), $"the {(language == "fr" ? "French" : "English")} text is missing: add '{language}: …'.");
            }
        }

        return result;
    }

    private object? BindList(YamlNode node, string path, Type listType, int depth)
    {
        if (node is not YamlSequenceNode sequence)
        {
            return ErrorNull(node, path, $"expected a list (- item, or [a, b]), found {Describe(node)}.");
        }

        var itemType = listType.GetGenericArguments()[0];
        var list = (IList)Activator.CreateInstance(listType)!;
        var index = 0;
        var complete = true;
        foreach (var child in sequence.Children)
        {
            var itemPath = $"{path}[{index++}]";
            if (IsNull(child))
            {
                Error(child, itemPath, "is empty: remove the '-' or give it a value.");
                complete = false;
                continue;
            }

            if (Bind(child, itemType, itemPath, depth + 1) is { } item)
            {
                list.Add(item);
            }
            else
            {
                complete = false;
            }
        }

        // A list with a broken item is left out whole: checking what remains would only add noise.
        return complete ? list : null;
    }

    private object? BindMap(YamlNode node, string path, Type mapType, KeyPatternAttribute? keyPattern, int depth)
    {
        if (node is not YamlMappingNode mapping)
        {
            return ErrorNull(node, path, $"expected a set of named entries (name: value), found {Describe(node)}.");
        }

        var valueType = mapType.GetGenericArguments()[1];
        var map = (IDictionary)Activator.CreateInstance(mapType)!;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
            {
                Error(keyNode, path, "an entry name must be plain, non-empty text.");
                continue;
            }

            var entryPath = Join(path, key);
            if (keyPattern is not null && !Matches(key, keyPattern.Pattern))
            {
                Error(keyNode, entryPath, $"'{Shorten(key)}' is not a valid name: expected {keyPattern.Hint}.");
                continue;
            }

            if (IsNull(valueNode))
            {
                Remember(entryPath, valueNode);
                if (valueType == typeof(string))
                {
                    map[key] = string.Empty;
                }
                else
                {
                    Error(valueNode, entryPath, "is empty: give it a value.");
                }

                continue;
            }

            if (Bind(valueNode, valueType, entryPath, depth + 1) is { } value)
            {
                map[key] = value;
            }
        }

        return map;
    }

    private object? Number(YamlNode node, string path, Type type)
    {
        var text = Scalar(node, path, "a number");
        if (text is null)
        {
            return null;
        }

        if (type == typeof(double))
        {
            return double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? d
                : ErrorNull(node, path, $"'{Shorten(text)}' is not a number: write digits, for example 2 or 0.5.");
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return ErrorNull(node, path, $"'{Shorten(text)}' is not a whole number: write digits, for example 8080.");
        }

        if (type == typeof(int))
        {
            return l is < int.MinValue or > int.MaxValue
                ? ErrorNull(node, path, $"{Shorten(text)} is far too large for this field.")
                : (int)l;
        }

        return l;
    }

    private object? Enum(YamlNode node, string path, Type enumType)
    {
        var text = Scalar(node, path, "one of the allowed words");
        if (text is null)
        {
            return null;
        }

        foreach (var (value, spelling) in EnumSpellings(enumType))
        {
            if (string.Equals(spelling, text, StringComparison.Ordinal))
            {
                return value;
            }
        }

        return ErrorNull(node, path, $"'{Shorten(text)}' is not allowed here: use one of {string.Join(", ", EnumSpellings(enumType).Select(e => e.Spelling))}.");
    }

    /// <summary>How each member of an enum is written in YAML.</summary>
    public static IEnumerable<(object Value, string Spelling)> EnumSpellings(Type enumType) =>
        enumType.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f =>
            (f.GetValue(null)!, f.GetCustomAttribute<YamlValueAttribute>()?.Value ?? KebabCase(f.Name)));

    public static string SpellingOf(object enumValue) =>
        EnumSpellings(enumValue.GetType()).First(e => Equals(e.Value, enumValue)).Spelling;

    private string? Scalar(YamlNode node, string path, string expected)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value ?? string.Empty;
        }

        Error(node, path, $"expected {expected}, found {Describe(node)}.");
        return null;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a set of fields",
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"'{Shorten(s.Value ?? string.Empty)}'",
        _ => "something else",
    };

    private void Remember(string path, YamlNode node)
    {
        if (!_lines.ContainsKey(path))
        {
            _lines[path] = checked((int)node.Start.Line);
        }
    }

    private void Error(YamlNode node, string path, string message) =>
        _errors.Add(new CatalogError(_file, (int)node.Start.Line, path, message));

    private object? ErrorNull(YamlNode node, string path, string message)
    {
        Error(node, path, message);
        return null;
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static bool Matches(string text, string pattern) =>
        Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    internal static string Shorten(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length > 60 ? oneLine[..57] + "…" : oneLine;
    }

    private static string Suggest(string key, IEnumerable<string> allowed)
    {
        var names = allowed.OrderBy(n => n, StringComparer.Ordinal).ToList();
        var close = names.FirstOrDefault(n => Distance(n, key) <= 2);
        return close is not null
            ? $"Did you mean '{close}'?"
            : $"Allowed here: {string.Join(", ", names)}.";
    }

    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2 || a.Length > 64 || b.Length > 64)
        {
            return int.MaxValue;
        }

        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }

        return d[a.Length, b.Length];
    }

    internal static IEnumerable<string> FieldNames(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => SnakeCase(p.Name));

    internal static string SnakeCase(string name) => Separate(name, '_');

    internal static string KebabCase(string name) => Separate(name, '-');

    private static string Separate(string name, char separator)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && !char.IsUpper(name[i - 1]))
            {
                builder.Append(separator);
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
