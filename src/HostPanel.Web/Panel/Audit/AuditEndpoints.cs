using System.Globalization;
using System.Security.Claims;
using System.Text;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Handover;
using Microsoft.Extensions.Localization;

namespace HostPanel.Web.Panel.Audit;

/// <summary>
/// <c>GET /audit/export?format=json|csv[&amp;org=ID][&amp;since=DATE]</c>: the audit log as a file,
/// for the signed-in person with the audit service's own scope (an organization's administrators
/// get its entries only; without <c>org</c>, hosters get every entry and others those of the
/// organizations they administer). Oldest first, read again at each download.
/// </summary>
public static class AuditEndpoints
{
    public const string ExportPath = "/audit/export";

    /// <summary>The address of an export in <paramref name="format"/> ("json", "csv") of one organization or (null) all the caller may read, since a day if given.</summary>
    public static string ExportUrl(string format, string? organizationId, DateTimeOffset? since = null)
    {
        var url = new StringBuilder(ExportPath).Append("?format=").Append(format);
        if (organizationId is not null)
        {
            url.Append("&org=").Append(Uri.EscapeDataString(organizationId));
        }

        if (since is { } from)
        {
            url.Append("&since=").Append(Uri.EscapeDataString(from.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));
        }

        return url.ToString();
    }

    public static IEndpointRouteBuilder MapHostPanelAudit(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ExportPath, ExportAsync).RequireAuthorization();
        return endpoints;
    }

    /// <summary>The export for the person signed in on <paramref name="context"/>, or the reason it is refused, in words.</summary>
    public static async Task<IResult> ExportAsync(HttpContext context, string? format, string? org, string? since, CallerResolver callers, AuditService audit, IStringLocalizer<AuditPageText> text, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(callers);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(text);
        var kind = format?.Trim().ToLowerInvariant();
        if (kind is not ("json" or "csv"))
        {
            return Words(text["Export.BadFormat"], StatusCodes.Status400BadRequest);
        }

        DateTimeOffset? from = null;
        if (!string.IsNullOrWhiteSpace(since))
        {
            if (!DateTimeOffset.TryParse(since.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                return Words(text["Export.BadSince", since], StatusCodes.Status400BadRequest);
            }

            from = parsed;
        }

        var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        var caller = userId is null ? null : await callers.ForPersonAsync(userId, ct).ConfigureAwait(false);
        if (caller is null)
        {
            return Results.Forbid();
        }

        var organizationId = string.IsNullOrWhiteSpace(org) ? null : org.Trim();
        IReadOnlyList<AuditLine> lines;
        try
        {
            lines = await audit.ExportAsync(caller, organizationId, from, ct).ConfigureAwait(false);
        }
        catch (AccessDeniedException e)
        {
            return Words(e.Message, StatusCodes.Status403Forbidden);
        }
        catch (AppRequestException e)
        {
            return Words(e.Message, StatusCodes.Status404NotFound);
        }

        var content = kind == "json" ? AuditExport.Json(lines) + "\n" : AuditExport.Csv(lines);
        var name = $"hostpanel-audit-{organizationId ?? "server"}-{DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.{kind}";
        context.Response.Headers.CacheControl = "no-store";
        return Results.File(new UTF8Encoding(false).GetBytes(content), kind == "json" ? "application/json; charset=utf-8" : "text/csv; charset=utf-8", name);
    }

    private static IResult Words(string message, int status) => Results.Text(message, "text/plain; charset=utf-8", statusCode: status);
}
