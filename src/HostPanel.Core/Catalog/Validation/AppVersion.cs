using System.Globalization;

namespace HostPanel.Core.Catalog.Validation;

/// <summary>A version made of dot-separated numbers (34.0.2), compared numerically.</summary>
public readonly record struct AppVersion(IReadOnlyList<int> Parts) : IComparable<AppVersion>
{
    public int Major => Parts.Count > 0 ? Parts[0] : 0;
    public int Minor => Parts.Count > 1 ? Parts[1] : 0;

    public static bool TryParse(string? text, out AppVersion version)
    {
        version = default;
        if (string.IsNullOrEmpty(text) || text.Length > 64)
        {
            return false;
        }

        var pieces = text.TrimStart('v').Split('.');
        var parts = new List<int>(pieces.Length);
        foreach (var piece in pieces)
        {
            if (!int.TryParse(piece, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }

            parts.Add(n);
        }

        version = new AppVersion(parts);
        return true;
    }

    public int CompareTo(AppVersion other)
    {
        for (var i = 0; i < Math.Max(Parts.Count, other.Parts.Count); i++)
        {
            var a = i < Parts.Count ? Parts[i] : 0;
            var b = i < other.Parts.Count ? other.Parts[i] : 0;
            if (a != b)
            {
                return a.CompareTo(b);
            }
        }

        return 0;
    }

    public override string ToString() => string.Join('.', Parts);
}
