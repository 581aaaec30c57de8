using System.Text;

namespace HostPanel.Acme;

/// <summary>A problem document (RFC 7807) as ACME servers send them (RFC 8555 section 6.7).</summary>
/// <param name="Type">The problem type, usually one of <see cref="AcmeErrorTypes"/>.</param>
/// <param name="Title">A short summary, if any.</param>
/// <param name="Detail">A human-readable explanation, if any.</param>
/// <param name="Status">The HTTP status code, if known.</param>
/// <param name="Instance">A URL about this occurrence (for example, with actions to take), if any.</param>
/// <param name="Identifier">The identifier the problem is about (in subproblems), if any.</param>
/// <param name="Subproblems">The problems of individual identifiers, for compound problems.</param>
public sealed record AcmeProblem(
    string Type,
    string? Title,
    string? Detail,
    int? Status,
    Uri? Instance,
    AcmeIdentifier? Identifier,
    IReadOnlyList<AcmeProblem> Subproblems)
{
    /// <summary>The problem type used when a document does not name one (RFC 7807 section 4.2).</summary>
    public const string BlankType = "about:blank";

    /// <summary>A one-line description: the type, the identifier and the detail, then each subproblem.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        var text = new StringBuilder(Type);
        if (Identifier is not null)
        {
            text.Append(" (").Append(Identifier.Value).Append(')');
        }

        if (!string.IsNullOrEmpty(Detail))
        {
            text.Append(": ").Append(Detail);
        }

        foreach (var sub in Subproblems)
        {
            text.Append("; ").Append(sub);
        }

        return text.ToString();
    }
}
