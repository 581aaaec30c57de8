namespace HostPanel.Acme;

/// <summary>The resources a CA announces in its directory (RFC 8555 section 7.1.1, RFC 9773 section 4).</summary>
/// <param name="NewNonce">Where fresh anti-replay nonces are obtained.</param>
/// <param name="NewAccount">Where accounts are created and looked up.</param>
/// <param name="NewOrder">Where certificate orders are placed.</param>
/// <param name="RevokeCert">Where certificates are revoked, if the CA supports it.</param>
/// <param name="KeyChange">Where account keys are rolled over, if the CA supports it.</param>
/// <param name="RenewalInfo">The ACME Renewal Information (ARI) base URL; null when the CA does not offer ARI.</param>
/// <param name="Meta">Metadata about the CA.</param>
public sealed record AcmeDirectory(
    Uri NewNonce,
    Uri NewAccount,
    Uri NewOrder,
    Uri? RevokeCert,
    Uri? KeyChange,
    Uri? RenewalInfo,
    AcmeDirectoryMeta Meta);

/// <summary>The "meta" object of a directory.</summary>
/// <param name="TermsOfService">The current terms of service, if any.</param>
/// <param name="Website">The CA's website, if any.</param>
/// <param name="CaaIdentities">The domain names the CA recognizes in CAA records.</param>
/// <param name="ExternalAccountRequired">Whether new accounts need an external account binding.</param>
public sealed record AcmeDirectoryMeta(
    Uri? TermsOfService,
    Uri? Website,
    IReadOnlyList<string> CaaIdentities,
    bool ExternalAccountRequired);

/// <summary>An ACME account.</summary>
/// <param name="Location">The account URL: the "kid" of every later request.</param>
/// <param name="Status">The account status (<see cref="AcmeStatus"/>).</param>
/// <param name="Contact">The contact URLs (such as "mailto:admin@example.org").</param>
/// <param name="TermsOfServiceAgreed">Whether the terms of service were agreed to, when the CA says.</param>
/// <param name="Orders">The URL of the account's order list, when the CA gives one.</param>
public sealed record AcmeAccount(
    Uri Location,
    string Status,
    IReadOnlyList<string> Contact,
    bool? TermsOfServiceAgreed,
    Uri? Orders);

/// <summary>An identifier a certificate is requested for.</summary>
/// <param name="Type">The identifier type, "dns" for domain names.</param>
/// <param name="Value">The identifier, such as "example.org" (for a wildcard authorization, without the "*.").</param>
public sealed record AcmeIdentifier(string Type, string Value)
{
    /// <summary>The identifier type of domain names.</summary>
    public const string DnsType = "dns";

    /// <summary>A "dns" identifier for a domain name.</summary>
    /// <param name="name">The domain name.</param>
    /// <returns>The identifier.</returns>
    public static AcmeIdentifier Dns(string name) => new(DnsType, name);

    /// <inheritdoc/>
    public override string ToString() => $"{Type}:{Value}";
}

/// <summary>A certificate order (RFC 8555 section 7.1.3).</summary>
/// <param name="Location">The order URL.</param>
/// <param name="Status">The order status (<see cref="AcmeStatus"/>).</param>
/// <param name="Expires">When the order expires, if the CA says.</param>
/// <param name="Identifiers">The identifiers the order is for.</param>
/// <param name="Authorizations">The authorization URLs, one per identifier.</param>
/// <param name="Finalize">Where the CSR is sent once every authorization is valid.</param>
/// <param name="Certificate">Where the issued certificate is downloaded, once the order is valid.</param>
/// <param name="Error">The reason the order failed, if it did.</param>
/// <param name="Replaces">The ARI certificate identifier of the certificate this order replaces, if any.</param>
public sealed record AcmeOrder(
    Uri Location,
    string Status,
    DateTimeOffset? Expires,
    IReadOnlyList<AcmeIdentifier> Identifiers,
    IReadOnlyList<Uri> Authorizations,
    Uri Finalize,
    Uri? Certificate,
    AcmeProblem? Error,
    string? Replaces);

/// <summary>An authorization: the proof of control over one identifier (RFC 8555 section 7.1.4).</summary>
/// <param name="Location">The authorization URL.</param>
/// <param name="Identifier">The identifier (for a wildcard, the base domain without "*.").</param>
/// <param name="Status">The authorization status (<see cref="AcmeStatus"/>).</param>
/// <param name="Expires">When the authorization expires, if the CA says.</param>
/// <param name="Challenges">The ways the CA offers to prove control.</param>
/// <param name="Wildcard">Whether the authorization is for a wildcard name.</param>
public sealed record AcmeAuthorization(
    Uri Location,
    AcmeIdentifier Identifier,
    string Status,
    DateTimeOffset? Expires,
    IReadOnlyList<AcmeChallenge> Challenges,
    bool Wildcard);

/// <summary>A challenge of an authorization (RFC 8555 section 8).</summary>
/// <param name="Type">The challenge type (<see cref="AcmeChallengeTypes"/>).</param>
/// <param name="Url">The challenge URL, posted to when the answer is in place.</param>
/// <param name="Status">The challenge status (<see cref="AcmeStatus"/>).</param>
/// <param name="Token">The challenge token, for HTTP-01 and DNS-01.</param>
/// <param name="Validated">When the challenge was validated, if it was.</param>
/// <param name="Error">Why validation failed, if it did.</param>
public sealed record AcmeChallenge(
    string Type,
    Uri Url,
    string Status,
    string? Token,
    DateTimeOffset? Validated,
    AcmeProblem? Error);

/// <summary>The suggested renewal window of a certificate (RFC 9773).</summary>
/// <param name="Start">The start of the window.</param>
/// <param name="End">The end of the window.</param>
public sealed record RenewalWindow(DateTimeOffset Start, DateTimeOffset End);

/// <summary>The renewal information a CA gives for one certificate (RFC 9773 section 4.2).</summary>
/// <param name="CertId">The ARI certificate identifier asked about.</param>
/// <param name="SuggestedWindow">When the CA suggests renewing.</param>
/// <param name="ExplanationUrl">A page explaining the suggestion (for example, an incident report), if any.</param>
/// <param name="RetryAfter">When to ask again, from the response's Retry-After header, if any.</param>
public sealed record AcmeRenewalInfo(
    string CertId,
    RenewalWindow SuggestedWindow,
    Uri? ExplanationUrl,
    DateTimeOffset? RetryAfter);
