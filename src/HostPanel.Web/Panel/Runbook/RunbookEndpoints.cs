using System.Security.Claims;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Handover;
using HostPanel.Infrastructure.Handover;
using Microsoft.Extensions.Localization;

namespace HostPanel.Web.Panel.Runbook;

/// <summary>
/// <c>GET /runbook/download?format=md|pdf|html[&amp;org=ID]</c>: the runbook as a file, for the
/// signed-in person with the runbook service's own rules (administrators of the organization;
/// without <c>org</c>, the whole server for hosters). Built again at each download.
/// </summary>
public static class RunbookEndpoints
{
    public const string DownloadPath = "/runbook/download";

    /// <summary>The address of a download in <paramref name="format"/> ("md", "pdf"), of one organization or (null) the whole server.</summary>
    public static string DownloadUrl(string format, string? organizationId) =>
        organizationId is null ? $"{DownloadPath}?format={format}" : $"{DownloadPath}?format={format}&org={Uri.EscapeDataString(organizationId)}";

    public static IEndpointRouteBuilder MapHostPanelRunbook(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(DownloadPath, async (HttpContext context, string? format, string? org, CallerResolver callers, RunbookService runbooks, IStringLocalizer<RunbookPageText> text, CancellationToken ct) =>
        {
            if (format is null || !RunbookFiles.Words.TryGetValue(format, out var chosen))
            {
                return Results.BadRequest(text["Download.BadFormat"].Value);
            }

            var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
            var caller = userId is null ? null : await callers.ForPersonAsync(userId, ct).ConfigureAwait(false);
            if (caller is null)
            {
                return Results.Forbid();
            }

            RunbookDocument document;
            try
            {
                document = await runbooks.BuildAsync(caller, string.IsNullOrWhiteSpace(org) ? null : org, ct).ConfigureAwait(false);
            }
            catch (AccessDeniedException e)
            {
                return Results.Text(e.Message, "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
            }
            catch (AppRequestException e)
            {
                return Results.Text(e.Message, "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
            }

            try
            {
                var file = RunbookFiles.Render(document, chosen);
                context.Response.Headers.CacheControl = "no-store";
                return Results.File(file.Content, file.ContentType, file.FileName);
            }
            catch (RunbookFontsMissingException e)
            {
                return Results.Text(e.Message, "text/plain; charset=utf-8", statusCode: StatusCodes.Status500InternalServerError);
            }
        }).RequireAuthorization();
        return endpoints;
    }
}
