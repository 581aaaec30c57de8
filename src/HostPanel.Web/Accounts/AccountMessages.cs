using System.Globalization;
using HostPanel.Infrastructure.Data;
using Microsoft.Extensions.Localization;

namespace HostPanel.Web.Accounts;

/// <summary>Texts several account pages share.</summary>
internal static class AccountMessages
{
    /// <summary>A lock longer than this is not the lockout after failures but a disabled account.</summary>
    private static readonly TimeSpan DisabledBeyond = TimeSpan.FromDays(365);

    /// <summary>Whether an administrator disabled the account (no sign-in, no password reset).</summary>
    public static bool IsDisabled(HostPanelUser user, DateTimeOffset now) =>
        user.DisabledAt is not null || (user.LockoutEnd is { } end && end - now > DisabledBeyond);

    /// <summary>
    /// Why the account cannot sign in now: disabled by an administrator, or locked after too many
    /// failures until a time given on the server's clock (HH:MM), with what to do.
    /// </summary>
    public static string Locked(IStringLocalizer text, HostPanelUser user, DateTimeOffset now)
    {
        if (IsDisabled(user, now))
        {
            return text["SignIn.Disabled"];
        }

        var until = TimeZoneInfo.ConvertTime(user.LockoutEnd ?? now, TimeZoneInfo.Local);
        var shown = until.Date == TimeZoneInfo.ConvertTime(now, TimeZoneInfo.Local).Date
            ? until.ToString("HH:mm", CultureInfo.InvariantCulture)
            : until.ToString("d", CultureInfo.CurrentCulture) + " " + until.ToString("HH:mm", CultureInfo.InvariantCulture);
        return text["SignIn.LockedOutUntil", shown];
    }

    /// <summary>A code as typed, without the spaces and dashes apps and people add.</summary>
    public static string Digits(string? typed) =>
        string.Concat((typed ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-'));

    /// <summary>True for a code of an authenticator app (6 digits); anything else is taken for a recovery code.</summary>
    public static bool IsAuthenticatorCode(string? typed)
    {
        var digits = Digits(typed);
        return digits.Length == 6 && digits.All(char.IsAsciiDigit);
    }
}

/// <summary>Keeps a sign-in with an unknown address as slow as one with a wrong password.</summary>
internal static class SignInTiming
{
    private static string? _nobodysHash;

    /// <summary>Checks <paramref name="password"/> against a hash nobody's password matches, and forgets the answer.</summary>
    public static void CheckAgainstNobody(Microsoft.AspNetCore.Identity.UserManager<HostPanelUser> users, string password)
    {
        var nobody = new HostPanelUser();
        _nobodysHash ??= users.PasswordHasher.HashPassword(nobody, Guid.NewGuid().ToString("N"));
        _ = users.PasswordHasher.VerifyHashedPassword(nobody, _nobodysHash, password);
    }
}
