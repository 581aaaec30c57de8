using System.Net;
using System.Text.Json.Nodes;
using HostPanel.Core.Edge;
using HostPanel.Infrastructure.Edge;

namespace HostPanel.Integration.Tests.Edge;

/// <summary>
/// Reloads and what survives them: requests in flight, the saved configuration Caddy restarts
/// from, reading the running configuration back.
/// Each test runs its own Caddy on free ports, so these run in parallel with every other class.
/// </summary>
[Collection(nameof(EdgeReloadTests))]
public sealed class EdgeReloadTests() : EdgeTestBase("app")
{
    private const string Domain = "app.example.test";

    [Fact]
    public async Task ARequestInFlightDuringAReloadCompletes()
    {
        var (certificate, _) = EdgeTestKit.WriteCertificate(Caddy.Certificates, "app", Domain);
        await Caddy.Proxy.LoadAsync(new EdgeConfiguration { Sites = [EdgeTestKit.Site(Domain, App.Address)] }, Ct);
        await using var other = await Upstream.StartAsync("other", Ct);

        var plain = Client.GetAsync($"{Caddy.HttpBase(Domain)}/slow", Ct);
        await App.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        // The site moves to HTTPS and another one appears while the request waits for its answer.
        await Caddy.Proxy.LoadAsync(
            new EdgeConfiguration { Sites = [EdgeTestKit.Site(Domain, App.Address, certificate), EdgeTestKit.Site("other.example.test", other.Address)] },
            Ct);

        using var answer = await plain.WaitAsync(Upstream.SlowDelay + TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("slow answer from app", await answer.Content.ReadAsStringAsync(Ct));
        using var redirected = await Client.GetAsync($"{Caddy.HttpBase(Domain)}/", Ct);
        Assert.Equal(HttpStatusCode.PermanentRedirect, redirected.StatusCode);
        Assert.Equal($"other / host=other.example.test:{Caddy.Options.HttpPort} proto=http", await Client.GetStringAsync($"{Caddy.HttpBase("other.example.test")}/", Ct));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task TheLastLoadedConfigurationIsSavedOwnerOnlyAndCaddyStartsFromIt()
    {
        var (certificate, serial) = EdgeTestKit.WriteCertificate(Caddy.Certificates, "app", Domain);
        var configuration = new EdgeConfiguration
        {
            Sites = [EdgeTestKit.Site(Domain, App.Address, certificate), EdgeTestKit.Site("plain.example.test", App.Address)],
        };
        var loaded = await Caddy.Proxy.LoadAsync(configuration, Ct);

        Assert.Equal(CaddyConfigRenderer.Render(configuration, Caddy.Options), loaded);
        Assert.Equal(loaded, await File.ReadAllTextAsync(Caddy.LastConfigurationFile, Ct));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Caddy.LastConfigurationFile));
        Assert.Equal(["caddy.json"], Directory.GetFiles(Path.GetDirectoryName(Caddy.LastConfigurationFile)!).Select(Path.GetFileName));

        // As after a reboot with HostPanel not (yet) running.
        await Caddy.RestartFromAsync(Caddy.LastConfigurationFile, Ct);

        Assert.Equal($"app / host=plain.example.test:{Caddy.Options.HttpPort} proto=http", await Client.GetStringAsync($"{Caddy.HttpBase("plain.example.test")}/", Ct));
        using var page = await Client.GetAsync($"{Caddy.HttpsBase(Domain)}/", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var served = await Caddy.Proxy.GetServedCertificateAsync(Domain, Ct);
        Assert.Equal(serial, served?.SerialNumber);
        await Caddy.Proxy.LoadAsync(EdgeConfiguration.Empty, Ct);
        using var gone = await Client.GetAsync($"{Caddy.HttpBase("plain.example.test")}/", Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task TheRunningConfigurationAndOneSiteCanBeReadBack()
    {
        var configuration = new EdgeConfiguration
        {
            Sites = [EdgeTestKit.Site(Domain, App.Address)],
            Challenges = new Dictionary<string, string> { ["tok"] = "tok.print" },
        };
        var loaded = await Caddy.Proxy.LoadAsync(configuration, Ct);

        var running = await Caddy.Proxy.ReadRunningConfigurationAsync(Ct);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(loaded), JsonNode.Parse(running)), running);

        var site = await Caddy.Proxy.ReadObjectAsync(CaddyConfigRenderer.SiteRouteId(Domain, https: false), Ct);
        Assert.NotNull(site);
        Assert.Equal(Domain, JsonNode.Parse(site)!["match"]![0]!["host"]![0]!.GetValue<string>());
        var challenge = await Caddy.Proxy.ReadObjectAsync(CaddyConfigRenderer.ChallengeRouteId("tok"), Ct);
        Assert.Contains("tok.print", challenge, StringComparison.Ordinal);
        Assert.Null(await Caddy.Proxy.ReadObjectAsync(CaddyConfigRenderer.SiteRouteId(Domain, https: true), Ct));

        var shown = CaddyConfigRedactor.Redact(running);
        Assert.Contains("tok.print", shown, StringComparison.Ordinal);
        Assert.DoesNotContain(CaddyConfigRedactor.Redacted, shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACaddyThatIsNotThereIsReportedNotHungOn()
    {
        var options = Caddy.Options with { AdminListen = "unix/" + Path.Combine(Caddy.Root, "nobody.sock"), HttpsPort = PrivateCaddy.FreePort() };
        using var proxy = new CaddyEdgeProxy(new CaddyEdgeProxyOptions { Caddy = options, LastConfigurationFile = Path.Combine(Caddy.Root, "nobody.json") });

        var load = await Assert.ThrowsAsync<EdgeProxyException>(() => proxy.LoadAsync(EdgeConfiguration.Empty, Ct));
        var read = await Assert.ThrowsAsync<EdgeProxyException>(() => proxy.ReadRunningConfigurationAsync(Ct));
        var handshake = await Assert.ThrowsAsync<EdgeProxyException>(() => proxy.GetServedCertificateAsync(Domain, Ct));

        Assert.Null(load.StatusCode);
        Assert.Contains("did not answer", load.Message, StringComparison.Ordinal);
        Assert.Contains("did not answer", read.Message, StringComparison.Ordinal);
        Assert.Contains("could not be reached", handshake.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Caddy.Root, "nobody.json")));
    }
}

[CollectionDefinition(nameof(EdgeReloadTests))]
public sealed class EdgeReloadTestsCollection;
