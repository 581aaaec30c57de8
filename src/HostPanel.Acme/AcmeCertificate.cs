using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HostPanel.Acme;

/// <summary>An issued certificate with its chain and private key.</summary>
public sealed class AcmeCertificate : IDisposable
{
    private AcmeCertificate(string chainPem, string privateKeyPem, X509Certificate2 certificate, Uri orderUrl, Uri certificateUrl)
    {
        ChainPem = chainPem;
        PrivateKeyPem = privateKeyPem;
        Certificate = certificate;
        OrderUrl = orderUrl;
        CertificateUrl = certificateUrl;
    }

    /// <summary>The leaf certificate followed by the intermediates, as PEM (as the CA sent it).</summary>
    public string ChainPem { get; }

    /// <summary>The certificate's private key as an unencrypted PKCS#8 PEM ("PRIVATE KEY").</summary>
    public string PrivateKeyPem { get; }

    /// <summary>The leaf certificate (public part only).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The URL of the order that issued it.</summary>
    public Uri OrderUrl { get; }

    /// <summary>The URL the certificate was downloaded from.</summary>
    public Uri CertificateUrl { get; }

    /// <inheritdoc/>
    public void Dispose() => Certificate.Dispose();

    /// <summary>The certificates of a PEM chain, in order.</summary>
    /// <param name="pem">PEM text with one or more CERTIFICATE blocks.</param>
    /// <returns>The certificates; the caller disposes them.</returns>
    public static IReadOnlyList<X509Certificate2> ParseChain(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var certificates = new List<X509Certificate2>();
        var rest = pem.AsMemory();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            if (rest.Span[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                var der = Convert.FromBase64String(rest.Span[fields.Base64Data].ToString());
                certificates.Add(X509CertificateLoader.LoadCertificate(der));
            }

            rest = rest[fields.Location.End..];
        }

        return certificates;
    }

    /// <summary>Builds the result from the downloaded chain, checking the leaf carries the key's public half.</summary>
    internal static AcmeCertificate Create(string chainPem, AsymmetricAlgorithm key, Uri orderUrl, Uri certificateUrl)
    {
        var chain = ParseChain(chainPem);
        if (chain.Count == 0)
        {
            throw new AcmeException($"The certificate downloaded from {certificateUrl} contains no PEM certificate.");
        }

        foreach (var other in chain.Skip(1))
        {
            other.Dispose();
        }

        var leaf = chain[0];
        if (!leaf.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
        {
            leaf.Dispose();
            throw new AcmeException($"The certificate downloaded from {certificateUrl} is not for the key of the request.");
        }

        return new AcmeCertificate(chainPem, key.ExportPkcs8PrivateKeyPem(), leaf, orderUrl, certificateUrl);
    }
}
