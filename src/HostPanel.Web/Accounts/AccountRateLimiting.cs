using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace HostPanel.Web.Accounts;

/// <summary>
/// Limits how many account forms (sign-in, two-step code, password reset, confirmation,
/// invitation, passkeys and their options) one client address may send: <see cref="AccountSecurityOptions.AccountFormsPerMinute"/>
/// per minute, all forms together; showing the forms (GET) is never limited. A page takes part
/// with <c>@attribute [EnableRateLimiting(AccountRateLimiting.Policy)]</c>.
/// </summary>
public static class AccountRateLimiting
{
    public const string Policy = "account-forms";

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    internal static IServiceCollection AddAccountRateLimiting(this IServiceCollection services)
    {
        // Other parts of the panel (the API) have limits of their own and answer their refusals
        // themselves: the account forms' page is added in front of whatever they set, once all
        // of them have configured the limiter.
        services.PostConfigure<RateLimiterOptions>(limiter =>
        {
            var others = limiter.OnRejected;
            limiter.OnRejected = async (context, ct) =>
            {
                if (IsAccountForm(context.HttpContext))
                {
                    await WriteTooManyAsync(context.HttpContext, ct);
                }
                else if (others is not null)
                {
                    await others(context, ct);
                }
            };
        });
        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policy, context =>
            {
                if (!HttpMethods.IsPost(context.Request.Method))
                {
                    return RateLimitPartition.GetNoLimiter("not-a-form");
                }

                var permits = context.RequestServices.GetRequiredService<IOptions<AccountSecurityOptions>>().Value.AccountFormsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(PartitionOf(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = Math.Max(1, permits),
                    Window = Window,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
    }

    private static bool IsAccountForm(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == Policy;

    /// <summary>The client address; for IPv6 its /64 network, which one person usually holds whole.</summary>
    internal static string PartitionOf(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }

        return address.ToString();
    }

    /// <summary>A plain page, in the person's language, saying to wait a minute.</summary>
    private static async Task WriteTooManyAsync(HttpContext context, CancellationToken ct)
    {
        var text = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        var language = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        context.Response.Headers.RetryAfter = ((int)Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.ContentType = "text/html; charset=utf-8";
        var title = WebUtility.HtmlEncode(text["TooMany.Title"]);
        var body = WebUtility.HtmlEncode(text["TooMany.Text"]);
        var back = WebUtility.HtmlEncode(text["TooMany.Back"]);
        await context.Response.WriteAsync(
            $"""
            <!DOCTYPE html>
            <html lang="{language}">
            <head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1.0" /><title>{title}</title></head>
            <body>
            <main id="too-many" role="alert">
            <h1>{title}</h1>
            <p>{body}</p>
            <p><a href="{WebUtility.HtmlEncode(AccountPaths.SignIn)}">{back}</a></p>
            </main>
            </body>
            </html>
            """,
            ct);
    }
}
