namespace HostPanel.Acme;

/// <summary>Settings of an <see cref="AcmeClient"/>; the defaults suit public CAs.</summary>
public sealed class AcmeClientOptions
{
    /// <summary>The clock of polling delays and Retry-After dates.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The source of the random instant picked in a renewal window.</summary>
    public Random Random { get; init; } = Random.Shared;

    /// <summary>How many times a signed request is sent at most when the server rejects its nonce (badNonce).</summary>
    public int MaxBadNonceAttempts { get; init; } = 5;

    /// <summary>
    /// The first delay before polling an authorization or order when the server gives no
    /// Retry-After; each next one doubles, up to <see cref="PollInterval"/>. A validation is often
    /// done within a fraction of a second: a short first wait saves most of a fixed interval.
    /// </summary>
    public TimeSpan FirstPollDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest delay between polls of an authorization or order when the server gives no Retry-After.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times an authorization or order is polled at most.</summary>
    public int MaxPollAttempts { get; init; } = 60;

    /// <summary>How long an authorization or order is polled at most (a Retry-After beyond it fails at once).</summary>
    public TimeSpan MaxPollDuration { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>How long withdrawing the published challenge answers may take after validation.</summary>
    public TimeSpan CleanupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The User-Agent sent with every request (RFC 8555 section 6.1 asks for one).</summary>
    public string UserAgent { get; init; } = "HostPanel.Acme/1.0";
}

/// <summary>Settings of one issuance (<see cref="AcmeClient.IssueAsync(IEnumerable{string}, IHttp01Responder, AcmeIssueOptions?, CancellationToken)"/>).</summary>
public sealed class AcmeIssueOptions
{
    /// <summary>The kind of the new certificate key; ECDSA P-256 by default.</summary>
    public CertificateKeyAlgorithm KeyAlgorithm { get; init; } = CertificateKeyAlgorithm.EcdsaP256;

    /// <summary>The ARI identifier (<see cref="AcmeRenewal.GetCertId"/>) of the certificate this one replaces, if any.</summary>
    public string? Replaces { get; init; }

    /// <summary>
    /// Told about each failure to withdraw a published challenge answer. Such failures never fail the
    /// issuance (nor hide its own error); without this callback they go unnoticed.
    /// </summary>
    public Action<Exception>? CleanupFailed { get; init; }
}
