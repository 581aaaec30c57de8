using System.Collections.Concurrent;
using System.Globalization;
using HostPanel.Infrastructure.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace HostPanel.Web.Accounts;

/// <summary>The lifetime of password-reset links, apart from Identity's other links.</summary>
public sealed class PasswordResetTokenProviderOptions : DataProtectionTokenProviderOptions;

/// <summary>
/// Password-reset links: signed with the key ring, bound to the account's security stamp (so a
/// link works once: the reset changes the stamp), valid for
/// <see cref="AccountSecurityOptions.PasswordResetLinkLifetime"/> (one hour by default).
/// </summary>
public sealed class PasswordResetTokenProvider(
    IDataProtectionProvider protection,
    IOptions<PasswordResetTokenProviderOptions> options,
    ILogger<DataProtectorTokenProvider<HostPanelUser>> logger)
    : DataProtectorTokenProvider<HostPanelUser>(protection, options, logger)
{
    public const string ProviderName = "HostPanelPasswordReset";
}

/// <summary>
/// Identity's authenticator codes (RFC 6238, 30-second steps, two steps of tolerance either way),
/// each accepted only once: a code seen over someone's shoulder or caught on the way cannot be
/// used a second time.
/// </summary>
internal sealed class OneUseAuthenticatorTokenProvider(UsedAuthenticatorCodes used) : AuthenticatorTokenProvider<HostPanelUser>
{
    public override async Task<bool> ValidateAsync(string purpose, string token, UserManager<HostPanelUser> manager, HostPanelUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        if (!await base.ValidateAsync(purpose, token, manager, user))
        {
            return false;
        }

        // The base accepted it, so it is a number: "012345" and "12345" are the same code.
        var code = int.Parse(token, NumberStyles.Integer, CultureInfo.InvariantCulture);
        return used.TryUse(await manager.GetUserIdAsync(user), code);
    }
}

/// <summary>The authenticator codes accepted in the last minutes, per account (this process only).</summary>
internal sealed class UsedAuthenticatorCodes(TimeProvider time)
{
    // Longer than the window in which Identity accepts a code (five 30-second steps).
    private static readonly TimeSpan Remembered = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<(string User, int Code), DateTimeOffset> _used = new();

    /// <summary>True the first time the code is used for the account, false afterwards.</summary>
    public bool TryUse(string userId, int code)
    {
        var now = time.GetUtcNow();
        foreach (var (key, until) in _used)
        {
            if (until <= now)
            {
                _used.TryRemove(new KeyValuePair<(string, int), DateTimeOffset>(key, until));
            }
        }

        return _used.TryAdd((userId, code), now + Remembered);
    }
}
