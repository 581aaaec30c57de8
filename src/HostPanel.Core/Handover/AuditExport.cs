using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace HostPanel.Core.Handover;

/// <summary>
/// The audit log taken away, the same from the command line and the panel: JSON (an array of
/// objects) or CSV (RFC 4180), with the columns of <see cref="Columns"/> in this order, the
/// hashes included so that a copy can be checked against the chain.
/// </summary>
public static class AuditExport
{
    /// <summary>The columns of an export, in this order, for JSON and CSV alike.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["sequence", "time", "actor", "organization", "action", "subject", "result", "operationId", "words", "detail", "previousHash", "hash"];

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The lines as an indented JSON array, one object per entry (the sequence as a number).</summary>
    public static string Json(IEnumerable<AuditLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return JsonSerializer.Serialize(lines.Select(Shape), JsonOptions);
    }

    /// <summary>RFC 4180: a header line, CRLF line ends, a field quoted when it holds a comma, a quote or a line break, quotes doubled.</summary>
    public static string Csv(IEnumerable<AuditLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var csv = new StringBuilder();
        csv.Append(string.Join(',', Columns)).Append("\r\n");
        foreach (var line in lines)
        {
            csv.Append(string.Join(',', Values(line).Select(Field))).Append("\r\n");
        }

        return csv.ToString();
    }

    private static string?[] Values(AuditLine line)
    {
        var e = line.Entry;
        return
        [
            e.Sequence.ToString(CultureInfo.InvariantCulture),
            e.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            e.Actor,
            e.OrganizationId,
            e.Action,
            e.Subject,
            e.Result.ToString(),
            e.OperationId?.ToString("D", CultureInfo.InvariantCulture),
            line.Words,
            e.Detail,
            e.PreviousHash,
            e.Hash,
        ];
    }

    private static Dictionary<string, object?> Shape(AuditLine line)
    {
        var values = Values(line);
        var shaped = new Dictionary<string, object?>();
        for (var i = 0; i < Columns.Count; i++)
        {
            shaped[Columns[i]] = i == 0 ? line.Entry.Sequence : values[i];
        }

        return shaped;
    }

    private static string Field(string? value) =>
        value is null ? string.Empty
        : value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : value;
}
