using System.Net;

namespace HostPanel.Acme.Tests.Unit;

/// <summary>Problem documents (RFC 7807) become <see cref="AcmeProblemException"/>s.</summary>
public class ProblemTests
{
    private readonly StubAcmeServer server = new();
    private readonly AcmeAccountKey key = AcmeAccountKey.Generate();
    private readonly SteppingTimeProvider time = new();

    private async Task<AcmeClient> ClientWithAccountAsync(CancellationToken ct)
    {
        var client = new AcmeClient(server.Client(), StubAcmeServer.DirectoryUrl, key, new AcmeClientOptions { TimeProvider = time });
        var handle = server.Handle;
        server.Handle = _ => StubAcmeServer.Account();
        await client.CreateAccountAsync([], true, ct);
        server.Handle = handle;
        return client;
    }

    [Fact]
    public async Task ACompoundProblemKeepsItsTypeDetailStatusAndSubproblemsWithTheirIdentifiers()
    {
        using var timeout = TestSupport.Timeout();
        var client = await ClientWithAccountAsync(timeout.Token);
        server.Handle = _ => StubAcmeServer.Json(HttpStatusCode.Forbidden, """
            {"type":"urn:ietf:params:acme:error:compound","detail":"Cannot issue for 2 identifiers","status":403,
             "subproblems":[
               {"type":"urn:ietf:params:acme:error:rejectedIdentifier","detail":"forbidden name","identifier":{"type":"dns","value":"bad.example"}},
               {"type":"urn:ietf:params:acme:error:caa","detail":"CAA forbids","identifier":{"type":"dns","value":"caa.example.org"}}]}
            """, "application/problem+json");

        var e = await Assert.ThrowsAsync<AcmeProblemException>(() => client.NewOrderAsync(["bad.example", "caa.example.org"], null, timeout.Token));

        Assert.Equal(AcmeErrorTypes.Compound, e.Type);
        Assert.Equal("Cannot issue for 2 identifiers", e.Detail);
        Assert.Equal(403, e.Status);
        Assert.Equal([AcmeErrorTypes.RejectedIdentifier, AcmeErrorTypes.Caa], e.Subproblems.Select(s => s.Type));
        Assert.Equal(["bad.example", "caa.example.org"], e.Subproblems.Select(s => s.Identifier!.Value));
        Assert.Equal("forbidden name", e.Subproblems[0].Detail);
        Assert.Contains("bad.example", e.Message, StringComparison.Ordinal);
        Assert.False(e.IsRateLimited);
    }

    [Fact]
    public async Task AProblemWithoutAStatusMemberTakesTheHTTPStatus()
    {
        using var timeout = TestSupport.Timeout();
        var client = await ClientWithAccountAsync(timeout.Token);
        server.Handle = _ => StubAcmeServer.Json(HttpStatusCode.Unauthorized, """{"type":"urn:ietf:params:acme:error:unauthorized","detail":"no"}""", "application/problem+json");

        var e = await Assert.ThrowsAsync<AcmeProblemException>(() => client.NewOrderAsync(["example.org"], null, timeout.Token));

        Assert.Equal(AcmeErrorTypes.Unauthorized, e.Type);
        Assert.Equal(401, e.Status);
        Assert.Empty(e.Subproblems);
    }

    [Fact]
    public async Task ARateLimitExposesItsRetryAfter()
    {
        using var timeout = TestSupport.Timeout();
        var client = await ClientWithAccountAsync(timeout.Token);
        server.Handle = _ =>
        {
            var response = StubAcmeServer.Problem((HttpStatusCode)429, AcmeErrorTypes.RateLimited, "too many certificates already issued");
            response.Headers.Add("Retry-After", "3600");
            return response;
        };

        var e = await Assert.ThrowsAsync<AcmeProblemException>(() => client.NewOrderAsync(["example.org"], null, timeout.Token));

        Assert.True(e.IsRateLimited);
        Assert.Equal(429, e.Status);
        Assert.Equal(time.GetUtcNow().AddHours(1), e.RetryAfter);
    }

    [Fact]
    public async Task AnErrorThatIsNotAProblemDocumentIsAnAcmeExceptionWithTheStatus()
    {
        using var timeout = TestSupport.Timeout();
        var client = await ClientWithAccountAsync(timeout.Token);
        server.Handle = _ => StubAcmeServer.Json(HttpStatusCode.BadGateway, "<html>bad gateway</html>", "text/html");

        var e = await Assert.ThrowsAsync<AcmeException>(() => client.NewOrderAsync(["example.org"], null, timeout.Token));

        Assert.IsNotType<AcmeProblemException>(e);
        Assert.Contains("502", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedValidationReportsTheErrorOfTheChallenge()
    {
        using var timeout = TestSupport.Timeout();
        var client = await ClientWithAccountAsync(timeout.Token);
        server.Handle = _ => StubAcmeServer.Json(HttpStatusCode.OK, """
            {"status":"invalid","identifier":{"type":"dns","value":"example.org"},
             "challenges":[
               {"type":"dns-01","url":"https://acme.test/chall/2","status":"pending","token":"t2"},
               {"type":"http-01","url":"https://acme.test/chall/1","status":"invalid","token":"t1",
                "error":{"type":"urn:ietf:params:acme:error:incorrectResponse","detail":"The key authorization file did not match","status":403}}]}
            """);

        var e = await Assert.ThrowsAsync<AcmeProblemException>(() => client.WaitForAuthorizationAsync(StubAcmeServer.Url("/authz/1"), timeout.Token));

        Assert.Equal(AcmeErrorTypes.IncorrectResponse, e.Type);
        Assert.Equal("The key authorization file did not match", e.Detail);
        Assert.Equal(403, e.Status);
        Assert.Equal("example.org", e.Authorization?.Identifier.Value);
        Assert.Equal(AcmeChallengeTypes.Http01, e.Challenge?.Type);
        Assert.Contains("example.org", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LookingUpAnAccountThatDoesNotExistGivesNull()
    {
        using var timeout = TestSupport.Timeout();
        server.Handle = _ => StubAcmeServer.Problem(HttpStatusCode.BadRequest, AcmeErrorTypes.AccountDoesNotExist, "No account exists with the provided key");
        var client = new AcmeClient(server.Client(), StubAcmeServer.DirectoryUrl, key);

        Assert.Null(await client.FindAccountAsync(timeout.Token));
        Assert.Null(client.AccountUrl);
        var payload = TestSupport.ParseJson(Assert.Single(server.Signed("/new-account")).Payload);
        Assert.True(payload.GetProperty("onlyReturnExisting").GetBoolean());
    }
}
