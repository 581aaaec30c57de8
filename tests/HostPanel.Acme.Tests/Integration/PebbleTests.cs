using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HostPanel.Acme.Tests.Integration;

/// <summary>
/// The client against the test world's real Pebble, which rejects 5 % of nonces, validates DNS-01 through
/// pebble-challtestsrv and HTTP-01 on port 80, where the world's Caddy listens.
/// </summary>
public sealed class PebbleTests : IDisposable
{
    private readonly HttpClient acmeHttp = TestWorld.TrustingOnly(TestWorld.AcmeTlsCa);
    private readonly HttpClient dnsManagement = TestWorld.PlainClient(TestWorld.DnsManagement);
    private readonly HttpClient caddyAdmin = TestWorld.UnixSocketClient(TestWorld.CaddyAdminSocket);
    private readonly AcmeAccountKey key = AcmeAccountKey.Generate();

    public void Dispose()
    {
        acmeHttp.Dispose();
        dnsManagement.Dispose();
        caddyAdmin.Dispose();
        key.Dispose();
    }

    private static CancellationTokenSource Timeout(int seconds = 30)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(seconds));
        return cts;
    }

    private AcmeClient Client(AcmeAccountKey? accountKey = null) => new(
        acmeHttp,
        TestWorld.AcmeDirectory,
        accountKey ?? key,
        new AcmeClientOptions { PollInterval = TimeSpan.FromMilliseconds(100), MaxPollDuration = TimeSpan.FromSeconds(20) });

    private async Task<AcmeClient> ClientWithAccountAsync(CancellationToken ct)
    {
        var client = Client();
        await client.CreateAccountAsync(["admin@example.org"], termsOfServiceAgreed: true, ct);
        return client;
    }

    /// <summary>The chain leads to Pebble's issuing root, the leaf names exactly these domains and goes with the private key.</summary>
    private static void AssertIssued(AcmeCertificate certificate, params string[] names)
    {
        var chain = AcmeCertificate.ParseChain(certificate.ChainPem);
        try
        {
            Assert.True(chain.Count >= 2, $"the chain has {chain.Count} certificate(s)");
            Assert.Equal(chain[0].Thumbprint, certificate.Certificate.Thumbprint);
            using var root = X509Certificate2.CreateFromPem(File.ReadAllText(TestWorld.IssuerRootFile));
            using var x509Chain = new X509Chain();
            x509Chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            x509Chain.ChainPolicy.CustomTrustStore.Add(root);
            x509Chain.ChainPolicy.ExtraStore.AddRange(chain.Skip(1).ToArray());
            x509Chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            var built = x509Chain.Build(certificate.Certificate);
            Assert.True(built, string.Join("; ", x509Chain.ChainStatus.Select(s => s.StatusInformation)));
            Assert.Equal(root.Thumbprint, x509Chain.ChainElements[^1].Certificate.Thumbprint);
        }
        finally
        {
            foreach (var c in chain)
            {
                c.Dispose();
            }
        }

        var san = certificate.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(names.Order(StringComparer.Ordinal), san.EnumerateDnsNames().Order(StringComparer.Ordinal));

        // Pairing the leaf with the key checks that the key's public half is the leaf's.
        using var withKey = X509Certificate2.CreateFromPem(certificate.Certificate.ExportCertificatePem(), certificate.PrivateKeyPem);
        Assert.True(withKey.HasPrivateKey);
        var data = "proof of possession"u8.ToArray();
        if (withKey.GetECDsaPrivateKey() is { } ecdsa)
        {
            using (ecdsa)
            using (var publicKey = certificate.Certificate.GetECDsaPublicKey()!)
            {
                Assert.True(publicKey.VerifyData(data, ecdsa.SignData(data, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256));
            }
        }
        else
        {
            using var rsa = withKey.GetRSAPrivateKey()!;
            using var publicKey = certificate.Certificate.GetRSAPublicKey()!;
            Assert.True(publicKey.VerifyData(data, rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
    }

    [Fact]
    public async Task AnAccountCreatedThenLookedUpByItsKeyHasTheSameKid()
    {
        using var timeout = Timeout();
        var created = await Client().CreateAccountAsync(["admin@example.org"], termsOfServiceAgreed: true, timeout.Token);

        using var reloaded = AcmeAccountKey.ImportPkcs8(key.ExportPkcs8());
        var lookup = Client(reloaded);
        var found = await lookup.FindAccountAsync(timeout.Token);

        Assert.NotNull(found);
        Assert.Equal(created.Location, found.Location);
        Assert.Equal(created.Location, lookup.AccountUrl);
        Assert.Equal(AcmeStatus.Valid, found.Status);
        Assert.Contains("mailto:admin@example.org", created.Contact);
        using var stranger = AcmeAccountKey.Generate();
        Assert.Null(await Client(stranger).FindAccountAsync(timeout.Token));
    }

    [Fact]
    public async Task DNS01IssuesACertificateWhoseChainLeadsToPebblesRoot()
    {
        using var timeout = Timeout();
        var client = await ClientWithAccountAsync(timeout.Token);
        var dns = new ChallTestSrvDnsProvider(dnsManagement);
        var name = TestWorld.UniqueDomain("dns");

        using var certificate = await client.IssueAsync([name], dns, null, timeout.Token);

        AssertIssued(certificate, name);
        Assert.IsAssignableFrom<ECDsa>(certificate.Certificate.GetECDsaPublicKey());
        Assert.Equal($"CN={name}", certificate.Certificate.Subject);
        Assert.Equal(["create", "delete"], dns.Log.Select(l => l.Split(' ')[0]));
        Assert.All(dns.Log, l => Assert.Contains($"_acme-challenge.{name} ", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DNS01IssuesAWildcardCertificateWithItsBaseNameAndAnRSAKey()
    {
        using var timeout = Timeout();
        var client = await ClientWithAccountAsync(timeout.Token);
        var dns = new ChallTestSrvDnsProvider(dnsManagement);
        var baseName = TestWorld.UniqueDomain("wild");

        using var certificate = await client.IssueAsync(
            [$"*.{baseName}", baseName], dns, new AcmeIssueOptions { KeyAlgorithm = CertificateKeyAlgorithm.Rsa2048 }, timeout.Token);

        AssertIssued(certificate, $"*.{baseName}", baseName);
        Assert.Equal(2048, certificate.Certificate.GetRSAPublicKey()?.KeySize);
        // Both answers live at the same record name, with two values.
        Assert.Equal(2, dns.Log.Count(l => l.StartsWith($"create _acme-challenge.{baseName} ", StringComparison.Ordinal)));
        Assert.Equal(2, dns.Log.Count(l => l.StartsWith("delete ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task HTTP01IssuesACertificateThroughRoutesAddedToCaddyAndRemovesThem()
    {
        using var timeout = Timeout();
        var client = await ClientWithAccountAsync(timeout.Token);
        var responder = new CaddyHttp01Responder(caddyAdmin);
        var names = new[] { TestWorld.UniqueDomain("http"), TestWorld.UniqueDomain("www") };

        using var certificate = await client.IssueAsync(names, responder, null, timeout.Token);

        AssertIssued(certificate, names);
        Assert.Equal(2, responder.Published.Count);
        Assert.Equal(responder.Published.Order(StringComparer.Ordinal), responder.Withdrawn.Order(StringComparer.Ordinal));
        Assert.Empty(responder.RouteIds);
        Assert.DoesNotContain(responder.Published.First(), await responder.RoutesJsonAsync(timeout.Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongKeyAuthorizationFailsValidationWithTheChallengeErrorInBoundedTime()
    {
        using var timeout = Timeout();
        var client = await ClientWithAccountAsync(timeout.Token);
        var responder = new CaddyHttp01Responder(caddyAdmin, keyAuthorization => keyAuthorization + "-wrong");
        var name = TestWorld.UniqueDomain("fail");
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<AcmeProblemException>(() => client.IssueAsync([name], responder, null, timeout.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Equal(AcmeErrorTypes.Unauthorized, e.Type);
        Assert.Contains("-wrong", e.Detail, StringComparison.Ordinal);
        Assert.Equal(name, e.Authorization?.Identifier.Value);
        Assert.Equal(AcmeStatus.Invalid, e.Authorization?.Status);
        Assert.Equal(AcmeChallengeTypes.Http01, e.Challenge?.Type);
        Assert.Equal(AcmeStatus.Invalid, e.Challenge?.Status);
        var token = Assert.Single(responder.Published);
        Assert.Equal([token], responder.Withdrawn);
        Assert.Empty(responder.RouteIds);
    }

    [Fact]
    public async Task PebbleRejectsSomeNoncesAndEveryRequestStillSucceeds()
    {
        using var timeout = Timeout(45);
        var created = await Client().CreateAccountAsync([], termsOfServiceAgreed: true, timeout.Token);
        var client = Client();
        const int lookups = 300;
        var found = new Uri?[lookups];

        // With 5 % of nonces rejected, 300 signed requests all getting through on the first try has a
        // probability of 0.95^300, about 2e-7.
        await Parallel.ForAsync(0, lookups, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = timeout.Token }, async (i, ct) =>
            found[i] = (await client.FindAccountAsync(ct))?.Location);

        Assert.All(found, location => Assert.Equal(created.Location, location));
        Assert.True(client.BadNonceRetries > 0, "no badNonce retry in 300 requests");
        Assert.True(client.BadNonceRetries < lookups, $"{client.BadNonceRetries} retries for {lookups} requests");
    }

    [Fact]
    public async Task PebbleOffersNoRenewalInformationSoTheFallbackApplies()
    {
        using var timeout = Timeout();
        var client = await ClientWithAccountAsync(timeout.Token);
        using var certificate = await client.IssueAsync([TestWorld.UniqueDomain("ari")], new ChallTestSrvDnsProvider(dnsManagement), null, timeout.Token);

        var directory = await client.GetDirectoryAsync(timeout.Token);
        var info = await client.GetRenewalInfoAsync(certificate.Certificate, timeout.Token);
        var renewAt = await client.GetRenewalTimeAsync(certificate.Certificate, timeout.Token);

        Assert.Null(directory.RenewalInfo);
        Assert.Null(info);
        var notBefore = new DateTimeOffset(certificate.Certificate.NotBefore);
        var notAfter = new DateTimeOffset(certificate.Certificate.NotAfter);
        var fraction = notAfter - notBefore < TimeSpan.FromDays(10) ? 0.5 : 2.0 / 3;
        Assert.Equal(notBefore + ((notAfter - notBefore) * fraction), renewAt, TimeSpan.FromSeconds(1));
        // The certificate still has an ARI identifier, should the CA offer ARI later.
        Assert.Matches("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$", AcmeRenewal.GetCertId(certificate.Certificate));
    }
}
