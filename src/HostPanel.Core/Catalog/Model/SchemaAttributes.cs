namespace HostPanel.Core.Catalog.Model;

// The manifest model doubles as the format's schema: the YAML binder and the JSON Schema
// generator both read these attributes, so the two cannot drift apart.

/// <summary>The field must be present.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredFieldAttribute : Attribute;

/// <summary>A string (or map key, for maps) must match this regular expression.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string pattern, string hint) : Attribute
{
    public string Pattern { get; } = pattern;

    /// <summary>What a valid value looks like, in words, for the error message.</summary>
    public string Hint { get; } = hint;
}

/// <summary>Map keys must match this regular expression.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class KeyPatternAttribute(string pattern, string hint) : Attribute
{
    public string Pattern { get; } = pattern;
    public string Hint { get; } = hint;
}

/// <summary>Inclusive bounds of a number.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class BoundsAttribute(double minimum, double maximum) : Attribute
{
    public double Minimum { get; } = minimum;
    public double Maximum { get; } = maximum;
}

/// <summary>A list must hold at least this many items.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinItemsAttribute(int count) : Attribute
{
    public int Count { get; } = count;
}

/// <summary>A field's description, used in the JSON Schema.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class)]
public sealed class DocAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}

/// <summary>
/// Keys that are recognised only to be refused with a precise reason (for example
/// <c>privileged</c>): clearer than "unknown field".
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class ForbiddenKeyAttribute(string key, string reason) : Attribute
{
    public string Key { get; } = key;
    public string Reason { get; } = reason;
}

/// <summary>The spelling of an enum member in YAML, when it is not the kebab-case of its name.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class YamlValueAttribute(string value) : Attribute
{
    public string Value { get; } = value;
}
