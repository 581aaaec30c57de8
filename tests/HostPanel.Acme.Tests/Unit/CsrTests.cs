using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HostPanel.Acme.Tests.Unit;

/// <summary>The certificate signing requests sent to finalize orders.</summary>
public class CsrTests
{
    private static CertificateRequest Load(byte[] der) =>
        CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);

    private static List<string> SanNames(CertificateRequest request) =>
        [.. new X509SubjectAlternativeNameExtension(request.CertificateExtensions.Single(e => e.Oid?.Value == "2.5.29.17").RawData).EnumerateDnsNames()];

    [Fact]
    public void TheCSRNamesEveryDomainInItsSANAndTheFirstAsCommonName()
    {
        using var key = AcmeCsr.CreateKey(CertificateKeyAlgorithm.EcdsaP256);

        var request = Load(AcmeCsr.Create(["www.example.org", "example.org", "*.apps.example.org", "Other.Example.NET."], key));

        Assert.Equal(["www.example.org", "example.org", "*.apps.example.org", "other.example.net"], SanNames(request));
        Assert.Equal("CN=www.example.org", request.SubjectName.Name);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), request.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void ANameListedTwiceAppearsOnce()
    {
        using var key = AcmeCsr.CreateKey(CertificateKeyAlgorithm.EcdsaP256);

        var request = Load(AcmeCsr.Create(["example.org", "EXAMPLE.org", "www.example.org"], key));

        Assert.Equal(["example.org", "www.example.org"], SanNames(request));
    }

    [Fact]
    public void AFirstNameTooLongForACommonNameLeavesTheSubjectEmpty()
    {
        using var key = AcmeCsr.CreateKey(CertificateKeyAlgorithm.EcdsaP256);
        var longName = new string('a', 60) + ".example.org";

        var request = Load(AcmeCsr.Create([longName, "example.org"], key));

        Assert.Equal(string.Empty, request.SubjectName.Name);
        Assert.Equal([longName, "example.org"], SanNames(request));
    }

    [Fact]
    public void AnRSA2048KeyCanBeUsed()
    {
        using var key = AcmeCsr.CreateKey(CertificateKeyAlgorithm.Rsa2048);

        var request = Load(AcmeCsr.Create(["example.org"], key));

        Assert.IsAssignableFrom<RSA>(key);
        Assert.Equal(2048, key.KeySize);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), request.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(["example.org"], SanNames(request));
    }

    [Fact]
    public void AnEmptyListOfNamesIsRefused()
    {
        using var key = AcmeCsr.CreateKey(CertificateKeyAlgorithm.EcdsaP256);

        Assert.Throws<ArgumentException>(() => AcmeCsr.Create([], key));
        Assert.Throws<ArgumentException>(() => AcmeCsr.Create([" "], key));
    }
}
