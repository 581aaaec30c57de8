using System.Globalization;
using System.Net;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Domains;

/// <summary>
/// A domain name as HostPanel keeps it: lower-case ASCII (an internationalized name in its
/// punycode form), without the final dot; a wildcard (<c>*.example.org</c>) only where the
/// certificate can be obtained by DNS-01.
/// </summary>
public sealed record DomainName
{
    /// <summary>The longest name DNS allows (RFC 1035), in its ASCII form.</summary>
    public const int MaxLength = 253;

    /// <summary>The longest label DNS allows.</summary>
    public const int MaxLabelLength = 63;

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    private DomainName(string ascii, string unicode)
    {
        Ascii = ascii;
        Unicode = unicode;
    }

    /// <summary>The name as DNS and certificates know it (punycode for internationalized names).</summary>
    public string Ascii { get; }

    /// <summary>The name as people read it (accents kept).</summary>
    public string Unicode { get; }

    /// <summary>A name of the form <c>*.example.org</c>.</summary>
    public bool IsWildcard => Ascii.StartsWith("*.", StringComparison.Ordinal);

    public override string ToString() => Ascii;

    /// <summary>How people read a stored (ASCII) name: with its accents, or as stored when it does not parse.</summary>
    public static string Display(string asciiName) => TryParse(asciiName, allowWildcard: true, out _)?.Unicode ?? asciiName;

    /// <summary>
    /// A name under the reserved top-level domain <c>.invalid</c> (RFC 2606): never served by the
    /// proxy nor given a certificate (the throw-away copies of restore drills use one).
    /// </summary>
    public static bool IsReserved(string asciiName) =>
        asciiName is not null && asciiName.EndsWith(".invalid", StringComparison.Ordinal);

    /// <summary>
    /// Reads a name typed by a person. Returns the name, or null with <paramref name="problem"/>
    /// saying in plain words (French or English) what is wrong and how to write it.
    /// </summary>
    public static DomainName? TryParse(string? text, bool allowWildcard, out string? problem)
    {
        problem = Problem(text, allowWildcard, out var name);
        return name;
    }

    /// <summary>Reads a name; throws <see cref="FormatException"/> with the plain explanation.</summary>
    public static DomainName Parse(string? text, bool allowWildcard = false) =>
        TryParse(text, allowWildcard, out var problem) ?? throw new FormatException(problem);

    private static string? Problem(string? text, bool allowWildcard, out DomainName? name)
    {
        name = null;
        var given = (text ?? string.Empty).Trim();
        if (given.Length == 0)
        {
            return CoreText.Get("DomainEmpty");
        }

        if (given.Contains("://", StringComparison.Ordinal) || given.Contains('/', StringComparison.Ordinal) || given.Contains('@', StringComparison.Ordinal))
        {
            return CoreText.Format("DomainNotAName", given);
        }

        var bare = given.TrimEnd('.');
        if (IPAddress.TryParse(bare.Trim('[', ']'), out _))
        {
            return CoreText.Format("DomainIsAddress", given);
        }

        if (bare.Contains(':', StringComparison.Ordinal))
        {
            return CoreText.Format("DomainHasPort", given);
        }

        var wildcard = bare.StartsWith("*.", StringComparison.Ordinal);
        if (wildcard && !allowWildcard)
        {
            return CoreText.Format("DomainWildcardNeedsDns", given);
        }

        var rest = wildcard ? bare[2..] : bare;
        if (rest.Contains('*', StringComparison.Ordinal))
        {
            return CoreText.Format("DomainBadWildcard", given);
        }

        if (rest.Length == 0 || rest.Split('.').Any(l => l.Length == 0))
        {
            return CoreText.Format("DomainEmptyLabel", given);
        }

        if (rest.FirstOrDefault(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '_') is var bad and not '\0')
        {
            return CoreText.Format("DomainBadCharacter", given, Shown(bad));
        }

        if (rest.Split('.').FirstOrDefault(l => l.StartsWith('-') || l.EndsWith('-')) is { } hyphen)
        {
            return CoreText.Format("DomainLabelHyphen", given, hyphen);
        }

        var labels = new List<string>();
        foreach (var label in rest.Split('.'))
        {
            if (label.Length > MaxLabelLength)
            {
                return CoreText.Format("DomainLabelTooLong", given, label, MaxLabelLength);
            }

            try
            {
                labels.Add(Idn.GetAscii(label).ToLowerInvariant());
            }
            catch (ArgumentException)
            {
                var offending = label.FirstOrDefault(c => !(char.IsLetterOrDigit(c) || c == '-'));
                if (offending != '\0')
                {
                    return CoreText.Format("DomainBadCharacter", given, Shown(offending));
                }

                // Letters only, yet refused: an accented label whose punycode form is too long,
                // or a label that is not valid punycode ("xn--…").
                return label.Any(c => c > 127)
                    ? CoreText.Format("DomainLabelTooLong", given, label, MaxLabelLength)
                    : CoreText.Format("DomainNotAName", given);
            }
        }

        var ascii = string.Join('.', labels);
        if (labels.Count < 2)
        {
            return CoreText.Format("DomainNeedsDot", given);
        }

        if (labels[^1].All(char.IsAsciiDigit))
        {
            return CoreText.Format("DomainNotAName", given);
        }

        var full = wildcard ? "*." + ascii : ascii;
        if (full.Length > MaxLength)
        {
            return CoreText.Format("DomainTooLong", full.Length, MaxLength);
        }

        string unicode;
        try
        {
            unicode = Idn.GetUnicode(ascii);
        }
        catch (ArgumentException)
        {
            // A label such as "xn--" that is not valid punycode.
            return CoreText.Format("DomainNotAName", given);
        }

        name = new DomainName(full, wildcard ? "*." + unicode : unicode);
        return null;
    }

    private static string Shown(char c) => char.IsWhiteSpace(c) || char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString();
}
