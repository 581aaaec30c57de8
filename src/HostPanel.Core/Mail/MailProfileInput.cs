using System.Globalization;
using System.Net;
using System.Net.Mail;
using System.Text.RegularExpressions;
using HostPanel.Core.Apps;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Mail;

/// <summary>
/// A profile as typed (command line or form), before validation. Not a record, so that the
/// password never shows in a generated <c>ToString</c>.
/// </summary>
public sealed class MailProfileInput
{
    /// <summary>The organization the profile is for; null for the panel's own.</summary>
    public string? OrganizationId { get; init; }

    public string? Host { get; init; }

    public int Port { get; init; }

    /// <summary>"none", "starttls" or "tls".</summary>
    public string? Security { get; init; }

    public string? UserName { get; init; }

    /// <summary>Null with a user name: the password stored for the same user is kept.</summary>
    public string? Password { get; init; }

    public string? FromAddress { get; init; }

    public string? FromName { get; init; }
}

/// <summary>
/// Checks of every field of a profile, each refusal an <see cref="AppRequestException"/> that
/// names the field (as its command-line option) and says what to write instead.
/// </summary>
public static partial class MailValidation
{
    public const int MaxDisplayNameLength = 100;
    public const int MaxUserNameLength = 256;
    public const int MaxPasswordLength = 1024;
    private const int MaxAddressLength = 254;
    private const int MaxLocalPartLength = 64;

    /// <summary>A host name (IDN given back in its ASCII form) or an IPv4/IPv6 address, lower-case.</summary>
    public static string Host(string? host)
    {
        var typed = host ?? string.Empty;
        return TryHost(typed.Trim(), out var normalized)
            ? normalized
            : throw new AppRequestException("host", CoreText.Format("MailHostInvalid", typed));
    }

    public static int Port(int port) =>
        port is >= 1 and <= 65535 ? port : throw new AppRequestException("port", CoreText.Format("MailPortInvalid", port));

    public static MailSecurity Security(string? security) =>
        MailSecurityWords.Parse(security) ?? throw new AppRequestException("security", CoreText.Format("MailSecurityInvalid", security ?? string.Empty));

    /// <summary>
    /// A plain address (no display name, no angle brackets): an unquoted ASCII local part and a
    /// domain name with a dot (given back in its ASCII form). <paramref name="field"/> and
    /// <paramref name="shownAs"/> name the field in the refusal (for example "from" and "--from").
    /// </summary>
    public static string Address(string? address, string field, string shownAs)
    {
        var typed = address ?? string.Empty;
        var value = typed.Trim();
        var at = value.LastIndexOf('@');
        if (value.Length is 0 or > MaxAddressLength
            || at is <= 0 or > MaxLocalPartLength
            || !LocalPart().IsMatch(value[..at])
            || !TryHost(value[(at + 1)..], out var domain)
            || !domain.Contains('.', StringComparison.Ordinal)
            || IPAddress.TryParse(domain, out _)
            || !MailAddress.TryCreate(value[..at] + "@" + domain, out var parsed)
            || parsed.DisplayName.Length > 0)
        {
            throw new AppRequestException(field, CoreText.Format("MailAddressInvalid", typed, shownAs));
        }

        return value[..at] + "@" + domain;
    }

    /// <summary>An optional display name on one line; null when empty.</summary>
    public static string? DisplayName(string? name)
    {
        var value = name?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return value.Length <= MaxDisplayNameLength && !value.Any(char.IsControl)
            ? value
            : throw new AppRequestException("from-name", CoreText.Format("MailFromNameInvalid", MaxDisplayNameLength));
    }

    /// <summary>An optional user name on one line; null when empty.</summary>
    public static string? UserName(string? user)
    {
        var value = user?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return value.Length <= MaxUserNameLength && !value.Any(char.IsControl)
            ? value
            : throw new AppRequestException("user", CoreText.Format("MailUserInvalid", MaxUserNameLength));
    }

    /// <summary>A password on one line (its spaces kept); the refusal never repeats it.</summary>
    public static string Password(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return password.Length is > 0 and <= MaxPasswordLength && !password.Any(char.IsControl)
            ? password
            : throw new AppRequestException("password", CoreText.Format("MailPasswordInvalid", MaxPasswordLength));
    }

    private static bool TryHost(string value, out string normalized)
    {
        normalized = string.Empty;
        if (value.Length is 0 or > 255 || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return false;
        }

        var bare = value.StartsWith('[') && value.EndsWith(']') ? value[1..^1] : value;
        if (bare.Contains(':', StringComparison.Ordinal) || DottedQuad().IsMatch(bare))
        {
            // IPAddress.TryParse alone takes "10.1" or "12345" too: only full forms get here.
            if (IPAddress.TryParse(bare, out var ip))
            {
                normalized = ip.ToString();
                return true;
            }

            return false;
        }

        string ascii;
        try
        {
            ascii = new IdnMapping().GetAscii(value.TrimEnd('.')).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return false;
        }

        var labels = ascii.Split('.');
        if (ascii.Length > 253 || !labels.All(l => Label().IsMatch(l)) || labels[^1].All(char.IsAsciiDigit))
        {
            return false;
        }

        normalized = ascii;
        return true;
    }

    [GeneratedRegex(@"^[0-9]{1,3}(\.[0-9]{1,3}){3}$")]
    private static partial Regex DottedQuad();

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex Label();

    /// <summary>RFC 5322's dot-atom, ASCII only (quoted local parts are refused).</summary>
    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")]
    private static partial Regex LocalPart();
}
