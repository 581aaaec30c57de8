using System.Net;
using System.Net.WebSockets;
using HostPanel.Core.Edge;

namespace HostPanel.Integration.Tests.Edge;

/// <summary>
/// The edge over HTTPS with certificates from files: redirects, HSTS, the certificate served,
/// renewals, refused configurations, and no private key in Caddy's own files.
/// Each test runs its own Caddy on free ports, so these run in parallel with every other class.
/// </summary>
[Collection(nameof(EdgeTlsTests))]
public sealed class EdgeTlsTests() : EdgeTestBase("secure-app")
{
    private const string Domain = "secure.example.test";

    [Fact]
    public async Task WithACertificateHttpIsRedirectedAndHttpsServesTheAppWithHstsAndThatCertificate()
    {
        var (certificate, serial) = EdgeTestKit.WriteCertificate(Caddy.Certificates, "secure", Domain);
        await Caddy.Proxy.LoadAsync(new EdgeConfiguration { Sites = [EdgeTestKit.Site(Domain, App.Address, certificate)] }, Ct);

        using var redirect = await Client.GetAsync($"{Caddy.HttpBase(Domain)}/some/page?q=1&r=%2F", Ct);
        Assert.Equal(HttpStatusCode.PermanentRedirect, redirect.StatusCode);
        Assert.Equal($"https://{Domain}:{Caddy.Options.HttpsPort}/some/page?q=1&r=%2F", redirect.Headers.Location?.OriginalString);
        Assert.False(redirect.Headers.Contains("Strict-Transport-Security"));

        using var page = await Client.GetAsync($"{Caddy.HttpsBase(Domain)}/some/page", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal($"secure-app /some/page host={Domain}:{Caddy.Options.HttpsPort} proto=https", await page.Content.ReadAsStringAsync(Ct));
        Assert.Equal(["max-age=31536000"], page.Headers.GetValues("Strict-Transport-Security"));

        using var served = await Caddy.Proxy.GetServedCertificateAsync(Domain, Ct);
        Assert.NotNull(served);
        Assert.Equal(serial, served.SerialNumber);
        Assert.Null(await Caddy.Proxy.GetServedCertificateAsync("unknown.example.test", Ct));
    }

    [Fact]
    public async Task ARenewedCertificateIsServedAfterTheNextLoadEvenInTheSameFiles()
    {
        var (certificate, first) = EdgeTestKit.WriteCertificate(Caddy.Certificates, "secure", Domain);
        var configuration = new EdgeConfiguration { Sites = [EdgeTestKit.Site(Domain, App.Address, certificate)] };
        await Caddy.Proxy.LoadAsync(configuration, Ct);
        Assert.Equal(first, await ServedSerialAsync());

        // Renewed in place: the configuration text does not change.
        var (same, second) = EdgeTestKit.WriteCertificate(Caddy.Certificates, "secure", Domain);
        Assert.Equal(certificate, same);
        Assert.NotEqual(first, second);
        await Caddy.Proxy.LoadAsync(configuration, Ct);
        Assert.Equal(second, await ServedSerialAsync());

        // Renewed into new files.
        var (renamed, third) = EdgeTestKit.WriteCertificate(Caddy.Certificates, "secure-3", Domain);
        await Caddy.Proxy.LoadAsync(new EdgeConfiguration { Sites = [EdgeTestKit.Site(Domain, App.Address, renamed)] }, Ct);
        Assert.Equal(third, await ServedSerialAsync());
        using var page = await Client.GetAsync($"{Caddy.HttpsBase(Domain)}/", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task ARefusedConfigurationRaisesCaddysErrorAndThePreviousOneKeepsServing()
    {
        var (certificate, serial) = EdgeTestKit.WriteCertificate(Caddy.Certificates, "secure", Domain);
        var loaded = await Caddy.Proxy.LoadAsync(new EdgeConfiguration { Sites = [EdgeTestKit.Site(Domain, App.Address, certificate)] }, Ct);
        var missing = certificate with { ChainFile = Path.Combine(Caddy.Certificates, "missing.chain.pem") };

        var ex = await Assert.ThrowsAsync<EdgeProxyException>(() => Caddy.Proxy.LoadAsync(
            new EdgeConfiguration { Sites = [EdgeTestKit.Site(Domain, "127.0.0.1:1", missing), EdgeTestKit.Site("new.example.test", App.Address)] },
            Ct));

        Assert.Equal(400, ex.StatusCode);
        Assert.NotNull(ex.ProxyError);
        Assert.Contains($"open {missing.ChainFile}: no such file or directory", ex.ProxyError, StringComparison.Ordinal);
        Assert.Contains(ex.ProxyError, ex.Message, StringComparison.Ordinal);

        using var page = await Client.GetAsync($"{Caddy.HttpsBase(Domain)}/still", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal($"secure-app /still host={Domain}:{Caddy.Options.HttpsPort} proto=https", await page.Content.ReadAsStringAsync(Ct));
        Assert.Equal(serial, await ServedSerialAsync());
        using var newSite = await Client.GetAsync($"{Caddy.HttpBase("new.example.test")}/", Ct);
        Assert.Equal(HttpStatusCode.NotFound, newSite.StatusCode);
        Assert.Equal(loaded, await File.ReadAllTextAsync(Caddy.LastConfigurationFile, Ct));
        Assert.DoesNotContain("missing.chain.pem", await Caddy.Proxy.ReadRunningConfigurationAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyThatDoesNotMatchItsCertificateIsRefused()
    {
        var (certificate, _) = EdgeTestKit.WriteCertificate(Caddy.Certificates, "secure", Domain);
        var (other, _) = EdgeTestKit.WriteCertificate(Caddy.Certificates, "other", Domain);

        var ex = await Assert.ThrowsAsync<EdgeProxyException>(() => Caddy.Proxy.LoadAsync(
            new EdgeConfiguration { Sites = [EdgeTestKit.Site(Domain, App.Address, certificate with { KeyFile = other.KeyFile })] },
            Ct));

        Assert.Equal(400, ex.StatusCode);
        Assert.Contains("private key does not match public key", ex.ProxyError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoPrivateKeyEndsUpInCaddysOwnFiles()
    {
        var (first, _) = EdgeTestKit.WriteCertificate(Caddy.Certificates, "secure", Domain);
        var (second, _) = EdgeTestKit.WriteCertificate(Caddy.Certificates, "second", "second.example.test");
        await Caddy.Proxy.LoadAsync(
            new EdgeConfiguration { Sites = [EdgeTestKit.Site(Domain, App.Address, first), EdgeTestKit.Site("second.example.test", App.Address, second)] },
            Ct);
        using (var page = await Client.GetAsync($"{Caddy.HttpsBase(Domain)}/", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        var checkedFiles = new List<string>();
        foreach (var directory in Caddy.CaddyDirectories.Append(Path.GetDirectoryName(Caddy.LastConfigurationFile)!))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            {
                checkedFiles.Add(file);
                Assert.DoesNotContain("PRIVATE KEY", await File.ReadAllTextAsync(file, Ct), StringComparison.Ordinal);
            }
        }

        Assert.Contains(Caddy.LastConfigurationFile, checkedFiles);
        Assert.DoesNotContain(checkedFiles, f => f.EndsWith("autosave.json", StringComparison.Ordinal));
        Assert.Contains("PRIVATE KEY", await File.ReadAllTextAsync(first.KeyFile, Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWebSocketUpgradePassesThroughHttps()
    {
        var (certificate, _) = EdgeTestKit.WriteCertificate(Caddy.Certificates, "secure", Domain);
        await Caddy.Proxy.LoadAsync(new EdgeConfiguration { Sites = [EdgeTestKit.Site(Domain, App.Address, certificate)] }, Ct);

        using var invoker = new HttpMessageInvoker(EdgeTestKit.LoopbackHandler());
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"wss://{Domain}:{Caddy.Options.HttpsPort}/ws"), invoker, Ct);

        Assert.Equal("over tls", await EdgeHttpTests.EchoAsync(socket, "over tls", Ct));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", Ct);
    }

    private async Task<string?> ServedSerialAsync()
    {
        using var served = await Caddy.Proxy.GetServedCertificateAsync(Domain, Ct);
        return served?.SerialNumber;
    }
}

[CollectionDefinition(nameof(EdgeTlsTests))]
public sealed class EdgeTlsTestsCollection;
