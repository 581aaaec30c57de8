using System.Net;

namespace HostPanel.Acme.Tests.Unit;

/// <summary>Nonces: taken from every answer, fetched with HEAD newNonce when none is left, and badNonce retried a bounded number of times.</summary>
public class NonceTests
{
    private readonly StubAcmeServer server = new();
    private readonly AcmeAccountKey key = AcmeAccountKey.Generate();

    private AcmeClient Client(AcmeClientOptions? options = null) =>
        new(server.Client(), StubAcmeServer.DirectoryUrl, key, options);

    [Fact]
    public async Task TheFirstRequestFetchesANonceWithHEADAndLaterOnesUseTheNonceOfThePreviousAnswer()
    {
        using var timeout = TestSupport.Timeout();
        server.Handle = r => r.Url.AbsolutePath == "/new-account"
            ? StubAcmeServer.Account()
            : StubAcmeServer.Json(HttpStatusCode.OK, """{"status":"pending","identifiers":[],"authorizations":[],"finalize":"https://acme.test/order/1/finalize"}""");
        var client = Client();

        await client.CreateAccountAsync(["admin@example.org"], true, timeout.Token);
        await client.GetOrderAsync(StubAcmeServer.Url("/order/1"), timeout.Token);
        await client.GetOrderAsync(StubAcmeServer.Url("/order/1"), timeout.Token);

        var requests = server.Requests;
        Assert.Equal([HttpMethod.Get, HttpMethod.Head, HttpMethod.Post, HttpMethod.Post, HttpMethod.Post], requests.Select(r => r.Method));
        Assert.Equal("/new-nonce", requests[1].Url.AbsolutePath);
        // nonce-1 came with the HEAD, nonce-2 with the account, nonce-3 with the first order answer.
        Assert.Equal(["nonce-1", "nonce-2", "nonce-3"], requests.Where(r => r.IsSigned).Select(r => r.Nonce));
        Assert.Equal(0, client.BadNonceRetries);
    }

    [Fact]
    public async Task ABadNonceAnswerIsRetriedWithTheFreshNonceItCarried()
    {
        using var timeout = TestSupport.Timeout();
        var calls = 0;
        server.Handle = _ => ++calls == 1
            ? StubAcmeServer.Problem(HttpStatusCode.BadRequest, AcmeErrorTypes.BadNonce, "JWS has an invalid anti-replay nonce")
            : StubAcmeServer.Account();
        var client = Client();

        var account = await client.CreateAccountAsync([], true, timeout.Token);

        Assert.Equal(StubAcmeServer.Url("/acct/1"), account.Location);
        var posts = server.Signed("/new-account");
        Assert.Equal(2, posts.Count);
        Assert.Equal("nonce-1", posts[0].Nonce);
        Assert.Equal("nonce-2", posts[1].Nonce);
        Assert.Single(server.Requests, r => r.Method == HttpMethod.Head);
        Assert.Equal(1, client.BadNonceRetries);
    }

    [Fact]
    public async Task AfterFiveBadNonceAnswersTheClientGivesUpWithTheProblem()
    {
        using var timeout = TestSupport.Timeout();
        server.Handle = _ => StubAcmeServer.Problem(HttpStatusCode.BadRequest, AcmeErrorTypes.BadNonce, "JWS has an invalid anti-replay nonce");
        var client = Client();

        var e = await Assert.ThrowsAsync<AcmeProblemException>(() => client.CreateAccountAsync([], true, timeout.Token));

        Assert.Equal(AcmeErrorTypes.BadNonce, e.Type);
        Assert.Equal(5, server.Signed("/new-account").Count);
        Assert.Equal(4, client.BadNonceRetries);
    }

    [Fact]
    public async Task TheBoundOfBadNonceAttemptsIsConfigurable()
    {
        using var timeout = TestSupport.Timeout();
        server.Handle = _ => StubAcmeServer.Problem(HttpStatusCode.BadRequest, AcmeErrorTypes.BadNonce, "bad nonce");
        var client = Client(new AcmeClientOptions { MaxBadNonceAttempts = 2 });

        await Assert.ThrowsAsync<AcmeProblemException>(() => client.FindAccountAsync(timeout.Token));

        Assert.Equal(2, server.Signed("/new-account").Count);
    }

    [Fact]
    public async Task OtherProblemsAreNotRetried()
    {
        using var timeout = TestSupport.Timeout();
        server.Handle = _ => StubAcmeServer.Problem(HttpStatusCode.BadRequest, AcmeErrorTypes.Malformed, "no");
        var client = Client();

        var e = await Assert.ThrowsAsync<AcmeProblemException>(() => client.CreateAccountAsync([], true, timeout.Token));

        Assert.Equal(AcmeErrorTypes.Malformed, e.Type);
        Assert.Single(server.Signed("/new-account"));
        Assert.Equal(0, client.BadNonceRetries);
    }
}
