using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace HostPanel.Acme;

/// <summary>The challenge types this library answers.</summary>
public static class AcmeChallengeTypes
{
    /// <summary>HTTP-01: a file under /.well-known/acme-challenge/ on port 80 (RFC 8555 section 8.3).</summary>
    public const string Http01 = "http-01";

    /// <summary>DNS-01: a TXT record at _acme-challenge.&lt;domain&gt; (RFC 8555 section 8.4).</summary>
    public const string Dns01 = "dns-01";
}

/// <summary>The answers to HTTP-01 and DNS-01 challenges, computed from a token and the account key.</summary>
public static class AcmeChallenges
{
    /// <summary>The path prefix of HTTP-01 answers.</summary>
    public const string Http01PathPrefix = "/.well-known/acme-challenge/";

    /// <summary>The key authorization of a challenge: "token.thumbprint" (RFC 8555 section 8.1).</summary>
    /// <param name="token">The challenge token.</param>
    /// <param name="accountKeyThumbprint">The JWK thumbprint of the account key (<see cref="AcmeAccountKey.Thumbprint"/>).</param>
    /// <returns>The key authorization.</returns>
    public static string KeyAuthorization(string token, string accountKeyThumbprint)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentException.ThrowIfNullOrEmpty(accountKeyThumbprint);
        return $"{token}.{accountKeyThumbprint}";
    }

    /// <summary>The path an HTTP-01 answer is served at: /.well-known/acme-challenge/&lt;token&gt;.</summary>
    /// <param name="token">The challenge token.</param>
    /// <returns>The absolute path.</returns>
    public static string Http01Path(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        return Http01PathPrefix + token;
    }

    /// <summary>The value of a DNS-01 TXT record: the base64url SHA-256 digest of the key authorization.</summary>
    /// <param name="keyAuthorization">The key authorization.</param>
    /// <returns>The TXT record value.</returns>
    public static string Dns01TxtValue(string keyAuthorization)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyAuthorization);
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(keyAuthorization)));
    }

    /// <summary>
    /// The name of a DNS-01 TXT record: "_acme-challenge." followed by the domain; a wildcard "*.example.org"
    /// is validated at "_acme-challenge.example.org". No trailing dot.
    /// </summary>
    /// <param name="domain">The domain name, possibly a wildcard.</param>
    /// <returns>The record name.</returns>
    public static string Dns01RecordName(string domain)
    {
        ArgumentException.ThrowIfNullOrEmpty(domain);
        var name = domain.Trim().TrimEnd('.');
        if (name.StartsWith("*.", StringComparison.Ordinal))
        {
            name = name[2..];
        }

        return "_acme-challenge." + name.ToLowerInvariant();
    }
}
