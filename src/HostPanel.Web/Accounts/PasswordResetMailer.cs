using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using HostPanel.Core.Apps;
using HostPanel.Core.Configuration;
using HostPanel.Core.Mail;
using HostPanel.Infrastructure.Data;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace HostPanel.Web.Accounts;

/// <summary>
/// Sends password-reset links with the panel's own SMTP profile. The message goes out in the
/// background, so the forgotten-password page answers in the same time whether an account
/// exists or not; at most one message per account per minute.
/// </summary>
public sealed partial class PasswordResetMailer(
    MailService mail,
    IOptions<HostPanelOptions> panel,
    IOptions<AccountSecurityOptions> security,
    IStringLocalizer<SharedResource> text,
    TimeProvider time,
    ILogger<PasswordResetMailer> logger)
{
    private static readonly TimeSpan Cooldown = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastSent = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<Task, byte> _sending = new();

    /// <summary>Whether the panel has an SMTP profile to send the links with.</summary>
    public async Task<bool> AvailableAsync(CancellationToken ct = default) =>
        await mail.ResolveAsync(null, ct) is not null;

    /// <summary>Where the links point: <see cref="HostPanelOptions.PanelUrl"/> when set, else the address this request came to.</summary>
    public string BaseUrl(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.IsNullOrWhiteSpace(panel.Value.PanelUrl))
        {
            return panel.Value.PanelUrl.Trim().TrimEnd('/');
        }

        LogNoPanelUrl(request.Host.Value ?? "");
        return $"{request.Scheme}://{request.Host}{request.PathBase}";
    }

    /// <summary>The reset link for <paramref name="user"/> with <paramref name="token"/> (base64url in the address).</summary>
    public static string Link(string baseUrl, string userId, string token) =>
        $"{baseUrl}{AccountPaths.ResetPassword}?user={Uri.EscapeDataString(userId)}&code={WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token))}";

    /// <summary>The token carried in a link, or null when the link was damaged.</summary>
    public static string? TokenOf(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the message now (in the current language) and sends it in the background. False when
    /// a message already went to this account less than a minute ago (nothing is sent then).
    /// </summary>
    public bool Send(HostPanelUser user, string link)
    {
        ArgumentNullException.ThrowIfNull(user);
        var now = time.GetUtcNow();
        var last = _lastSent.GetOrAdd(user.Id, DateTimeOffset.MinValue);
        if (now - last < Cooldown || !_lastSent.TryUpdate(user.Id, now, last))
        {
            return false;
        }

        var minutes = ((int)Math.Round(security.Value.PasswordResetLinkLifetime.TotalMinutes)).ToString(CultureInfo.CurrentCulture);
        var name = string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email! : user.DisplayName;
        var message = new OutgoingMail(
            user.Email!,
            text["PasswordReset.MailSubject"],
            text["PasswordReset.MailText", name, link, minutes]);
        var sending = Task.Run(async () =>
        {
            try
            {
                await mail.SendAsync(null, message).ConfigureAwait(false);
            }
            catch (AppRequestException e)
            {
                LogNotSent(user.Email!, e.Message);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogFailed(user.Email!, e);
            }
        });
        _sending.TryAdd(sending, 0);
        _ = sending.ContinueWith(t => _sending.TryRemove(t, out _), TaskScheduler.Default);
        return true;
    }

    /// <summary>Waits for the messages being sent (tests, and a panel that stops).</summary>
    internal Task DrainAsync() => Task.WhenAll(_sending.Keys);

    [LoggerMessage(LogLevel.Warning, "PanelUrl is not set: password-reset links point to the address the request came to ({Host}). Set PanelUrl to the panel's public address.")]
    private partial void LogNoPanelUrl(string host);

    [LoggerMessage(LogLevel.Error, "The password-reset message to {Email} could not be sent: {Reason}")]
    private partial void LogNotSent(string email, string reason);

    [LoggerMessage(LogLevel.Error, "The password-reset message to {Email} could not be sent")]
    private partial void LogFailed(string email, Exception e);
}
