namespace HostPanel.Core.Handover;

/// <summary>
/// The recovery kit handed out last, as the panel knows it (never the shares themselves): when,
/// how many shares rebuild it (<see cref="Threshold"/>) out of how many holders, and whether the
/// secrets it seals are still the ones in use.
/// </summary>
public sealed record RecoveryKitSummary(
    Guid Id,
    DateTimeOffset IssuedAt,
    int Threshold,
    IReadOnlyList<string> Holders,
    bool IsCurrent,
    DateTimeOffset? SecretsChangedAt);

/// <summary>Reads the state of the server's recovery kit (one kit covers the whole server).</summary>
public interface IRecoveryKitState
{
    /// <summary>The latest kit issued, or null when none was.</summary>
    Task<RecoveryKitSummary?> CurrentAsync(CancellationToken ct = default);
}
