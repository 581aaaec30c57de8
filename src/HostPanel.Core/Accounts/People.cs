namespace HostPanel.Core.Accounts;

/// <summary>A person with an account on the panel, as the application services see them.</summary>
public sealed record Person(
    string Id,
    string Email,
    string DisplayName,
    bool Disabled,
    bool TwoFactorEnabled,
    bool IsHosterAdministrator,
    DateTimeOffset CreatedAt);

/// <summary>What giving or taking the hoster role did: the person as they are now, and whether their account was deleted with it.</summary>
public sealed record HostingChange(Person Person, bool AccountDeleted);

/// <summary>
/// The panel's accounts (ASP.NET Core Identity behind it). Disabling an account changes its
/// security stamp, so its panel sessions end; the member service also runs every
/// <see cref="ISessionRevoker"/> (tokens, single sign-on).
/// </summary>
public interface IPeopleDirectory
{
    Task<Person?> FindAsync(string id, CancellationToken ct = default);

    Task<Person?> FindByEmailAsync(string email, CancellationToken ct = default);

    Task<IReadOnlyList<Person>> FindManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default);

    Task<IReadOnlyList<Person>> HosterAdministratorsAsync(CancellationToken ct = default);

    /// <summary>Creates an account; the password follows the panel's rules or an <see cref="Apps.AppRequestException"/> names what is wrong.</summary>
    Task<Person> CreateAsync(string email, string displayName, string password, CancellationToken ct = default);

    /// <summary>Disables (no sign-in, every session and token ended) or enables the account.</summary>
    Task SetDisabledAsync(string id, bool disabled, CancellationToken ct = default);

    Task DeleteAsync(string id, CancellationToken ct = default);

    /// <summary>
    /// Root's way back in: a new password (the account's rules apply), lockout and 2FA cleared so
    /// the person enrols again, every session ended, the hoster administrator role restored.
    /// </summary>
    Task RecoverAsync(string id, string password, CancellationToken ct = default);

    /// <summary>
    /// Gives the hoster administrator role (the whole server) or takes it away; the account's
    /// security stamp changes, so its panel sessions read their rights again.
    /// </summary>
    Task SetHosterAsync(string id, bool hoster, CancellationToken ct = default);

    /// <summary>
    /// Whether <paramref name="password"/> and a current authenticator <paramref name="code"/>
    /// sign this account in: false when either is wrong (the failure counts toward the account's
    /// lockout), or the account is disabled, locked out or has no two-step sign-in.
    /// </summary>
    Task<bool> VerifySignInAsync(string id, string password, string code, CancellationToken ct = default);
}

/// <summary>Ends a person's sessions and tokens somewhere (panel cookies, API tokens, OIDC tokens).</summary>
public interface ISessionRevoker
{
    Task RevokeAsync(string userId, CancellationToken ct = default);
}
