namespace HostPanel.Core.Domains;

/// <summary>How the certificate authority is shown that HostPanel controls a domain.</summary>
public enum ChallengeKind
{
    /// <summary>A file served over HTTP on port 80 (the usual way; the name must point here).</summary>
    Http01,

    /// <summary>A TXT record in the domain's DNS (needed for wildcards).</summary>
    Dns01,
}

/// <summary>A domain an organization uses, and the app it serves (if any).</summary>
/// <param name="Name">The name in ASCII (punycode), lower case.</param>
/// <param name="OrganizationId">The organization the name belongs to; no other may use it.</param>
/// <param name="Instance">The app served at that name, or null while none is.</param>
/// <param name="Challenge">How its certificate is validated.</param>
/// <param name="CreatedAt">When it was added.</param>
public sealed record DomainRecord(string Name, string OrganizationId, string? Instance, ChallengeKind Challenge, DateTimeOffset CreatedAt);

/// <summary>The domains HostPanel knows.</summary>
public interface IDomainStore
{
    Task<DomainRecord?> FindAsync(string name, CancellationToken ct = default);

    /// <summary>Every domain, or those of one organization; by name.</summary>
    Task<IReadOnlyList<DomainRecord>> ListAsync(string? organizationId = null, CancellationToken ct = default);

    /// <summary>Adds or replaces the record of <see cref="DomainRecord.Name"/>.</summary>
    Task SaveAsync(DomainRecord domain, CancellationToken ct = default);

    Task RemoveAsync(string name, CancellationToken ct = default);
}
