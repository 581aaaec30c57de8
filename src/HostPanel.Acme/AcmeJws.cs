using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;

namespace HostPanel.Acme;

/// <summary>Flattened JWS JSON serialization of ACME requests (RFC 8555 section 6.2, RFC 7515 section 7.2.2).</summary>
internal static class AcmeJws
{
    /// <summary>
    /// Signs a request body. With <paramref name="keyId"/> null, the header carries the public key ("jwk",
    /// for newAccount); otherwise the account URL ("kid"). A null <paramref name="payloadJson"/> makes a
    /// POST-as-GET (empty payload).
    /// </summary>
    public static string Sign(AcmeAccountKey key, Uri url, string nonce, Uri? keyId, string? payloadJson)
    {
        var header = new JsonObject { ["alg"] = AcmeAccountKey.Algorithm };
        if (keyId is null)
        {
            header["jwk"] = key.Jwk();
        }
        else
        {
            header["kid"] = keyId.AbsoluteUri;
        }

        header["nonce"] = nonce;
        header["url"] = url.AbsoluteUri;

        var protectedPart = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString()));
        var payloadPart = payloadJson is null ? string.Empty : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payloadJson));
        var signature = key.Sign(Encoding.ASCII.GetBytes($"{protectedPart}.{payloadPart}"));
        return new JsonObject
        {
            ["protected"] = protectedPart,
            ["payload"] = payloadPart,
            ["signature"] = Base64Url.EncodeToString(signature),
        }.ToJsonString();
    }
}
