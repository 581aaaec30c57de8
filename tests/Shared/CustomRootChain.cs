using System.Security.Cryptography.X509Certificates;

namespace HostPanel.Tests;

/// <summary>Checks a server's certificate as a browser would, but trusting one given root only (the test world's CA).</summary>
internal static class CustomRootChain
{
    /// <summary>
    /// The chain from <paramref name="certificate"/> to <paramref name="root"/>, built with the
    /// intermediates the server sent in <paramref name="presented"/>; null when it does not lead
    /// there. The caller disposes it.
    /// </summary>
    public static X509Chain? Build(X509Certificate2 root, X509Certificate certificate, X509Chain? presented)
    {
        var build = new X509Chain();
        build.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        build.ChainPolicy.CustomTrustStore.Add(root);
        build.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                build.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (build.Build(leaf))
        {
            return build;
        }

        build.Dispose();
        return null;
    }
}
