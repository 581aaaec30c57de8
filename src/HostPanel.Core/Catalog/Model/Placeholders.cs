using System.Text;

namespace HostPanel.Core.Catalog.Model;

/// <summary>A <c>${…}</c> reference inside a manifest string.</summary>
public sealed record Placeholder(string Expression, int Offset);

/// <summary>
/// Parses and renders the <c>${…}</c> placeholders of manifest strings. <c>$${</c> writes a
/// literal <c>${</c>. Parsing never throws: a broken template yields an error message.
/// </summary>
public static class Placeholders
{
    public const int MaxExpressionLength = 200;

    /// <summary>Finds every placeholder, or says why the text is not a valid template.</summary>
    public static (IReadOnlyList<Placeholder> Found, string? Error) Parse(string text)
    {
        var found = new List<Placeholder>();
        var i = 0;
        while (i < text.Length)
        {
            var start = text.IndexOf("${", i, StringComparison.Ordinal);
            if (start < 0)
            {
                break;
            }

            if (start > 0 && text[start - 1] == '$')
            {
                i = start + 2;
                continue;
            }

            var end = text.IndexOf('}', start + 2);
            if (end < 0)
            {
                return (found, $"'${{' at position {start} is never closed: end the placeholder with '}}', or write '$${{' for a literal '${{'.");
            }

            var expression = text[(start + 2)..end];
            if (expression.Length is 0 or > MaxExpressionLength || expression.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
            {
                return (found, $"'${{{Shorten(expression)}}}' is not a placeholder: use names such as ${{domain}} or ${{secrets.db_password}}.");
            }

            found.Add(new Placeholder(expression, start));
            i = end + 1;
        }

        return (found, null);
    }

    /// <summary>
    /// Replaces each placeholder with <paramref name="resolve"/>'s value; <c>$${</c> becomes <c>${</c>.
    /// Throws <see cref="KeyNotFoundException"/> for a placeholder the resolver does not know.
    /// </summary>
    public static string Render(string text, Func<string, string?> resolve)
    {
        var (found, error) = Parse(text);
        if (error is not null)
        {
            throw new FormatException(error);
        }

        var builder = new StringBuilder(text.Length);
        var last = 0;
        foreach (var placeholder in found)
        {
            builder.Append(Unescape(text[last..placeholder.Offset]));
            builder.Append(resolve(placeholder.Expression) ?? throw new KeyNotFoundException($"Nothing is known for ${{{placeholder.Expression}}}."));
            last = placeholder.Offset + placeholder.Expression.Length + 3;
        }

        builder.Append(Unescape(text[last..]));
        return builder.ToString();
    }

    private static string Unescape(string literal) => literal.Replace("$${", "${", StringComparison.Ordinal);

    private static string Shorten(string text) => text.Length > 40 ? text[..37] + "…" : text;
}
