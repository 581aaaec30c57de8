using System.Globalization;
using System.Net;

namespace HostPanel.Acme.Tests.Unit;

/// <summary>Finalizing polls the order until it is valid, waiting what Retry-After says, within bounds of attempts and time.</summary>
public class PollingTests
{
    private const string ReadyOrder = """{"status":"ready","identifiers":[{"type":"dns","value":"example.org"}],"authorizations":["https://acme.test/authz/1"],"finalize":"https://acme.test/order/1/finalize"}""";
    private const string ProcessingOrder = """{"status":"processing","identifiers":[{"type":"dns","value":"example.org"}],"authorizations":["https://acme.test/authz/1"],"finalize":"https://acme.test/order/1/finalize"}""";
    private const string ValidOrder = """{"status":"valid","identifiers":[{"type":"dns","value":"example.org"}],"authorizations":["https://acme.test/authz/1"],"finalize":"https://acme.test/order/1/finalize","certificate":"https://acme.test/cert/1"}""";

    private readonly StubAcmeServer server = new();
    private readonly AcmeAccountKey key = AcmeAccountKey.Generate();
    private readonly SteppingTimeProvider time = new();

    private static readonly AcmeOrder Ready = new(
        StubAcmeServer.Url("/order/1"), AcmeStatus.Ready, null, [AcmeIdentifier.Dns("example.org")],
        [StubAcmeServer.Url("/authz/1")], StubAcmeServer.Url("/order/1/finalize"), null, null, null);

    private AcmeClient Client(int maxAttempts = 10, int maxSeconds = 600) => new(
        server.Client(),
        StubAcmeServer.DirectoryUrl,
        key,
        new AcmeClientOptions
        {
            TimeProvider = time,
            PollInterval = TimeSpan.FromSeconds(2),
            MaxPollAttempts = maxAttempts,
            MaxPollDuration = TimeSpan.FromSeconds(maxSeconds),
        })
    { AccountUrl = StubAcmeServer.Url("/acct/1") };

    private static HttpResponseMessage WithRetryAfter(HttpResponseMessage response, string retryAfter)
    {
        response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        return response;
    }

    private static byte[] Csr()
    {
        using var certificateKey = AcmeCsr.CreateKey(CertificateKeyAlgorithm.EcdsaP256);
        return AcmeCsr.Create(["example.org"], certificateKey);
    }

    [Fact]
    public async Task RetryAfterIsHonouredInDeltaSecondsAndAsAnHTTPDate()
    {
        using var timeout = TestSupport.Timeout();
        var polls = 0;
        server.Handle = r => r.Url.AbsolutePath switch
        {
            "/order/1/finalize" => WithRetryAfter(StubAcmeServer.Json(HttpStatusCode.OK, ProcessingOrder), "5"),
            "/order/1" when ++polls == 1 => WithRetryAfter(
                StubAcmeServer.Json(HttpStatusCode.OK, ProcessingOrder),
                time.GetUtcNow().AddSeconds(7).ToString("r", CultureInfo.InvariantCulture)),
            "/order/1" => StubAcmeServer.Json(HttpStatusCode.OK, ValidOrder),
            _ => throw new InvalidOperationException(r.Url.ToString()),
        };

        var order = await Client().FinalizeAsync(Ready, Csr(), timeout.Token);

        Assert.Equal(AcmeStatus.Valid, order.Status);
        Assert.Equal(StubAcmeServer.Url("/cert/1"), order.Certificate);
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(7)], time.Delays);
        Assert.Equal(2, polls);
        var finalize = Assert.Single(server.Signed("/order/1/finalize"));
        Assert.True(TestSupport.ParseJson(finalize.Payload).TryGetProperty("csr", out _));
    }

    [Fact]
    public async Task WithoutRetryAfterTheWaitsDoubleUpToThePollInterval()
    {
        using var timeout = TestSupport.Timeout();
        var polls = 0;
        server.Handle = r => r.Url.AbsolutePath switch
        {
            "/order/1/finalize" => StubAcmeServer.Json(HttpStatusCode.OK, ProcessingOrder),
            "/order/1" => StubAcmeServer.Json(HttpStatusCode.OK, ++polls < 6 ? ProcessingOrder : ValidOrder),
            _ => throw new InvalidOperationException(r.Url.ToString()),
        };

        await Client().FinalizeAsync(Ready, Csr(), timeout.Token);

        Assert.Equal(
            [TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)],
            time.Delays);
    }

    [Fact]
    public async Task PollingStopsAfterTheBoundOfAttempts()
    {
        using var timeout = TestSupport.Timeout();
        server.Handle = r => WithRetryAfter(StubAcmeServer.Json(HttpStatusCode.OK, ProcessingOrder), "1");

        var e = await Assert.ThrowsAsync<AcmeException>(() => Client(maxAttempts: 4).FinalizeAsync(Ready, Csr(), timeout.Token));

        Assert.Contains("processing", e.Message, StringComparison.Ordinal);
        Assert.Equal(4, server.Signed("/order/1").Count);
        Assert.Equal(4, time.Delays.Count);
    }

    [Fact]
    public async Task PollingStopsAtTheTimeBound()
    {
        using var timeout = TestSupport.Timeout();
        server.Handle = r => WithRetryAfter(StubAcmeServer.Json(HttpStatusCode.OK, ProcessingOrder), "20");

        await Assert.ThrowsAsync<AcmeException>(() => Client(maxAttempts: 100, maxSeconds: 60).FinalizeAsync(Ready, Csr(), timeout.Token));

        // 20 + 20 + 20 seconds fit in the minute; a fourth wait would not.
        Assert.Equal([TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20)], time.Delays);
        Assert.Equal(3, server.Signed("/order/1").Count);
    }

    [Fact]
    public async Task ARetryAfterBeyondTheTimeBoundFailsAtOnceWithoutWaiting()
    {
        using var timeout = TestSupport.Timeout();
        server.Handle = r => WithRetryAfter(StubAcmeServer.Json(HttpStatusCode.OK, ProcessingOrder), "3600");

        var e = await Assert.ThrowsAsync<AcmeException>(() => Client(maxSeconds: 60).FinalizeAsync(Ready, Csr(), timeout.Token));

        Assert.Empty(time.Delays);
        Assert.Empty(server.Signed("/order/1"));
        Assert.Contains("polling limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOrderThatBecomesInvalidReportsItsError()
    {
        using var timeout = TestSupport.Timeout();
        server.Handle = r => r.Url.AbsolutePath switch
        {
            "/order/1/finalize" => StubAcmeServer.Json(HttpStatusCode.OK, ProcessingOrder),
            _ => StubAcmeServer.Json(HttpStatusCode.OK, """{"status":"invalid","identifiers":[],"authorizations":[],"finalize":"https://acme.test/order/1/finalize","error":{"type":"urn:ietf:params:acme:error:serverInternal","detail":"signing failed"}}"""),
        };

        var e = await Assert.ThrowsAsync<AcmeProblemException>(() => Client().FinalizeAsync(Ready, Csr(), timeout.Token));

        Assert.Equal(AcmeErrorTypes.ServerInternal, e.Type);
        Assert.Equal("signing failed", e.Detail);
    }
}
