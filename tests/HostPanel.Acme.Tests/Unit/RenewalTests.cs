using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HostPanel.Acme.Tests.Unit;

/// <summary>Renewal timing: the ARI certificate identifier, the pick in the suggested window and the fallback.</summary>
public class RenewalTests
{
    // The example of RFC 9773 section 4.1.
    private static readonly byte[] RfcKeyIdentifier = Convert.FromHexString("69885B6B87464041E1B37B847BA0AE2CDE01C8D4");
    private static readonly byte[] RfcSerial = [0x87, 0x65, 0x43, 0x21];
    private const string RfcCertId = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE";

    private static X509Certificate2 Certificate(byte[] authorityKeyId, byte[] serial, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=leaf.example.org", leafKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(authorityKeyId));
        return request.Create(
            new X500DistinguishedName("CN=Test issuer"),
            X509SignatureGenerator.CreateForECDsa(issuerKey),
            notBefore,
            notAfter,
            serial);
    }

    private static X509Certificate2 RfcCertificate() =>
        Certificate(RfcKeyIdentifier, RfcSerial, new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 3, 2, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TheARICertificateIdentifierJoinsTheAuthorityKeyIdentifierAndTheBigEndianSerial()
    {
        using var certificate = RfcCertificate();

        // The serial's high bit is set, so its DER integer has a leading zero byte: "AIdlQyE" is 00 87 65 43 21.
        Assert.Equal("0087654321", certificate.SerialNumber);
        Assert.Equal(RfcCertId, AcmeRenewal.GetCertId(certificate));
    }

    [Fact]
    public void ACertificateWithoutAnAuthorityKeyIdentifierHasNoARIIdentifier()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var selfSigned = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));

        Assert.Throws<ArgumentException>(() => AcmeRenewal.GetCertId(selfSigned));
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.25, 6)]
    [InlineData(0.5, 12)]
    [InlineData(0.999999, 23.999976)]
    public void TheRenewalTimeIsPickedUniformlyInTheSuggestedWindow(double sample, double hoursIn)
    {
        var start = new DateTimeOffset(2030, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var window = new RenewalWindow(start, start.AddHours(24));

        var picked = AcmeRenewal.PickRenewalTime(window, new FixedRandom(sample));

        Assert.Equal(start.AddHours(hoursIn), picked, TimeSpan.FromMilliseconds(1));
        Assert.InRange(picked, window.Start, window.End);
    }

    [Fact]
    public void DifferentRandomDrawsSpreadOverTheWindow()
    {
        var start = new DateTimeOffset(2030, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var window = new RenewalWindow(start, start.AddDays(2));
        var random = new Random(1234);

        var picks = Enumerable.Range(0, 400).Select(_ => AcmeRenewal.PickRenewalTime(window, random)).ToList();

        Assert.All(picks, p => Assert.InRange(p, window.Start, window.End));
        Assert.Contains(picks, p => p < start.AddDays(0.5));
        Assert.Contains(picks, p => p > start.AddDays(1.5));
    }

    [Fact]
    public void WithoutRenewalInformationACertificateIsRenewedTwoThirdsIntoItsLifetime()
    {
        var notBefore = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(notBefore.AddDays(60), AcmeRenewal.FallbackRenewalTime(notBefore, notBefore.AddDays(90)));
        // Exactly ten days is not "under ten days".
        Assert.Equal(notBefore.AddDays(20.0 / 3), AcmeRenewal.FallbackRenewalTime(notBefore, notBefore.AddDays(10)), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void ACertificateLivingUnderTenDaysIsRenewedHalfwayThrough()
    {
        var notBefore = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(notBefore.AddDays(3), AcmeRenewal.FallbackRenewalTime(notBefore, notBefore.AddDays(6)));
        Assert.Equal(notBefore.AddHours(80), AcmeRenewal.FallbackRenewalTime(notBefore, notBefore.AddHours(160)));
    }

    [Fact]
    public void TheFallbackOfACertificateUsesItsValidity()
    {
        using var certificate = RfcCertificate();

        // 2030-01-01 to 2030-03-02 is 60 days: renew after 40.
        Assert.Equal(new DateTimeOffset(2030, 2, 10, 0, 0, 0, TimeSpan.Zero), AcmeRenewal.FallbackRenewalTime(certificate));
        Assert.Equal(AcmeRenewal.FallbackRenewalTime(certificate), AcmeRenewal.ChooseRenewalTime(certificate, null, new FixedRandom(0.5)));
    }

    [Fact]
    public async Task TheClientAsksTheCAForRenewalInformationWithoutSigningAndPicksInItsWindow()
    {
        using var timeout = TestSupport.Timeout();
        using var certificate = RfcCertificate();
        var time = new SteppingTimeProvider();
        var server = new StubAcmeServer { WithRenewalInfo = true };
        server.Handle = r =>
        {
            var response = StubAcmeServer.Json(HttpStatusCode.OK, """
                {"suggestedWindow":{"start":"2030-02-01T00:00:00Z","end":"2030-02-03T00:00:00.123456789Z"},
                 "explanationURL":"https://acme.test/incident/42"}
                """);
            response.Headers.Add("Retry-After", "21600");
            return response;
        };
        using var key = AcmeAccountKey.Generate();
        var client = new AcmeClient(server.Client(), StubAcmeServer.DirectoryUrl, key, new AcmeClientOptions { TimeProvider = time, Random = new FixedRandom(0.5) });

        var info = await client.GetRenewalInfoAsync(certificate, timeout.Token);
        var renewAt = await client.GetRenewalTimeAsync(certificate, timeout.Token);

        Assert.NotNull(info);
        Assert.Equal(RfcCertId, info.CertId);
        Assert.Equal(new DateTimeOffset(2030, 2, 1, 0, 0, 0, TimeSpan.Zero), info.SuggestedWindow.Start);
        Assert.Equal(new DateTimeOffset(2030, 2, 3, 0, 0, 0, TimeSpan.Zero).AddTicks(1234567), info.SuggestedWindow.End);
        Assert.Equal(new Uri("https://acme.test/incident/42"), info.ExplanationUrl);
        Assert.Equal(time.GetUtcNow().AddHours(6), info.RetryAfter);
        // Halfway through a window of two days and 0.1234567 s (the nanoseconds beyond 100 ns are cut).
        Assert.Equal(new DateTimeOffset(2030, 2, 2, 0, 0, 0, TimeSpan.Zero).AddTicks(617283), renewAt, TimeSpan.FromTicks(1));
        var asked = server.Requests.Where(r => r.Url.AbsolutePath.StartsWith("/renewal-info/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, asked.Count);
        Assert.All(asked, r =>
        {
            Assert.Equal(HttpMethod.Get, r.Method);
            Assert.Equal("/renewal-info/" + RfcCertId, r.Url.AbsolutePath);
            Assert.Empty(r.Body);
        });
    }

    [Fact]
    public async Task WithoutRenewalInfoInTheDirectoryTheClientReportsNoneAndFallsBack()
    {
        using var timeout = TestSupport.Timeout();
        using var certificate = RfcCertificate();
        var server = new StubAcmeServer();
        using var key = AcmeAccountKey.Generate();
        var client = new AcmeClient(server.Client(), StubAcmeServer.DirectoryUrl, key);

        Assert.Null((await client.GetDirectoryAsync(timeout.Token)).RenewalInfo);
        Assert.Null(await client.GetRenewalInfoAsync(certificate, timeout.Token));
        Assert.Equal(AcmeRenewal.FallbackRenewalTime(certificate), await client.GetRenewalTimeAsync(certificate, timeout.Token));
        Assert.All(server.Requests, r => Assert.Equal(StubAcmeServer.DirectoryUrl, r.Url));
    }
}
