using System.Net;
using System.Net.WebSockets;
using System.Text;
using HostPanel.Core.Edge;

namespace HostPanel.Integration.Tests.Edge;

/// <summary>
/// The edge over plain HTTP: proxying, challenges, body limits, streaming, timeouts, WebSockets.
/// Each test runs its own Caddy on free ports, so these run in parallel with every other class.
/// </summary>
[Collection(nameof(EdgeHttpTests))]
public sealed class EdgeHttpTests() : EdgeTestBase("app")
{
    private const string Domain = "app.example.test";

    [Fact]
    public async Task ASiteWithoutCertificateIsProxiedOverPlainHttp()
    {
        await Caddy.Proxy.LoadAsync(new EdgeConfiguration { Sites = [EdgeTestKit.Site(Domain, App.Address)] }, Ct);

        using var response = await Client.GetAsync($"{Caddy.HttpBase(Domain)}/hello?x=1", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"app /hello host={Domain}:{Caddy.Options.HttpPort} proto=http", await response.Content.ReadAsStringAsync(Ct));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));

        using var unknown = await Client.GetAsync($"{Caddy.HttpBase("other.example.test")}/hello", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("text/plain", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Null(await Caddy.Proxy.GetServedCertificateAsync(Domain, Ct));
    }

    [Fact]
    public async Task AChallengeIsAnsweredForAnyHostEvenOnASiteRedirectedToHttps()
    {
        var (certificate, _) = EdgeTestKit.WriteCertificate(Caddy.Certificates, "secure", "secure.example.test");
        await Caddy.Proxy.LoadAsync(
            new EdgeConfiguration
            {
                Sites = [EdgeTestKit.Site(Domain, App.Address), EdgeTestKit.Site("secure.example.test", App.Address, certificate)],
                Challenges = new Dictionary<string, string> { ["tok_EN-1"] = "tok_EN-1.thumb-print_x" },
            },
            Ct);

        foreach (var host in new[] { Domain, "secure.example.test", "unknown.example.test", "127.0.0.1" })
        {
            using var response = await Client.GetAsync($"{Caddy.HttpBase(host)}/.well-known/acme-challenge/tok_EN-1", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("tok_EN-1.thumb-print_x", await response.Content.ReadAsStringAsync(Ct));
        }

        using var otherToken = await Client.GetAsync($"{Caddy.HttpBase("secure.example.test")}/.well-known/acme-challenge/nope", Ct);
        Assert.Equal(HttpStatusCode.NotFound, otherToken.StatusCode);
        using var page = await Client.GetAsync($"{Caddy.HttpBase("secure.example.test")}/page", Ct);
        Assert.Equal(HttpStatusCode.PermanentRedirect, page.StatusCode);
    }

    [Fact]
    public async Task ABodyOverTheLimitGets413WithOrWithoutADeclaredLength()
    {
        var site = EdgeTestKit.Site(Domain, App.Address) with
        {
            Routes = [new EdgeRoute { PathPrefix = "/upload", Upstream = App.Address, MaxBodyBytes = 1000 }, new EdgeRoute { PathPrefix = "/", Upstream = App.Address }],
        };
        await Caddy.Proxy.LoadAsync(new EdgeConfiguration { Sites = [site] }, Ct);
        var url = $"{Caddy.HttpBase(Domain)}/upload";

        using (var small = await Client.PostAsync(url, new ByteArrayContent(new byte[1000]), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, small.StatusCode);
            Assert.Equal("received 1000 bytes", await small.Content.ReadAsStringAsync(Ct));
        }

        using (var declared = await Client.PostAsync(url, new ByteArrayContent(new byte[5000]), Ct))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        }

        using (var chunked = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StreamContent(new MemoryStream(new byte[50_000])) })
        {
            chunked.Headers.TransferEncodingChunked = true;
            using var response = await Client.SendAsync(chunked, Ct);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }

        using var elsewhere = await Client.PostAsync($"{Caddy.HttpBase(Domain)}/upload-other", new ByteArrayContent(new byte[5000]), Ct);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }

    [Fact]
    public async Task WithoutBufferingEveryWriteOfTheUpstreamReachesTheClientAtOnce()
    {
        await Caddy.Proxy.LoadAsync(
            new EdgeConfiguration
            {
                Sites =
                [
                    EdgeTestKit.Site(Domain, App.Address) with { Routes = [new EdgeRoute { PathPrefix = "/", Upstream = App.Address, Buffering = false }] },
                    EdgeTestKit.Site("buffered.example.test", App.Address),
                ],
            },
            Ct);

        using (var streamed = await Client.GetAsync($"{Caddy.HttpBase(Domain)}/stream?gate=streamed", HttpCompletionOption.ResponseHeadersRead, Ct))
        {
            using var reader = new StreamReader(await streamed.Content.ReadAsStreamAsync(Ct));
            Assert.Equal("first", await reader.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct));
            App.Open("streamed");
            Assert.Equal("second", await reader.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct));
        }

        // The same response through a buffered route: nothing arrives before the upstream is done.
        var buffered = Client.GetAsync($"{Caddy.HttpBase("buffered.example.test")}/stream?gate=buffered", HttpCompletionOption.ResponseHeadersRead, Ct);
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        Assert.False(buffered.IsCompleted);
        App.Open("buffered");
        using var late = await buffered.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal("first\nsecond\n", await late.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task AnUpstreamSlowerThanTheTimeoutGets504()
    {
        var site = EdgeTestKit.Site(Domain, App.Address) with
        {
            Routes = [new EdgeRoute { PathPrefix = "/", Upstream = App.Address, Timeout = TimeSpan.FromMilliseconds(800) }],
        };
        await Caddy.Proxy.LoadAsync(new EdgeConfiguration { Sites = [site] }, Ct);

        using var slow = await Client.GetAsync($"{Caddy.HttpBase(Domain)}/slow", Ct);
        using var fast = await Client.GetAsync($"{Caddy.HttpBase(Domain)}/fast", Ct);

        Assert.Equal(HttpStatusCode.GatewayTimeout, slow.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fast.StatusCode);
    }

    [Fact]
    public async Task AWebSocketUpgradePassesThrough()
    {
        var site = EdgeTestKit.Site(Domain, App.Address) with
        {
            Routes = [new EdgeRoute { PathPrefix = "/ws", Upstream = App.Address, WebSocket = true, Timeout = TimeSpan.FromSeconds(1) }],
        };
        await Caddy.Proxy.LoadAsync(new EdgeConfiguration { Sites = [site] }, Ct);

        using var invoker = new HttpMessageInvoker(EdgeTestKit.LoopbackHandler());
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{Domain}:{Caddy.Options.HttpPort}/ws"), invoker, Ct);

        // Idle for longer than the route's timeout: the connection must stay up.
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
        Assert.Equal("ping over the edge", await EchoAsync(socket, "ping over the edge", Ct));
        Assert.Equal("again", await EchoAsync(socket, "again", Ct));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", Ct);
    }

    internal static async Task<string> EchoAsync(ClientWebSocket socket, string text, CancellationToken ct)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, ct);
        var buffer = new byte[4096];
        var result = await socket.ReceiveAsync(buffer.AsMemory(), ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.True(result.EndOfMessage);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }
}

[CollectionDefinition(nameof(EdgeHttpTests))]
public sealed class EdgeHttpTestsCollection;
