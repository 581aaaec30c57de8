using System.Security.Cryptography.X509Certificates;
using HostPanel.Core.Domains;

namespace HostPanel.Core.Certificates;

/// <summary>Serves (or stops serving) the answer to an HTTP-01 challenge while the CA validates it.</summary>
public interface IChallengeAnswers
{
    Task PublishAsync(string domain, string token, string keyAuthorization, CancellationToken ct = default);

    Task WithdrawAsync(string token, CancellationToken ct = default);
}

/// <summary>A certificate just issued: the chain and its key as PEM, and the leaf.</summary>
public sealed record IssuedCertificate(string ChainPem, string PrivateKeyPem, X509Certificate2 Leaf);

/// <summary>The certificate authority HostPanel asks for certificates (an ACME CA: Let's Encrypt).</summary>
public interface ICertificateAuthority
{
    /// <summary>Where the CA is (its directory URL), to show to people.</summary>
    string Name { get; }

    /// <summary>
    /// Issues a certificate for <paramref name="names"/>, proving control by
    /// <paramref name="challenge"/> (HTTP-01 through <paramref name="answers"/>). Throws
    /// <see cref="CertificateAuthorityException"/> with the CA's reason when it refuses.
    /// </summary>
    Task<IssuedCertificate> IssueAsync(IReadOnlyList<string> names, ChallengeKind challenge, IChallengeAnswers answers, X509Certificate2? replaces, CancellationToken ct = default);

    /// <summary>
    /// When <paramref name="certificate"/> should be renewed: in the CA's renewal window, else
    /// (no window offered, or it could not be read) at ⅔ of its lifetime (½ under 10 days). Never
    /// fails for want of renewal information.
    /// </summary>
    Task<DateTimeOffset> RenewalTimeAsync(X509Certificate2 certificate, CancellationToken ct = default);
}

/// <summary>The CA refused or could not be reached; <see cref="Exception.Message"/> is the CA's own explanation.</summary>
public sealed class CertificateAuthorityException(string message, string? problemType = null, DateTimeOffset? retryAfter = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The RFC 8555 error type (urn:ietf:params:acme:error:…), when the CA gave one.</summary>
    public string? ProblemType { get; } = problemType;

    /// <summary>When the CA asked to be asked again (rate limits).</summary>
    public DateTimeOffset? RetryAfter { get; } = retryAfter;
}
