using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HostPanel.Acme;

/// <summary>Reading the JSON objects of RFC 8555.</summary>
public sealed partial class AcmeClient
{
    internal static AcmeDirectory ParseDirectory(JsonElement json, Uri url)
    {
        AcmeDirectoryMeta meta = new(null, null, [], false);
        if (json.TryGetProperty("meta", out var m) && m.ValueKind == JsonValueKind.Object)
        {
            meta = new AcmeDirectoryMeta(
                GetUri(m, "termsOfService", url),
                GetUri(m, "website", url),
                GetStrings(m, "caaIdentities"),
                m.TryGetProperty("externalAccountRequired", out var ear) && ear.ValueKind == JsonValueKind.True);
        }

        return new AcmeDirectory(
            RequireUri(json, "newNonce", url, "The directory"),
            RequireUri(json, "newAccount", url, "The directory"),
            RequireUri(json, "newOrder", url, "The directory"),
            GetUri(json, "revokeCert", url),
            GetUri(json, "keyChange", url),
            GetUri(json, "renewalInfo", url),
            meta);
    }

    internal static AcmeAccount ParseAccount(JsonElement json, Uri location) => new(
        location,
        GetString(json, "status") ?? AcmeStatus.Valid,
        GetStrings(json, "contact"),
        json.TryGetProperty("termsOfServiceAgreed", out var tos) && tos.ValueKind is JsonValueKind.True or JsonValueKind.False ? tos.GetBoolean() : null,
        GetUri(json, "orders", location));

    internal static AcmeOrder ParseOrder(JsonElement json, Uri location)
    {
        var what = $"The order at {location}";
        var identifiers = new List<AcmeIdentifier>();
        if (json.TryGetProperty("identifiers", out var ids) && ids.ValueKind == JsonValueKind.Array)
        {
            identifiers.AddRange(ids.EnumerateArray().Select(ParseIdentifier).OfType<AcmeIdentifier>());
        }

        var authorizations = new List<Uri>();
        if (json.TryGetProperty("authorizations", out var authzs) && authzs.ValueKind == JsonValueKind.Array)
        {
            foreach (var a in authzs.EnumerateArray())
            {
                if (a.ValueKind == JsonValueKind.String && TryUri(a.GetString(), location, out var uri))
                {
                    authorizations.Add(uri);
                }
            }
        }

        return new AcmeOrder(
            location,
            RequireString(json, "status", what),
            GetTime(json, "expires"),
            identifiers,
            authorizations,
            RequireUri(json, "finalize", location, what),
            GetUri(json, "certificate", location),
            json.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object ? ParseProblem(error, null) : null,
            GetString(json, "replaces"));
    }

    internal static AcmeAuthorization ParseAuthorization(JsonElement json, Uri location)
    {
        var what = $"The authorization at {location}";
        var identifier = json.TryGetProperty("identifier", out var id) ? ParseIdentifier(id) : null;
        var challenges = new List<AcmeChallenge>();
        if (json.TryGetProperty("challenges", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            challenges.AddRange(list.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object).Select(c => ParseChallenge(c, location)));
        }

        return new AcmeAuthorization(
            location,
            identifier ?? throw new AcmeException($"{what} has no identifier."),
            RequireString(json, "status", what),
            GetTime(json, "expires"),
            challenges,
            json.TryGetProperty("wildcard", out var wildcard) && wildcard.ValueKind == JsonValueKind.True);
    }

    internal static AcmeChallenge ParseChallenge(JsonElement json, Uri baseUrl)
    {
        const string what = "A challenge";
        return new AcmeChallenge(
            RequireString(json, "type", what),
            RequireUri(json, "url", baseUrl, what),
            GetString(json, "status") ?? AcmeStatus.Pending,
            GetString(json, "token"),
            GetTime(json, "validated"),
            json.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object ? ParseProblem(error, null) : null);
    }

    internal static AcmeProblem ParseProblem(JsonElement json, int? httpStatus)
    {
        var subproblems = new List<AcmeProblem>();
        if (json.TryGetProperty("subproblems", out var subs) && subs.ValueKind == JsonValueKind.Array)
        {
            subproblems.AddRange(subs.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object).Select(s => ParseProblem(s, null)));
        }

        int? status = json.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var n) ? n : httpStatus;
        return new AcmeProblem(
            GetString(json, "type") is { Length: > 0 } type ? type : AcmeProblem.BlankType,
            GetString(json, "title"),
            GetString(json, "detail"),
            status,
            GetString(json, "instance") is { } instance && Uri.TryCreate(instance, UriKind.Absolute, out var uri) ? uri : null,
            json.TryGetProperty("identifier", out var id) ? ParseIdentifier(id) : null,
            subproblems);
    }

    private static AcmeIdentifier? ParseIdentifier(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object && GetString(json, "type") is { } type && GetString(json, "value") is { } value
            ? new AcmeIdentifier(type, value)
            : null;

    private static string? GetString(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string RequireString(JsonElement json, string name, string what) =>
        GetString(json, name) ?? throw new AcmeException($"{what} has no \"{name}\".");

    private static IReadOnlyList<string> GetStrings(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : [];

    private static Uri? GetUri(JsonElement json, string name, Uri baseUrl) =>
        TryUri(GetString(json, name), baseUrl, out var uri) ? uri : null;

    private static Uri RequireUri(JsonElement json, string name, Uri baseUrl, string what) =>
        GetUri(json, name, baseUrl) ?? throw new AcmeException($"{what} has no valid \"{name}\" URL.");

    private static bool TryUri(string? text, Uri baseUrl, out Uri uri)
    {
        uri = null!;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var absolute))
        {
            uri = absolute;
            return true;
        }

        if (Uri.TryCreate(baseUrl, text, out var relative))
        {
            uri = relative;
            return true;
        }

        return false;
    }

    /// <summary>An RFC 3339 time; fractions beyond 100 ns (as Go writes them) are cut.</summary>
    private static DateTimeOffset? GetTime(JsonElement json, string name)
    {
        if (GetString(json, name) is not { } text)
        {
            return null;
        }

        text = LongFraction().Replace(text, "$1");
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
    }

    [GeneratedRegex(@"(\.\d{7})\d+")]
    private static partial Regex LongFraction();
}
