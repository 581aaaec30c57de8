using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HostPanel.Acme;

/// <summary>The kind of key made for a new certificate.</summary>
public enum CertificateKeyAlgorithm
{
    /// <summary>ECDSA on the P-256 curve (the default).</summary>
    EcdsaP256,

    /// <summary>RSA with a 2048-bit modulus.</summary>
    Rsa2048,
}

/// <summary>Certificate keys and certificate signing requests for finalizing orders.</summary>
public static class AcmeCsr
{
    /// <summary>The longest common name a certificate may carry (RFC 5280 ub-common-name).</summary>
    public const int MaxCommonNameLength = 64;

    /// <summary>Makes a new certificate key.</summary>
    /// <param name="algorithm">The kind of key.</param>
    /// <returns>An <see cref="ECDsa"/> or <see cref="RSA"/> key; the caller disposes it.</returns>
    public static AsymmetricAlgorithm CreateKey(CertificateKeyAlgorithm algorithm) => algorithm switch
    {
        CertificateKeyAlgorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        CertificateKeyAlgorithm.Rsa2048 => RSA.Create(2048),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown certificate key algorithm."),
    };

    /// <summary>
    /// A DER certificate signing request for the names: every name in the subject alternative names, the
    /// first one as the common name (left out when longer than 64 characters), signed with SHA-256.
    /// </summary>
    /// <param name="dnsNames">The domain names; the first becomes the common name.</param>
    /// <param name="key">The certificate key, an <see cref="ECDsa"/> or <see cref="RSA"/> private key.</param>
    /// <returns>The DER-encoded PKCS#10 request.</returns>
    public static byte[] Create(IEnumerable<string> dnsNames, AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var names = AcmeNames.Normalize(dnsNames);

        var subject = new X500DistinguishedNameBuilder();
        if (names[0].Length <= MaxCommonNameLength)
        {
            subject.AddCommonName(names[0]);
        }

        var request = key switch
        {
            ECDsa ecdsa => new CertificateRequest(subject.Build(), ecdsa, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest(subject.Build(), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("The certificate key must be ECDSA or RSA.", nameof(key)),
        };

        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build(critical: false));
        return request.CreateSigningRequest();
    }
}
