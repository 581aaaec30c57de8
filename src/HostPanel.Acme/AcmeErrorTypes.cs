namespace HostPanel.Acme;

/// <summary>The problem types of RFC 8555 (section 6.7) and RFC 9773, as ACME servers report them.</summary>
public static class AcmeErrorTypes
{
    /// <summary>The common prefix of every ACME error type.</summary>
    public const string Prefix = "urn:ietf:params:acme:error:";

    /// <summary>The request specified an account that does not exist.</summary>
    public const string AccountDoesNotExist = Prefix + "accountDoesNotExist";

    /// <summary>The request specified a certificate to be revoked that has already been revoked.</summary>
    public const string AlreadyRevoked = Prefix + "alreadyRevoked";

    /// <summary>The CSR is unacceptable (for example, due to a short key).</summary>
    public const string BadCsr = Prefix + "badCSR";

    /// <summary>The client sent an unacceptable anti-replay nonce.</summary>
    public const string BadNonce = Prefix + "badNonce";

    /// <summary>The JWS was signed by a public key the server does not support.</summary>
    public const string BadPublicKey = Prefix + "badPublicKey";

    /// <summary>The revocation reason provided is not allowed by the server.</summary>
    public const string BadRevocationReason = Prefix + "badRevocationReason";

    /// <summary>The JWS was signed with an algorithm the server does not support.</summary>
    public const string BadSignatureAlgorithm = Prefix + "badSignatureAlgorithm";

    /// <summary>Certification Authority Authorization (CAA) records forbid the CA from issuing a certificate.</summary>
    public const string Caa = Prefix + "caa";

    /// <summary>Specific error conditions are indicated in the "subproblems" array.</summary>
    public const string Compound = Prefix + "compound";

    /// <summary>The server could not connect to the validation target.</summary>
    public const string Connection = Prefix + "connection";

    /// <summary>There was a problem with a DNS query during identifier validation.</summary>
    public const string Dns = Prefix + "dns";

    /// <summary>The request must include a value for the "externalAccountBinding" field.</summary>
    public const string ExternalAccountRequired = Prefix + "externalAccountRequired";

    /// <summary>Response received did not match the challenge's requirements.</summary>
    public const string IncorrectResponse = Prefix + "incorrectResponse";

    /// <summary>A contact URL for an account was invalid.</summary>
    public const string InvalidContact = Prefix + "invalidContact";

    /// <summary>The request message was malformed.</summary>
    public const string Malformed = Prefix + "malformed";

    /// <summary>The request attempted to finalize an order that is not ready to be finalized.</summary>
    public const string OrderNotReady = Prefix + "orderNotReady";

    /// <summary>The request exceeds a rate limit; the response usually carries a Retry-After header.</summary>
    public const string RateLimited = Prefix + "rateLimited";

    /// <summary>The server will not issue certificates for the identifier.</summary>
    public const string RejectedIdentifier = Prefix + "rejectedIdentifier";

    /// <summary>The server experienced an internal error.</summary>
    public const string ServerInternal = Prefix + "serverInternal";

    /// <summary>The server received a TLS error during validation.</summary>
    public const string Tls = Prefix + "tls";

    /// <summary>The client lacks sufficient authorization.</summary>
    public const string Unauthorized = Prefix + "unauthorized";

    /// <summary>A contact URL for an account used an unsupported protocol scheme.</summary>
    public const string UnsupportedContact = Prefix + "unsupportedContact";

    /// <summary>An identifier is of an unsupported type.</summary>
    public const string UnsupportedIdentifier = Prefix + "unsupportedIdentifier";

    /// <summary>Visit the "instance" URL and take the actions specified there.</summary>
    public const string UserActionRequired = Prefix + "userActionRequired";

    /// <summary>The certificate named in an order's "replaces" field cannot be replaced by that order (RFC 9773).</summary>
    public const string AlreadyReplaced = Prefix + "alreadyReplaced";
}
