namespace HostPanel.Core.Handover;

/// <summary>
/// Everything the recovery kit seals, enough to rebuild HostPanel on a fresh server: every
/// organization's backup repository with its password and SSH material, the Data Protection key
/// ring that decrypts the panel's stored secrets, and a fresh recovery credential for the panel.
/// </summary>
public sealed record RecoveryKitContents
{
    /// <summary>The version of this layout, for readers of older kits.</summary>
    public int Format { get; init; } = 1;

    public required Guid KitId { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    public required int Threshold { get; init; }

    public required IReadOnlyList<string> Holders { get; init; }

    /// <summary>The panel's public address (for example https://panel.velo-lyon.fr), when configured.</summary>
    public string? PanelAddress { get; init; }

    public required IReadOnlyList<RecoveryRepository> Repositories { get; init; }

    /// <summary>The key ring files (DATA_DIR/keys/*.xml): file name → content.</summary>
    public required IReadOnlyDictionary<string, string> KeyRing { get; init; }

    /// <summary>A random credential made for this kit; the server keeps only its hash.</summary>
    public required string RecoveryCredential { get; init; }
}

/// <summary>
/// One organization's restic repository: where it is, its password, and for SFTP the private key
/// and known_hosts contents (with the paths they had, so they can be put back in place).
/// </summary>
public sealed record RecoveryRepository
{
    public required string OrganizationId { get; init; }

    public required string Location { get; init; }

    public required string Password { get; init; }

    public string? SshKeyFile { get; init; }

    public string? SshKey { get; init; }

    public string? SshKnownHostsFile { get; init; }

    public string? SshKnownHosts { get; init; }
}
