using System.Globalization;
using System.Text.RegularExpressions;

namespace HostPanel.Core.Catalog.Model;

/// <summary>A text people read, in several languages; French and English are required.</summary>
public sealed class Translated : Dictionary<string, string>
{
    public static readonly string[] RequiredLanguages = ["fr", "en"];
    public const string LanguagePattern = "^[a-z]{2}(-[A-Z]{2})?$";

    public Translated()
        : base(StringComparer.Ordinal)
    {
    }

    /// <summary>The text in <paramref name="language"/>, else French, else any.</summary>
    public string In(string language) =>
        TryGetValue(language, out var text) || TryGetValue(language.Split('-')[0], out text) || TryGetValue("fr", out text)
            ? text
            : Values.FirstOrDefault() ?? string.Empty;
}

/// <summary>A size written 512M, 2G, 1.5G (powers of 1024).</summary>
public readonly partial record struct ByteSize(long Bytes)
{
    public const string Pattern = @"^[0-9]+(\.[0-9]+)?[KMGT]$";

    public static bool TryParse(string? text, out ByteSize size)
    {
        size = default;
        if (text is null || !SizeRegex().IsMatch(text))
        {
            return false;
        }

        var number = double.Parse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        var unit = text[^1] switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, _ => 1L << 40 };
        var bytes = number * unit;
        if (bytes is <= 0 or > long.MaxValue / 2)
        {
            return false;
        }

        size = new ByteSize((long)bytes);
        return true;
    }

    public override string ToString() => Bytes switch
    {
        >= 1L << 30 when Bytes % (1L << 30) == 0 => $"{Bytes >> 30}G",
        >= 1L << 20 when Bytes % (1L << 20) == 0 => $"{Bytes >> 20}M",
        _ => $"{Bytes}B",
    };

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex SizeRegex();
}

/// <summary>A duration written 30s, 10m, 1h.</summary>
public readonly partial record struct Duration(TimeSpan Value)
{
    public const string Pattern = "^[0-9]{1,6}[smh]$";

    public static bool TryParse(string? text, out Duration duration)
    {
        duration = default;
        if (text is null || !DurationRegex().IsMatch(text))
        {
            return false;
        }

        var n = int.Parse(text[..^1], CultureInfo.InvariantCulture);
        var value = text[^1] switch { 's' => TimeSpan.FromSeconds(n), 'm' => TimeSpan.FromMinutes(n), _ => TimeSpan.FromHours(n) };
        if (value <= TimeSpan.Zero)
        {
            return false;
        }

        duration = new Duration(value);
        return true;
    }

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex DurationRegex();
}
