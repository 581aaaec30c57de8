namespace HostPanel.Core.Accounts;

/// <summary>A person's place in an organization; a suspended membership grants nothing until it is resumed.</summary>
public sealed record Membership(string UserId, string OrganizationId, OrganizationRole Role, DateTimeOffset Since, bool Suspended = false);

/// <summary>A named set of members of one organization ("bureau", "bénévoles"), used to say who may use which app.</summary>
public sealed record Group(string OrganizationId, string Name, string Description, DateTimeOffset CreatedAt)
{
    public const string NamePattern = "^[a-z0-9][a-z0-9_-]{0,39}$";
    public const int DescriptionMaxLength = 200;
}

/// <summary>Who belongs to which organization, with which role.</summary>
public interface IMembershipStore
{
    Task<IReadOnlyList<Membership>> ForUserAsync(string userId, CancellationToken ct = default);

    Task<IReadOnlyList<Membership>> ForOrganizationAsync(string organizationId, CancellationToken ct = default);

    Task<Membership?> FindAsync(string userId, string organizationId, CancellationToken ct = default);

    /// <summary>Adds the membership or changes its role.</summary>
    Task SaveAsync(Membership membership, CancellationToken ct = default);

    /// <summary>Removes the membership and the person's place in the organization's groups.</summary>
    Task RemoveAsync(string userId, string organizationId, CancellationToken ct = default);
}

/// <summary>Groups, their members, and which groups may use each app.</summary>
public interface IGroupStore
{
    Task<IReadOnlyList<Group>> ListAsync(string organizationId, CancellationToken ct = default);

    Task<Group?> FindAsync(string organizationId, string name, CancellationToken ct = default);

    Task AddAsync(Group group, CancellationToken ct = default);

    /// <summary>Removes the group, its members' places in it, and its place in the apps' access lists.</summary>
    Task RemoveAsync(string organizationId, string name, CancellationToken ct = default);

    Task<IReadOnlyList<string>> MembersAsync(string organizationId, string name, CancellationToken ct = default);

    /// <summary>The groups of <paramref name="organizationId"/> the person belongs to.</summary>
    Task<IReadOnlyList<string>> GroupsOfAsync(string userId, string organizationId, CancellationToken ct = default);

    Task SetMemberAsync(string organizationId, string name, string userId, bool member, CancellationToken ct = default);

    /// <summary>The groups allowed to use the app; null when every member of its organization may.</summary>
    Task<IReadOnlyList<string>?> AppAccessAsync(string instance, CancellationToken ct = default);

    /// <summary>Sets the groups allowed to use the app; null opens it to every member of its organization.</summary>
    Task SetAppAccessAsync(string instance, string organizationId, IReadOnlyList<string>? groups, CancellationToken ct = default);
}

/// <summary>An invitation to join an organization, accepted through a secret link before it expires.</summary>
public sealed record Invitation(
    string Id,
    string OrganizationId,
    string Email,
    OrganizationRole Role,
    IReadOnlyList<string> Groups,
    string InvitedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? AcceptedAt)
{
    public bool IsOpen(DateTimeOffset now) => AcceptedAt is null && now < ExpiresAt;
}

/// <summary>Invitations; the link's secret is kept only as a hash.</summary>
public interface IInvitationStore
{
    Task AddAsync(Invitation invitation, string secretHash, CancellationToken ct = default);

    Task<Invitation?> FindBySecretHashAsync(string secretHash, CancellationToken ct = default);

    Task<IReadOnlyList<Invitation>> ListAsync(string organizationId, CancellationToken ct = default);

    Task MarkAcceptedAsync(string id, DateTimeOffset at, CancellationToken ct = default);

    Task RemoveAsync(string id, CancellationToken ct = default);
}

/// <summary>A personal access token for the HTTP API and the CLI: one organization, one role, revocable.</summary>
public sealed record AccessToken(
    string Id,
    string UserId,
    string OrganizationId,
    OrganizationRole Role,
    string Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt)
{
    public bool IsValid(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || now < ExpiresAt);
}

/// <summary>Personal access tokens; the secret is kept only as a hash.</summary>
public interface IAccessTokenStore
{
    Task AddAsync(AccessToken token, string secretHash, CancellationToken ct = default);

    Task<AccessToken?> FindBySecretHashAsync(string secretHash, CancellationToken ct = default);

    Task<AccessToken?> FindAsync(string id, CancellationToken ct = default);

    Task<IReadOnlyList<AccessToken>> ListAsync(string? userId, string? organizationId, CancellationToken ct = default);

    Task RevokeAsync(string id, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Revokes every token of the person, or only those for one organization.</summary>
    Task RevokeAllAsync(string userId, string? organizationId, DateTimeOffset at, CancellationToken ct = default);

    Task TouchAsync(string id, DateTimeOffset at, CancellationToken ct = default);
}

/// <summary>What happened around an account: sign-ins, failures, lockouts, 2FA changes, resets.</summary>
public sealed record SecurityEvent(DateTimeOffset At, string Kind, string? UserId, string? Email, string? Address, string? Detail);

/// <summary>Authentication events, kept for the audit trail; never a password, code or token.</summary>
public interface ISecurityEventStore
{
    Task AddAsync(SecurityEvent entry, CancellationToken ct = default);

    Task<IReadOnlyList<SecurityEvent>> ListAsync(string? userId, int take, CancellationToken ct = default);
}

/// <summary>Well-known <see cref="SecurityEvent.Kind"/> values.</summary>
public static class SecurityEventKinds
{
    public const string SignedIn = "signed-in";
    public const string SignInFailed = "sign-in-failed";
    public const string LockedOut = "locked-out";
    public const string SignedOut = "signed-out";
    public const string TwoFactorEnabled = "2fa-enabled";
    public const string TwoFactorDisabled = "2fa-disabled";
    public const string TwoFactorFailed = "2fa-failed";
    public const string RecoveryCodeUsed = "recovery-code-used";
    public const string RecoveryCodesRenewed = "recovery-codes-renewed";
    public const string PasswordResetRequested = "password-reset-requested";
    public const string PasswordReset = "password-reset";
    public const string PasswordChanged = "password-changed";
    public const string Reauthenticated = "reauthenticated";
    public const string InvitationAccepted = "invitation-accepted";
    public const string Disabled = "disabled";
    public const string Enabled = "enabled";
    public const string Removed = "removed";
    public const string AdministratorRecovered = "administrator-recovered";
    public const string HostingGranted = "hosting-granted";
    public const string HostingRevoked = "hosting-revoked";
    public const string TokenCreated = "token-created";
    public const string TokenRevoked = "token-revoked";
    public const string AccessRefused = "access-refused";
}

/// <summary>How a sign-in or an identity check was made, as <see cref="SecurityEvent.Detail"/> says it.</summary>
public static class SecurityEventDetails
{
    public const string Password = "password";
    public const string PasswordAndAuthenticator = "password and authenticator code";
    public const string PasswordAndRecoveryCode = "password and recovery code";
    public const string Passkey = "passkey";

    /// <summary>Both factors were shown: a password with an authenticator code, or a passkey.</summary>
    public static bool IsTwoFactor(string? detail) =>
        detail is not null && (detail.StartsWith(PasswordAndAuthenticator, StringComparison.Ordinal) || detail.StartsWith(Passkey, StringComparison.Ordinal));
}
