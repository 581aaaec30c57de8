using HostPanel.Core.Accounts;

namespace HostPanel.Core.Handover;

/// <summary>
/// An account outside HostPanel the organization depends on (domain registrar, server provider,
/// mail relay…), entered by its administrators: what it is for, at which provider, where to sign
/// in, and who holds the access. Never a password: only who has it.
/// </summary>
public sealed record ExternalAccount(
    Guid Id,
    string OrganizationId,
    string Purpose,
    string Provider,
    string? SignInAddress,
    IReadOnlyList<string> Holders,
    string? Notes,
    DateTimeOffset UpdatedAt);

/// <summary>The external accounts an organization depends on, as the caller may see them.</summary>
public interface IExternalAccounts
{
    Task<IReadOnlyList<ExternalAccount>> ListAsync(Caller caller, string organizationId, CancellationToken ct = default);
}

/// <summary>Situations where the organization depends on a single person or an unproven secret.</summary>
public enum BusFactorCheck
{
    SingleAdministrator,
    NoRecoveryKit,
    RecoveryKitOutdated,
    TooFewHolders,
    NoRecentRestoreProof,
    ExternalAccountSingleHolder,
    AdministratorWithoutTwoFactor,
}

/// <summary>
/// One raised bus-factor check: which, where (an organization, or null for the whole server),
/// about what (an app, a person, an account), and in the current culture's words what is wrong
/// (<see cref="Problem"/>) and what to do (<see cref="Fix"/>).
/// </summary>
public sealed record BusFactorFinding(BusFactorCheck Check, string? OrganizationId, string? Subject, string Problem, string Fix);

/// <summary>Runs the bus-factor checks the caller may see (one organization, or every one for hosters when null).</summary>
public interface IBusFactorChecks
{
    Task<IReadOnlyList<BusFactorFinding>> CheckAsync(Caller caller, string? organizationId, CancellationToken ct = default);
}
