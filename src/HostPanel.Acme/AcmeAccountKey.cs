using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace HostPanel.Acme;

/// <summary>
/// The key pair of an ACME account: ECDSA on P-256, signing with ES256. It leaves the process only as
/// PKCS#8 bytes through <see cref="ExportPkcs8"/>; storing them (encrypted) is the caller's business.
/// </summary>
public sealed class AcmeAccountKey : IDisposable
{
    /// <summary>The JWS algorithm of account keys.</summary>
    public const string Algorithm = "ES256";

    private const string P256Oid = "1.2.840.10045.3.1.7";

    private readonly ECDsa key;

    private AcmeAccountKey(ECDsa key)
    {
        this.key = key;
        var parameters = key.ExportParameters(includePrivateParameters: false);
        var x = Base64Url.EncodeToString(parameters.Q.X);
        var y = Base64Url.EncodeToString(parameters.Q.Y);
        // RFC 7638: the required members only, in lexicographic order, without whitespace.
        JwkJson = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{x}\",\"y\":\"{y}\"}}";
        Thumbprint = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(JwkJson)));
    }

    /// <summary>The public key as a JSON Web Key (RFC 7517), in the canonical form of RFC 7638.</summary>
    public string JwkJson { get; }

    /// <summary>The base64url SHA-256 JWK thumbprint of the public key (RFC 7638).</summary>
    public string Thumbprint { get; }

    /// <summary>Makes a new P-256 account key.</summary>
    /// <returns>The key.</returns>
    public static AcmeAccountKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Loads an account key exported by <see cref="ExportPkcs8"/>.</summary>
    /// <param name="pkcs8">An unencrypted PKCS#8 PrivateKeyInfo of a P-256 ECDSA key.</param>
    /// <returns>The key.</returns>
    /// <exception cref="CryptographicException">The bytes are not a PKCS#8 ECDSA P-256 private key.</exception>
    public static AcmeAccountKey ImportPkcs8(ReadOnlySpan<byte> pkcs8)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(pkcs8, out var read);
            if (read != pkcs8.Length)
            {
                throw new CryptographicException("The PKCS#8 data has trailing bytes.");
            }

            var curve = key.ExportParameters(includePrivateParameters: false).Curve;
            if (!curve.IsNamed || (curve.Oid.Value != P256Oid && curve.Oid.FriendlyName is not ("nistP256" or "ECDSA_P256")))
            {
                throw new CryptographicException("An ACME account key must be an ECDSA key on the P-256 curve.");
            }

            return new AcmeAccountKey(key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>The private key as unencrypted PKCS#8 bytes, for the caller to store (encrypted).</summary>
    /// <returns>The PKCS#8 PrivateKeyInfo.</returns>
    public byte[] ExportPkcs8() => key.ExportPkcs8PrivateKey();

    /// <summary>Whether a signature was made by this key over the data (ES256, IEEE P1363 format).</summary>
    /// <param name="data">The signed data.</param>
    /// <param name="signature">The 64-byte r||s signature.</param>
    /// <returns>True if the signature is valid.</returns>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <inheritdoc/>
    public void Dispose() => key.Dispose();

    /// <summary>The public key as a JSON object, for the "jwk" member of a JWS header.</summary>
    internal JsonNode Jwk() => JsonNode.Parse(JwkJson)!;

    /// <summary>An ES256 signature (IEEE P1363 r||s, as JWS wants it).</summary>
    internal byte[] Sign(ReadOnlySpan<byte> data) =>
        key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
}
