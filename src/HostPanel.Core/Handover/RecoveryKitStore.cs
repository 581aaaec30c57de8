namespace HostPanel.Core.Handover;

/// <summary>
/// A kit as the server remembers it once handed out: never the shares nor the key; the
/// fingerprints of what it sealed (<see cref="CoveredSecrets.ItemFingerprints"/>) and the hash of
/// its recovery credential.
/// </summary>
public sealed record IssuedRecoveryKit(
    Guid Id,
    DateTimeOffset IssuedAt,
    string IssuedBy,
    int Threshold,
    IReadOnlyList<string> Holders,
    string Fingerprint,
    IReadOnlyDictionary<string, string> Items,
    string CredentialHash);

/// <summary>Where issued kits are kept.</summary>
public interface IRecoveryKitStore
{
    Task AddAsync(IssuedRecoveryKit kit, CancellationToken ct = default);

    /// <summary>The kit issued last, or null.</summary>
    Task<IssuedRecoveryKit?> LatestAsync(CancellationToken ct = default);
}
