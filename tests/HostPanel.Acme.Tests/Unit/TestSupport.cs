using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace HostPanel.Acme.Tests.Unit;

/// <summary>Small helpers shared by the unit tests, written independently of the library's own code.</summary>
internal static class TestSupport
{
    /// <summary>The test's cancellation token, also cancelled after <paramref name="seconds"/>.</summary>
    public static CancellationTokenSource Timeout(int seconds = 10)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(seconds));
        return cts;
    }

    public static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        s += (s.Length % 4) switch { 2 => "==", 3 => "=", 0 => string.Empty, _ => throw new FormatException(text) };
        return Convert.FromBase64String(s);
    }

    public static string ToBase64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Sha256Base64Url(string text) => ToBase64Url(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static JsonElement ParseJson(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}

/// <summary>A clock that jumps forward by each requested delay and fires the timer at once, recording the delays.</summary>
internal sealed class SteppingTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock gate = new();
    private DateTimeOffset now = start;
    private readonly List<TimeSpan> delays = [];

    public SteppingTimeProvider()
        : this(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero))
    {
    }

    public IReadOnlyList<TimeSpan> Delays
    {
        get
        {
            lock (gate)
            {
                return [.. delays];
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != global::System.Threading.Timeout.InfiniteTimeSpan)
        {
            lock (gate)
            {
                delays.Add(dueTime);
                now += dueTime;
            }

            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }

        return new InertTimer();
    }

    private sealed class InertTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>A Random whose NextDouble returns a fixed value.</summary>
internal sealed class FixedRandom(double value) : Random
{
    protected override double Sample() => value;

    public override double NextDouble() => value;
}

/// <summary>One request the stub server received.</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Url, string Body, string? ContentType, string? Accept)
{
    public bool IsSigned => ContentType == "application/jose+json";

    public JsonElement Jws => TestSupport.ParseJson(Body);

    public JsonElement ProtectedHeader => TestSupport.ParseJson(Encoding.UTF8.GetString(TestSupport.FromBase64Url(Jws.GetProperty("protected").GetString()!)));

    public string Nonce => ProtectedHeader.GetProperty("nonce").GetString()!;

    /// <summary>The decoded payload: "" for POST-as-GET.</summary>
    public string Payload => Encoding.UTF8.GetString(TestSupport.FromBase64Url(Jws.GetProperty("payload").GetString()!));
}

/// <summary>
/// A scripted ACME server: it serves a directory and nonces itself, gives a new Replay-Nonce with every
/// response (nonce-1, nonce-2, …) and leaves every other request to <see cref="Handle"/>.
/// </summary>
internal sealed class StubAcmeServer : HttpMessageHandler
{
    public const string Base = "https://acme.test";
    private readonly Lock gate = new();
    private readonly List<RecordedRequest> requests = [];
    private int nonceCounter;

    public static Uri DirectoryUrl { get; } = new(Base + "/dir");

    public static Uri Url(string path) => new(Base + path);

    public bool WithRenewalInfo { get; set; }

    public Func<RecordedRequest, HttpResponseMessage> Handle { get; set; } =
        r => throw new InvalidOperationException($"No stub for {r.Method} {r.Url}");

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. requests];
            }
        }
    }

    public IReadOnlyList<RecordedRequest> Signed(string path) =>
        [.. Requests.Where(r => r.Method == HttpMethod.Post && r.Url.AbsolutePath == path)];

    /// <summary>The nonce the server will hand out next.</summary>
    public string PeekNextNonce() => $"nonce-{Volatile.Read(ref nonceCounter) + 1}";

    public HttpClient Client() => new(this, disposeHandler: false);

    public static HttpResponseMessage Json(HttpStatusCode status, string json, string mediaType = "application/json", string? location = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, mediaType) };
        if (location is not null)
        {
            response.Headers.Location = new Uri(location);
        }

        return response;
    }

    public static HttpResponseMessage Problem(HttpStatusCode status, string type, string detail, string extra = "") =>
        Json(status, $$"""{"type":"{{type}}","detail":"{{detail}}","status":{{(int)status}}{{extra}}}""", "application/problem+json");

    public static string AccountJson => """{"status":"valid","contact":["mailto:admin@example.org"],"orders":"https://acme.test/acct/1/orders"}""";

    public static HttpResponseMessage Account(HttpStatusCode status = HttpStatusCode.Created) =>
        Json(status, AccountJson, location: Base + "/acct/1");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(
            request.Method,
            request.RequestUri!,
            body,
            request.Content?.Headers.ContentType?.ToString(),
            request.Headers.Accept.ToString() is { Length: > 0 } accept ? accept : null);
        lock (gate)
        {
            requests.Add(recorded);
        }

        HttpResponseMessage response;
        if (recorded.Url == DirectoryUrl)
        {
            var renewalInfo = WithRenewalInfo ? ""","renewalInfo":"https://acme.test/renewal-info" """ : string.Empty;
            response = Json(HttpStatusCode.OK, $$$"""
                {"newNonce":"https://acme.test/new-nonce","newAccount":"https://acme.test/new-account",
                 "newOrder":"https://acme.test/new-order","revokeCert":"https://acme.test/revoke","keyChange":"https://acme.test/key-change"{{{renewalInfo}}},
                 "meta":{"termsOfService":"https://acme.test/terms","caaIdentities":["acme.test"]}}
                """);
        }
        else if (recorded.Url.AbsolutePath == "/new-nonce")
        {
            response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        }
        else
        {
            response = Handle(recorded);
        }

        if (recorded.Url != DirectoryUrl)
        {
            // Like Pebble, the directory comes without a nonce; every other answer, errors included, has one.
            response.Headers.Add("Replay-Nonce", $"nonce-{Interlocked.Increment(ref nonceCounter)}");
        }

        return response;
    }
}
