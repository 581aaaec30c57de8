using System.Net;
using HostPanel.Core.Accounts;
using HostPanel.Infrastructure.Data;

namespace HostPanel.Web.Accounts;

/// <summary>
/// Records what happens around accounts (sign-ins, failures, lockouts, two-step changes, resets,
/// confirmations) in the security events, with the client's address. Never a password, a code
/// or a token: callers pass the kind, the account and a short plain detail only.
/// </summary>
public sealed partial class SecurityAudit(
    ISecurityEventStore events,
    IHttpContextAccessor http,
    TimeProvider time,
    ILogger<SecurityAudit> logger)
{
    private const int EmailMaxLength = 256;

    /// <summary>Records an event about a known account.</summary>
    public Task RecordAsync(string kind, HostPanelUser user, string? detail = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return AddAsync(kind, user.Id, user.Email, detail, ct);
    }

    /// <summary>
    /// Records an event about an address nobody has an account with. What was typed is kept only
    /// when it looks like an e-mail address: a password typed in the wrong field must not be kept.
    /// </summary>
    public Task RecordUnknownAsync(string kind, string? typed, string? detail = null, CancellationToken ct = default) =>
        AddAsync(kind, null, LooksLikeEmail(typed) ? typed!.Trim() : null, detail, ct);

    /// <summary>The address the request came from (after the edge proxy's forwarded headers), IPv4 without its IPv6 form.</summary>
    public static string? ClientAddress(HttpContext? context)
    {
        var address = context?.Connection.RemoteIpAddress;
        if (address is null)
        {
            return null;
        }

        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    private async Task AddAsync(string kind, string? userId, string? email, string? detail, CancellationToken ct)
    {
        var address = ClientAddress(http.HttpContext);
        await events.AddAsync(new SecurityEvent(time.GetUtcNow(), kind, userId, email, address, detail), ct);
        LogEvent(kind, email ?? userId ?? "?", address ?? "?", detail ?? "");
    }

    private static bool LooksLikeEmail(string? typed)
    {
        var text = typed?.Trim();
        return text is { Length: > 2 and <= EmailMaxLength }
            && text.IndexOf('@', StringComparison.Ordinal) > 0
            && !text.Any(char.IsWhiteSpace)
            && !IPAddress.TryParse(text, out _);
    }

    [LoggerMessage(LogLevel.Information, "Security event {Kind} for {Account} from {Address} {Detail}")]
    private partial void LogEvent(string kind, string account, string address, string detail);
}
