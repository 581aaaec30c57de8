namespace HostPanel.Acme;

/// <summary>The status values of ACME objects (RFC 8555 section 7.1.6).</summary>
public static class AcmeStatus
{
    /// <summary>Waiting for the client (authorizations, challenges, orders).</summary>
    public const string Pending = "pending";

    /// <summary>An order whose authorizations are all valid, ready to be finalized.</summary>
    public const string Ready = "ready";

    /// <summary>A challenge being validated, or an order being issued.</summary>
    public const string Processing = "processing";

    /// <summary>Successfully completed (account, authorization, challenge, order).</summary>
    public const string Valid = "valid";

    /// <summary>Failed (authorization, challenge, order).</summary>
    public const string Invalid = "invalid";

    /// <summary>Deactivated by the client (account, authorization).</summary>
    public const string Deactivated = "deactivated";

    /// <summary>Expired before completion (authorization).</summary>
    public const string Expired = "expired";

    /// <summary>Revoked by the server (account, authorization).</summary>
    public const string Revoked = "revoked";
}
