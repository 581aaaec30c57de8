using System.Security.Cryptography;
using System.Text;

namespace HostPanel.Core.Accounts;

/// <summary>
/// Turns who a request comes from (an account id, a presented access token) into a
/// <see cref="Caller"/> with the roles held now: a disabled or removed person, a revoked or
/// expired token, gets nothing.
/// </summary>
public sealed class CallerResolver(IPeopleDirectory people, IMembershipStore memberships, IAccessTokenStore tokens, TimeProvider time)
{
    /// <summary>The person's caller, or null when the account is missing or disabled.</summary>
    public async Task<Caller?> ForPersonAsync(string userId, CancellationToken ct = default)
    {
        var person = await people.FindAsync(userId, ct).ConfigureAwait(false);
        if (person is null || person.Disabled)
        {
            return null;
        }

        var roles = await memberships.ForUserAsync(userId, ct).ConfigureAwait(false);
        return new Caller
        {
            Id = person.Id,
            Name = person.Email,
            IsHosterAdministrator = person.IsHosterAdministrator,
            Roles = roles.Where(m => !m.Suspended).ToDictionary(m => m.OrganizationId, m => m.Role, StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// The caller a personal access token stands for: its owner, limited to the token's one
    /// organization and to the lower of the token's role and the owner's role there now.
    /// Null when the token is unknown, revoked, expired, or its owner lost the organization.
    /// </summary>
    public async Task<Caller?> ForTokenAsync(string? presented, CancellationToken ct = default)
    {
        if (!AccessTokenFormat.TryParse(presented, out _))
        {
            return null;
        }

        var token = await tokens.FindBySecretHashAsync(Hash(presented!), ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (token is null || !token.IsValid(now))
        {
            return null;
        }

        var owner = await ForPersonAsync(token.UserId, ct).ConfigureAwait(false);
        if (owner?.RoleIn(token.OrganizationId) is not { } held)
        {
            return null;
        }

        await tokens.TouchAsync(token.Id, now, ct).ConfigureAwait(false);
        var role = (OrganizationRole)Math.Min((int)held, (int)token.Role);
        return new Caller
        {
            Id = owner.Id,
            Name = owner.Name,
            IsHosterAdministrator = false,
            Roles = new Dictionary<string, OrganizationRole>(StringComparer.Ordinal) { [token.OrganizationId] = role },
            TokenId = token.Id,
        };
    }

    /// <summary>How secrets (token and invitation links) are kept: SHA-256, hex.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}

/// <summary>
/// A personal access token as people copy it: <c>hpt_ID_SECRET</c>, 8 id characters and 43
/// secret characters (32 random bytes, base64url), so a leaked token is recognisable in logs and
/// by secret scanners.
/// </summary>
public static class AccessTokenFormat
{
    public const string Prefix = "hpt_";

    public static string New(out string id)
    {
        id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        return $"{Prefix}{id}_{Base64Url(RandomNumberGenerator.GetBytes(32))}";
    }

    public static bool TryParse(string? presented, out string id)
    {
        id = string.Empty;
        if (presented is null || presented.Length != Prefix.Length + 8 + 1 + 43 || !presented.StartsWith(Prefix, StringComparison.Ordinal) || presented[Prefix.Length + 8] != '_')
        {
            return false;
        }

        id = presented.Substring(Prefix.Length, 8);
        return id.All(char.IsAsciiHexDigitLower) && presented[(Prefix.Length + 9)..].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
    }

    /// <summary>A random secret for links (invitations): 32 bytes, base64url.</summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
