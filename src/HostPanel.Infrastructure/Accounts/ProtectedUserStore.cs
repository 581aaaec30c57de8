using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HostPanel.Infrastructure.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace HostPanel.Infrastructure.Accounts;

/// <summary>
/// Identity's store on the panel's database, except for the two secrets of two-factor sign-in,
/// which Identity would keep in clear in AspNetUserTokens:
/// <list type="bullet">
/// <item>the authenticator key is encrypted with Data Protection (the key ring in DATA_DIR/keys),
/// bound to its account: a value copied to another account does not decrypt;</item>
/// <item>recovery codes are kept only as salted SHA-256 hashes (PBKDF2, bound to the account), so
/// a code is redeemed by its hash and none can be read back.</item>
/// </list>
/// The panel and the CLI use this same store (<see cref="AccountsServiceCollectionExtensions.AddHostPanelAccounts"/>).
/// </summary>
public sealed class ProtectedUserStore(HostPanelDbContext context, IDataProtectionProvider protection, IdentityErrorDescriber? describer = null)
    : UserStore<HostPanelUser, IdentityRole, HostPanelDbContext>(context, describer)
{
    /// <summary>Where Identity keeps its own tokens (UserStoreBase's internal login provider).</summary>
    public const string InternalLoginProvider = "[AspNetUserStore]";

    public const string AuthenticatorKeyTokenName = "AuthenticatorKey";

    public const string RecoveryCodesTokenName = "RecoveryCodes";

    /// <summary>The Data Protection purpose of authenticator keys; change the version only with a migration of the stored values.</summary>
    public const string AuthenticatorKeyPurpose = "HostPanel.Accounts.AuthenticatorKey.v1";

    /// <summary>Marks an encrypted value, so that a key written by another store is recognized.</summary>
    private const string ProtectedPrefix = "dp1:";

    /// <summary>Marks one hashed recovery code.</summary>
    private const string HashPrefix = "h1:";

    // A recovery code has about 47 bits of randomness: the iterations make guessing it from a
    // stolen database slow, while redeeming one (a single hash) stays quick.
    private const int HashIterations = 100_000;

    private const int HashBytes = 32;

    private readonly IDataProtectionProvider _protection = protection;

    public override Task SetAuthenticatorKeyAsync(HostPanelUser user, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(key);
        return SetTokenAsync(user, InternalLoginProvider, AuthenticatorKeyTokenName, ProtectedPrefix + ProtectorFor(user).Protect(key), cancellationToken);
    }

    public override async Task<string?> GetAuthenticatorKeyAsync(HostPanelUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var stored = await GetTokenAsync(user, InternalLoginProvider, AuthenticatorKeyTokenName, cancellationToken);
        if (string.IsNullOrEmpty(stored))
        {
            return null;
        }

        if (!stored.StartsWith(ProtectedPrefix, StringComparison.Ordinal))
        {
            // Written in clear before this store existed: still usable, encrypted at its next change.
            return stored;
        }

        try
        {
            return ProtectorFor(user).Unprotect(stored[ProtectedPrefix.Length..]);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException(
                $"The authenticator key of the account {user.Email} cannot be decrypted. The key ring (the 'keys' folder of "
                + "the data directory) is probably not the one it was written with: restore the keys saved with the database, "
                + "or have the person set up two-step sign-in again.",
                e);
        }
    }

    public override Task ReplaceCodesAsync(HostPanelUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(recoveryCodes);
        var hashes = recoveryCodes.Select(code => HashPrefix + Hash(user, code));
        return StoreHashesAsync(user, hashes, cancellationToken);
    }

    public override async Task<bool> RedeemCodeAsync(HostPanelUser user, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(code);
        var stored = await StoredHashesAsync(user, cancellationToken);
        if (stored.Count == 0 || Normalize(code).Length == 0)
        {
            return false;
        }

        var candidate = Encoding.ASCII.GetBytes(HashPrefix + Hash(user, code));
        var match = stored.FindIndex(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), candidate));
        if (match < 0)
        {
            return false;
        }

        stored.RemoveAt(match);
        await StoreHashesAsync(user, stored, cancellationToken);
        return true;
    }

    public override async Task<int> CountCodesAsync(HostPanelUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return (await StoredHashesAsync(user, cancellationToken)).Count;
    }

    private IDataProtector ProtectorFor(HostPanelUser user) => _protection.CreateProtector(AuthenticatorKeyPurpose, user.Id);

    private Task StoreHashesAsync(HostPanelUser user, IEnumerable<string> hashes, CancellationToken ct) =>
        SetTokenAsync(user, InternalLoginProvider, RecoveryCodesTokenName, string.Join(';', hashes), ct);

    private async Task<List<string>> StoredHashesAsync(HostPanelUser user, CancellationToken ct)
    {
        var merged = await GetTokenAsync(user, InternalLoginProvider, RecoveryCodesTokenName, ct) ?? "";

        // Anything that is not one of our hashes (codes an earlier version wrote in clear) is dropped:
        // the person makes new codes, which is safer than keeping readable ones.
        return [.. merged.Split(';', StringSplitOptions.RemoveEmptyEntries).Where(s => s.StartsWith(HashPrefix, StringComparison.Ordinal))];
    }

    /// <summary>
    /// PBKDF2-HMAC-SHA256 of the code however the person types it (spaces and dashes removed, capitals),
    /// salted with the account: the same code of two accounts gives two different hashes.
    /// </summary>
    private static string Hash(HostPanelUser user, string code)
    {
        var salt = Encoding.UTF8.GetBytes("HostPanel.RecoveryCode:" + user.Id);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(Normalize(code)), salt, HashIterations, HashAlgorithmName.SHA256, HashBytes);
        return Convert.ToHexStringLower(hash);
    }

    private static string Normalize(string code) =>
        string.Concat(code.Where(c => !char.IsWhiteSpace(c) && c != '-')).ToUpper(CultureInfo.InvariantCulture);
}
