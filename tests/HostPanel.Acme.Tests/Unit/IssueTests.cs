using System.Net;

namespace HostPanel.Acme.Tests.Unit;

/// <summary>The one-call issuance against a scripted CA: answers are published, then withdrawn whatever happens.</summary>
public class IssueTests
{
    private readonly StubAcmeServer server = new();
    private readonly AcmeAccountKey key = AcmeAccountKey.Generate();

    private sealed class RecordingResponder : IHttp01Responder
    {
        public List<(string Token, string KeyAuthorization)> Published { get; } = [];

        public List<string> Withdrawn { get; } = [];

        public Task PublishAsync(string token, string keyAuthorization, CancellationToken cancellationToken)
        {
            Published.Add((token, keyAuthorization));
            return Task.CompletedTask;
        }

        public Task WithdrawAsync(string token, CancellationToken cancellationToken)
        {
            Withdrawn.Add(token);
            return Task.CompletedTask;
        }
    }

    private sealed class RecordingDns : IDnsProvider
    {
        public List<string> Log { get; } = [];

        public Task CreateTxtRecordAsync(string name, string value, CancellationToken cancellationToken)
        {
            Log.Add($"create {name} {value}");
            return Task.CompletedTask;
        }

        public Task DeleteTxtRecordAsync(string name, string value, CancellationToken cancellationToken)
        {
            Log.Add($"delete {name} {value}");
            return Task.CompletedTask;
        }

        public Task WaitForTxtRecordAsync(string name, string value, CancellationToken cancellationToken)
        {
            Log.Add($"wait {name} {value}");
            return Task.CompletedTask;
        }
    }

    private AcmeClient Client() => new(
        server.Client(),
        StubAcmeServer.DirectoryUrl,
        key,
        new AcmeClientOptions { PollInterval = TimeSpan.FromMilliseconds(10) })
    { AccountUrl = StubAcmeServer.Url("/acct/1") };

    /// <summary>A CA with one order of one authorization whose challenge fails once answered.</summary>
    private void ScriptFailingValidation()
    {
        var answered = false;
        server.Handle = r => r.Url.AbsolutePath switch
        {
            "/new-order" => StubAcmeServer.Json(
                HttpStatusCode.Created,
                """{"status":"pending","identifiers":[{"type":"dns","value":"example.org"}],"authorizations":["https://acme.test/authz/1"],"finalize":"https://acme.test/order/1/finalize"}""",
                location: "https://acme.test/order/1"),
            "/chall/http" => Answer(),
            "/authz/1" => StubAcmeServer.Json(HttpStatusCode.OK, answered
                ? """
                  {"status":"invalid","identifier":{"type":"dns","value":"example.org"},"challenges":[
                    {"type":"http-01","url":"https://acme.test/chall/http","status":"invalid","token":"tok-http",
                     "error":{"type":"urn:ietf:params:acme:error:connection","detail":"Connection refused"}}]}
                  """
                : """
                  {"status":"pending","identifier":{"type":"dns","value":"example.org"},"challenges":[
                    {"type":"dns-01","url":"https://acme.test/chall/dns","status":"pending","token":"tok-dns"},
                    {"type":"http-01","url":"https://acme.test/chall/http","status":"pending","token":"tok-http"}]}
                  """),
            _ => throw new InvalidOperationException(r.Url.ToString()),
        };

        HttpResponseMessage Answer()
        {
            answered = true;
            return StubAcmeServer.Json(HttpStatusCode.OK, """{"type":"http-01","url":"https://acme.test/chall/http","status":"processing","token":"tok-http"}""");
        }
    }

    [Fact]
    public async Task AFailedValidationWithdrawsThePublishedAnswerAndReportsTheChallengeError()
    {
        using var timeout = TestSupport.Timeout();
        ScriptFailingValidation();
        var responder = new RecordingResponder();

        var e = await Assert.ThrowsAsync<AcmeProblemException>(() => Client().IssueAsync(["example.org"], responder, null, timeout.Token));

        Assert.Equal(AcmeErrorTypes.Connection, e.Type);
        Assert.Equal("Connection refused", e.Detail);
        Assert.Equal("example.org", e.Authorization?.Identifier.Value);
        Assert.Equal([("tok-http", $"tok-http.{key.Thumbprint}")], responder.Published);
        Assert.Equal(["tok-http"], responder.Withdrawn);
        var newOrder = TestSupport.ParseJson(Assert.Single(server.Signed("/new-order")).Payload);
        Assert.Equal("example.org", newOrder.GetProperty("identifiers")[0].GetProperty("value").GetString());
        Assert.Equal("{}", Assert.Single(server.Signed("/chall/http")).Payload);
        Assert.Empty(server.Signed("/order/1/finalize"));
    }

    [Fact]
    public async Task DNS01CreatesTheRecordWaitsForItAndDeletesItAfterAFailure()
    {
        using var timeout = TestSupport.Timeout();
        ScriptFailingValidation();
        server.Handle = WithDnsChallenge(server.Handle);
        var dns = new RecordingDns();

        await Assert.ThrowsAsync<AcmeProblemException>(() => Client().IssueAsync(["example.org"], dns, null, timeout.Token));

        var value = TestSupport.Sha256Base64Url($"tok-dns.{key.Thumbprint}");
        Assert.Equal(
            [$"create _acme-challenge.example.org {value}", $"wait _acme-challenge.example.org {value}", $"delete _acme-challenge.example.org {value}"],
            dns.Log);
        Assert.Single(server.Signed("/chall/dns"));
    }

    [Fact]
    public async Task CleanupFailuresAreReportedWithoutHidingTheIssuanceError()
    {
        using var timeout = TestSupport.Timeout();
        ScriptFailingValidation();
        var cleanupErrors = new List<Exception>();
        var responder = new FailingWithdrawResponder();

        var e = await Assert.ThrowsAsync<AcmeProblemException>(() => Client().IssueAsync(
            ["example.org"], responder, new AcmeIssueOptions { CleanupFailed = cleanupErrors.Add }, timeout.Token));

        Assert.Equal(AcmeErrorTypes.Connection, e.Type);
        Assert.Equal("withdraw broke", Assert.Single(cleanupErrors).Message);
    }

    [Fact]
    public async Task WildcardsAreRefusedForHTTP01()
    {
        using var timeout = TestSupport.Timeout();

        await Assert.ThrowsAsync<ArgumentException>(() => Client().IssueAsync(["*.example.org"], new RecordingResponder(), null, timeout.Token));
        Assert.Empty(server.Requests);
    }

    /// <summary>Routes the DNS-01 challenge like the HTTP-01 one, failing it once answered.</summary>
    private static Func<RecordedRequest, HttpResponseMessage> WithDnsChallenge(Func<RecordedRequest, HttpResponseMessage> inner)
    {
        var answered = false;
        return r =>
        {
            switch (r.Url.AbsolutePath)
            {
                case "/chall/dns":
                    answered = true;
                    return StubAcmeServer.Json(HttpStatusCode.OK, """{"type":"dns-01","url":"https://acme.test/chall/dns","status":"processing","token":"tok-dns"}""");
                case "/authz/1" when answered:
                    return StubAcmeServer.Json(HttpStatusCode.OK, """
                        {"status":"invalid","identifier":{"type":"dns","value":"example.org"},"challenges":[
                          {"type":"dns-01","url":"https://acme.test/chall/dns","status":"invalid","token":"tok-dns",
                           "error":{"type":"urn:ietf:params:acme:error:unauthorized","detail":"No TXT record found"}}]}
                        """);
                default:
                    return inner(r);
            }
        };
    }

    private sealed class FailingWithdrawResponder : IHttp01Responder
    {
        public Task PublishAsync(string token, string keyAuthorization, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task WithdrawAsync(string token, CancellationToken cancellationToken) => throw new InvalidOperationException("withdraw broke");
    }
}
