namespace HostPanel.Core.Certificates;

/// <summary>
/// What HostPanel knows of one domain's certificate: the one in use (its files, serial and
/// dates), when it is to be renewed, and how the last attempts went.
/// </summary>
public sealed record CertificateRecord
{
    /// <summary>The domain (ASCII), the key of the record.</summary>
    public required string Domain { get; init; }

    /// <summary>The certificate chain file in use (PEM), or null before the first issuance.</summary>
    public string? ChainFile { get; init; }

    /// <summary>Its private key file (PEM, readable by HostPanel and the proxy only).</summary>
    public string? KeyFile { get; init; }

    /// <summary>The serial number of the certificate in use (hex, upper case).</summary>
    public string? Serial { get; init; }

    /// <summary>Its issuer's name.</summary>
    public string? Issuer { get; init; }

    public DateTimeOffset? NotBefore { get; init; }

    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>When it is to be renewed (from the CA's renewal information, else ⅔ of its lifetime).</summary>
    public DateTimeOffset? NextRenewal { get; init; }

    /// <summary>When the last issuance or renewal was tried.</summary>
    public DateTimeOffset? LastAttempt { get; init; }

    /// <summary>Why the last attempt failed, in plain words; null when it succeeded.</summary>
    public string? LastError { get; init; }

    /// <summary>Failed attempts in a row (reset by a success).</summary>
    public int Failures { get; init; }

    /// <summary>Not before this time is the next attempt made (backoff after failures).</summary>
    public DateTimeOffset? NextAttempt { get; init; }

    /// <summary>The smallest expiry warning already given (14, 7 or 3 days), 0 for none.</summary>
    public int WarnedDays { get; init; }

    /// <summary>The serial the proxy was last seen serving for this domain, and when.</summary>
    public string? ServedSerial { get; init; }

    public DateTimeOffset? ServedCheckedAt { get; init; }

    /// <summary>
    /// Whether the record's files exist and make a pair (a certificate and its own key); when not,
    /// <paramref name="problem"/> says why (null when there are no files at all).
    /// </summary>
    public bool FilesUsable(out string? problem)
    {
        problem = null;
        if (ChainFile is not { } chain || KeyFile is not { } key)
        {
            return false;
        }

        try
        {
            using var pair = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(chain, key);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            problem = e.Message;
            return false;
        }
    }
}

/// <summary>The certificates' records.</summary>
public interface ICertificateStore
{
    Task<CertificateRecord?> FindAsync(string domain, CancellationToken ct = default);

    Task<IReadOnlyList<CertificateRecord>> ListAsync(CancellationToken ct = default);

    Task SaveAsync(CertificateRecord certificate, CancellationToken ct = default);

    Task RemoveAsync(string domain, CancellationToken ct = default);
}

/// <summary>An answer to an HTTP-01 challenge the proxy must serve while the CA validates.</summary>
public sealed record PendingChallenge(string Token, string KeyAuthorization, string Domain, DateTimeOffset ExpiresAt);

/// <summary>
/// The HTTP-01 answers being served. Kept in the database, so that whichever HostPanel process
/// renders the proxy's configuration (the panel, a command) serves every pending answer.
/// </summary>
public interface IChallengeStore
{
    Task AddAsync(PendingChallenge challenge, CancellationToken ct = default);

    Task RemoveAsync(string token, CancellationToken ct = default);

    /// <summary>The answers not expired at <paramref name="now"/> (expired ones are dropped).</summary>
    Task<IReadOnlyList<PendingChallenge>> ListAsync(DateTimeOffset now, CancellationToken ct = default);
}
