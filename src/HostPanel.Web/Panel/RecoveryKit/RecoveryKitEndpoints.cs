using System.Security.Claims;
using System.Security.Cryptography;
using HostPanel.Core.Accounts;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;

namespace HostPanel.Web.Panel.RecoveryKit;

/// <summary>
/// <c>GET /continuity/kit/download/{id}</c>: one file of a recovery kit just issued, for the
/// hoster administrator who issued it, once (<see cref="RecoveryKitDownloads"/>).
/// </summary>
public static class RecoveryKitEndpoints
{
    public const string PagePath = "/continuity/kit";
    public const string DownloadPath = PagePath + "/download";

    public static string DownloadUrl(string id) => $"{DownloadPath}/{Uri.EscapeDataString(id)}";

    public static IServiceCollection AddHostPanelRecoveryKitPage(this IServiceCollection services)
    {
        services.AddSingleton<RecoveryKitDownloads>();
        return services;
    }

    public static IEndpointRouteBuilder MapHostPanelRecoveryKit(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(DownloadPath + "/{id}", async (HttpContext context, string id, CallerResolver callers, RecoveryKitDownloads downloads, IStringLocalizer<RecoveryKitPageText> text, CancellationToken ct) =>
        {
            var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
            var caller = userId is null ? null : await callers.ForPersonAsync(userId, ct).ConfigureAwait(false);
            if (caller is null || !caller.IsHosterAdministrator)
            {
                return Results.Forbid();
            }

            var file = downloads.Take(userId!, id);
            if (file is null)
            {
                return Results.Text(text["Download.Gone"].Value, "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
            }

            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.ContentType = file.ContentType;
            context.Response.ContentLength = file.Content.Length;
            context.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = file.FileName, FileName = file.FileName }.ToString();
            try
            {
                await context.Response.Body.WriteAsync(file.Content, ct).ConfigureAwait(false);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(file.Content);
            }

            return Results.Empty;
        }).RequireAuthorization();
        return endpoints;
    }
}
