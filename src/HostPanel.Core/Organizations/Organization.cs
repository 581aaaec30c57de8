namespace HostPanel.Core.Organizations;

/// <summary>
/// An organization: the wall around apps, people, backups and audit entries. A single
/// association simply has one, created at first run.
/// </summary>
public sealed record Organization(string Id, string Name, DateTimeOffset CreatedAt)
{
    public const string DefaultId = "default";
    public const string IdPattern = "^[a-z][a-z0-9-]{1,30}$";
}

/// <summary>Where organizations are kept.</summary>
public interface IOrganizationStore
{
    Task<Organization?> FindAsync(string id, CancellationToken ct = default);

    Task<IReadOnlyList<Organization>> ListAsync(CancellationToken ct = default);

    /// <summary>Creates the default organization when none exists; returns it.</summary>
    Task<Organization> EnsureDefaultAsync(CancellationToken ct = default);

    Task AddAsync(Organization organization, CancellationToken ct = default);
}
