using System.Globalization;

namespace HostPanel.Acme;

/// <summary>Normalization of the domain names of an order.</summary>
internal static class AcmeNames
{
    private static readonly IdnMapping Idn = new();

    /// <summary>
    /// Trimmed, lower-case, ASCII (IDNA) names without a trailing dot, in the given order, each once.
    /// </summary>
    public static IReadOnlyList<string> Normalize(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in names)
        {
            var name = Normalize(raw);
            if (seen.Add(name))
            {
                result.Add(name);
            }
        }

        if (result.Count == 0)
        {
            throw new ArgumentException("At least one domain name is needed.", nameof(names));
        }

        return result;
    }

    public static string Normalize(string raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            throw new ArgumentException("A domain name is empty.", nameof(raw));
        }

        var name = raw.Trim().TrimEnd('.');
        var wildcard = name.StartsWith("*.", StringComparison.Ordinal);
        var rest = wildcard ? name[2..] : name;
        if (rest.Length == 0 || rest.Contains('*', StringComparison.Ordinal) || rest.Contains(' ', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{raw}' is not a domain name.", nameof(raw));
        }

        try
        {
            rest = Idn.GetAscii(rest).ToLowerInvariant();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"'{raw}' is not a domain name.", nameof(raw), e);
        }

        return wildcard ? "*." + rest : rest;
    }
}
