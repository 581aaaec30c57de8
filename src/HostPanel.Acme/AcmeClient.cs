using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HostPanel.Acme;

/// <summary>
/// A client of one ACME CA (RFC 8555) for one account. It speaks through the <see cref="HttpClient"/> it is
/// given (whose TLS settings, such as a pinned root, are the caller's) and never writes files. It keeps a pool
/// of nonces and resends a request whose nonce the server rejects (badNonce), at most
/// <see cref="AcmeClientOptions.MaxBadNonceAttempts"/> times. Safe for concurrent use.
/// </summary>
public sealed partial class AcmeClient
{
    private const string JoseJson = "application/jose+json";
    private const string PemCertificateChain = "application/pem-certificate-chain";
    private const string ReplayNonce = "Replay-Nonce";
    private const int MaxPooledNonces = 32;

    private readonly HttpClient http;
    private readonly AcmeClientOptions options;
    private readonly ConcurrentQueue<string> nonces = new();
    private AcmeDirectory? directory;
    private Uri? accountUrl;
    private long badNonceRetries;

    /// <summary>Creates a client.</summary>
    /// <param name="httpClient">The HTTP client to use (not disposed by this client).</param>
    /// <param name="directoryUrl">The CA's directory URL.</param>
    /// <param name="accountKey">The account key (not disposed by this client).</param>
    /// <param name="options">Settings; the defaults when null.</param>
    public AcmeClient(HttpClient httpClient, Uri directoryUrl, AcmeAccountKey accountKey, AcmeClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(directoryUrl);
        ArgumentNullException.ThrowIfNull(accountKey);
        if (!directoryUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The directory URL must be absolute.", nameof(directoryUrl));
        }

        http = httpClient;
        DirectoryUrl = directoryUrl;
        AccountKey = accountKey;
        this.options = options ?? new AcmeClientOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.MaxBadNonceAttempts, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.MaxPollAttempts, 1, nameof(options));
    }

    /// <summary>The CA's directory URL.</summary>
    public Uri DirectoryUrl { get; }

    /// <summary>The account key signing the requests.</summary>
    public AcmeAccountKey AccountKey { get; }

    /// <summary>
    /// The account URL ("kid") of the requests after account creation. Set by <see cref="CreateAccountAsync"/>
    /// and <see cref="FindAccountAsync"/>, or by the caller from a stored value.
    /// </summary>
    public Uri? AccountUrl
    {
        get => Volatile.Read(ref accountUrl);
        set => Volatile.Write(ref accountUrl, value);
    }

    /// <summary>How many requests were resent because the server rejected their nonce (badNonce).</summary>
    public long BadNonceRetries => Interlocked.Read(ref badNonceRetries);

    /// <summary>The key authorization of a challenge token for this client's account key.</summary>
    /// <param name="token">The challenge token.</param>
    /// <returns>"token.thumbprint".</returns>
    public string GetKeyAuthorization(string token) => AcmeChallenges.KeyAuthorization(token, AccountKey.Thumbprint);

    /// <summary>The CA's directory, fetched once and then remembered.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The directory.</returns>
    public async Task<AcmeDirectory> GetDirectoryAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref directory) is { } known)
        {
            return known;
        }

        var response = await SendAsync(HttpMethod.Get, DirectoryUrl, null, null, cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response);
        var parsed = ParseDirectory(response.Json(), DirectoryUrl);
        Volatile.Write(ref directory, parsed);
        return parsed;
    }

    /// <summary>
    /// Creates the account of the key (or returns the existing one: the CA answers with it) and makes it the
    /// account of the later requests.
    /// </summary>
    /// <param name="contactEmails">Contact e-mail addresses ("mailto:" is added when missing); may be empty.</param>
    /// <param name="termsOfServiceAgreed">Whether the CA's terms of service are agreed to.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The account; its <see cref="AcmeAccount.Location"/> is now <see cref="AccountUrl"/>.</returns>
    public async Task<AcmeAccount> CreateAccountAsync(IEnumerable<string> contactEmails, bool termsOfServiceAgreed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contactEmails);
        var contacts = new JsonArray();
        foreach (var email in contactEmails)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(email, nameof(contactEmails));
            var contact = email.Trim();
            contacts.Add(contact.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? contact : "mailto:" + contact);
        }

        var payload = new JsonObject { ["termsOfServiceAgreed"] = termsOfServiceAgreed };
        if (contacts.Count > 0)
        {
            payload["contact"] = contacts;
        }

        var dir = await GetDirectoryAsync(cancellationToken).ConfigureAwait(false);
        var response = await PostAsync(dir.NewAccount, payload.ToJsonString(), useJwk: true, null, cancellationToken).ConfigureAwait(false);
        return AdoptAccount(response, dir.NewAccount);
    }

    /// <summary>
    /// Looks up the existing account of the key ("onlyReturnExisting") and, when found, makes it the account of
    /// the later requests.
    /// </summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The account, or null when the CA knows no account with this key.</returns>
    public async Task<AcmeAccount?> FindAccountAsync(CancellationToken cancellationToken = default)
    {
        var dir = await GetDirectoryAsync(cancellationToken).ConfigureAwait(false);
        var payload = new JsonObject { ["onlyReturnExisting"] = true };
        try
        {
            var response = await PostAsync(dir.NewAccount, payload.ToJsonString(), useJwk: true, null, cancellationToken).ConfigureAwait(false);
            return AdoptAccount(response, dir.NewAccount);
        }
        catch (AcmeProblemException e) when (e.Type == AcmeErrorTypes.AccountDoesNotExist)
        {
            return null;
        }
    }

    /// <summary>Places an order for a certificate naming the domains.</summary>
    /// <param name="dnsNames">The domain names (wildcards allowed); normalized to lower-case ASCII, each once.</param>
    /// <param name="replaces">The ARI identifier of the certificate the new one replaces, if any (RFC 9773).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new order.</returns>
    public async Task<AcmeOrder> NewOrderAsync(IEnumerable<string> dnsNames, string? replaces = null, CancellationToken cancellationToken = default)
    {
        var names = AcmeNames.Normalize(dnsNames);
        var identifiers = new JsonArray();
        foreach (var name in names)
        {
            identifiers.Add(new JsonObject { ["type"] = AcmeIdentifier.DnsType, ["value"] = name });
        }

        var payload = new JsonObject { ["identifiers"] = identifiers };
        if (!string.IsNullOrEmpty(replaces))
        {
            payload["replaces"] = replaces;
        }

        var dir = await GetDirectoryAsync(cancellationToken).ConfigureAwait(false);
        var response = await PostAsync(dir.NewOrder, payload.ToJsonString(), useJwk: false, null, cancellationToken).ConfigureAwait(false);
        var location = response.Location ?? throw new AcmeException($"The new order at {dir.NewOrder} came without a Location header.");
        return ParseOrder(response.Json(), location);
    }

    /// <summary>The current state of an order.</summary>
    /// <param name="orderUrl">The order URL.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The order.</returns>
    public async Task<AcmeOrder> GetOrderAsync(Uri orderUrl, CancellationToken cancellationToken = default) =>
        (await FetchOrderAsync(orderUrl, cancellationToken).ConfigureAwait(false)).Order;

    /// <summary>The current state of an authorization.</summary>
    /// <param name="authorizationUrl">The authorization URL.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The authorization.</returns>
    public async Task<AcmeAuthorization> GetAuthorizationAsync(Uri authorizationUrl, CancellationToken cancellationToken = default) =>
        (await FetchAuthorizationAsync(authorizationUrl, cancellationToken).ConfigureAwait(false)).Authorization;

    /// <summary>Tells the CA that the answer to a challenge is in place, so it validates it.</summary>
    /// <param name="challenge">The challenge.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The challenge as the CA now sees it.</returns>
    public async Task<AcmeChallenge> AnswerChallengeAsync(AcmeChallenge challenge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        var response = await PostAsync(challenge.Url, "{}", useJwk: false, null, cancellationToken).ConfigureAwait(false);
        return ParseChallenge(response.Json(), challenge.Url);
    }

    /// <summary>
    /// Polls an authorization until it is no longer pending, honouring Retry-After, within the polling bounds
    /// of the options.
    /// </summary>
    /// <param name="authorizationUrl">The authorization URL.</param>
    /// <param name="cancellationToken">Cancels the polling.</param>
    /// <returns>The valid authorization.</returns>
    /// <exception cref="AcmeProblemException">Validation failed: the problem is the challenge's error.</exception>
    /// <exception cref="AcmeException">The authorization stayed pending too long, or ended neither valid nor with an error.</exception>
    public async Task<AcmeAuthorization> WaitForAuthorizationAsync(Uri authorizationUrl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authorizationUrl);
        var first = await FetchAuthorizationAsync(authorizationUrl, cancellationToken).ConfigureAwait(false);
        var authorization = await PollAsync(
            $"The authorization at {authorizationUrl}",
            (first.Authorization, first.RetryAfter),
            a => a.Status is AcmeStatus.Pending or AcmeStatus.Processing,
            a => a.Status,
            async ct =>
            {
                var next = await FetchAuthorizationAsync(authorizationUrl, ct).ConfigureAwait(false);
                return (next.Authorization, next.RetryAfter);
            },
            cancellationToken).ConfigureAwait(false);

        if (authorization.Status == AcmeStatus.Valid)
        {
            return authorization;
        }

        var failed = authorization.Challenges.FirstOrDefault(c => c.Status == AcmeStatus.Invalid && c.Error is not null)
            ?? authorization.Challenges.FirstOrDefault(c => c.Error is not null);
        if (failed?.Error is { } error)
        {
            throw new AcmeProblemException(error, null, authorization, failed);
        }

        throw new AcmeException($"The authorization of {authorization.Identifier.Value} is {authorization.Status}.");
    }

    /// <summary>
    /// Finalizes an order with a CSR once it is ready, and polls it (honouring Retry-After, within the polling
    /// bounds of the options) until the certificate is issued.
    /// </summary>
    /// <param name="order">The order (all of its authorizations valid).</param>
    /// <param name="csr">The DER certificate signing request (see <see cref="AcmeCsr.Create"/>).</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The valid order, with its certificate URL.</returns>
    /// <exception cref="AcmeProblemException">The CA refused the CSR, or the order became invalid.</exception>
    public async Task<AcmeOrder> FinalizeAsync(AcmeOrder order, ReadOnlyMemory<byte> csr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        var what = $"The order at {order.Location}";
        var fetch = (Func<CancellationToken, Task<(AcmeOrder, DateTimeOffset?)>>)(async ct =>
        {
            var next = await FetchOrderAsync(order.Location, ct).ConfigureAwait(false);
            return (next.Order, next.RetryAfter);
        });

        (AcmeOrder Order, DateTimeOffset? RetryAfter) current = (order, null);
        if (order.Status == AcmeStatus.Pending)
        {
            current = await fetch(cancellationToken).ConfigureAwait(false);
        }

        var ready = await PollAsync(what, current, o => o.Status == AcmeStatus.Pending, o => o.Status, fetch, cancellationToken).ConfigureAwait(false);
        ThrowIfInvalid(ready);
        current = (ready, null);
        if (ready.Status == AcmeStatus.Ready)
        {
            var payload = new JsonObject { ["csr"] = Base64Url.EncodeToString(csr.Span) };
            var response = await PostAsync(ready.Finalize, payload.ToJsonString(), useJwk: false, null, cancellationToken).ConfigureAwait(false);
            current = (ParseOrder(response.Json(), order.Location), response.RetryAfter);
        }

        var done = await PollAsync(what, current, o => o.Status is AcmeStatus.Processing or AcmeStatus.Ready, o => o.Status, fetch, cancellationToken).ConfigureAwait(false);
        ThrowIfInvalid(done);
        if (done.Status != AcmeStatus.Valid || done.Certificate is null)
        {
            throw new AcmeException($"{what} is {done.Status} without a certificate.");
        }

        return done;
    }

    /// <summary>Downloads an issued certificate with its chain (application/pem-certificate-chain).</summary>
    /// <param name="certificateUrl">The certificate URL of a valid order.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The PEM chain, leaf first.</returns>
    public async Task<string> DownloadCertificateChainAsync(Uri certificateUrl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificateUrl);
        var response = await PostAsync(certificateUrl, null, useJwk: false, PemCertificateChain, cancellationToken).ConfigureAwait(false);
        if (!response.Body.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            throw new AcmeException($"{certificateUrl} returned no PEM certificate ({response.MediaType}).");
        }

        return response.Body;
    }

    /// <summary>
    /// The CA's renewal information for a certificate (RFC 9773): an unauthenticated GET of
    /// {renewalInfo}/{certID}.
    /// </summary>
    /// <param name="certificate">The certificate (with an authority key identifier).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The renewal information, or null when the CA's directory has no renewalInfo.</returns>
    public async Task<AcmeRenewalInfo?> GetRenewalInfoAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var dir = await GetDirectoryAsync(cancellationToken).ConfigureAwait(false);
        if (dir.RenewalInfo is null)
        {
            return null;
        }

        var certId = AcmeRenewal.GetCertId(certificate);
        var url = new Uri(dir.RenewalInfo.AbsoluteUri.TrimEnd('/') + "/" + certId);
        var response = await SendAsync(HttpMethod.Get, url, null, null, cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response);
        var json = response.Json();
        if (!json.TryGetProperty("suggestedWindow", out var window) || window.ValueKind != JsonValueKind.Object)
        {
            throw new AcmeException($"The renewal information at {url} has no suggestedWindow.");
        }

        var start = GetTime(window, "start") ?? throw new AcmeException($"The renewal window at {url} has no start.");
        var end = GetTime(window, "end") ?? throw new AcmeException($"The renewal window at {url} has no end.");
        if (end < start)
        {
            throw new AcmeException($"The renewal window at {url} ends ({end:O}) before it starts ({start:O}).");
        }

        return new AcmeRenewalInfo(certId, new RenewalWindow(start, end), GetUri(json, "explanationURL", url), response.RetryAfter);
    }

    /// <summary>
    /// When to renew a certificate: a uniformly random instant (from <see cref="AcmeClientOptions.Random"/>) in
    /// the CA's suggested window, or, when the CA offers no renewal information,
    /// <see cref="AcmeRenewal.FallbackRenewalTime(X509Certificate2)"/>.
    /// </summary>
    /// <param name="certificate">The certificate.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The instant to renew at (possibly in the past: renew now).</returns>
    public async Task<DateTimeOffset> GetRenewalTimeAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default)
    {
        var info = await GetRenewalInfoAsync(certificate, cancellationToken).ConfigureAwait(false);
        return AcmeRenewal.ChooseRenewalTime(certificate, info, options.Random);
    }

    private static void ThrowIfInvalid(AcmeOrder order)
    {
        if (order.Status != AcmeStatus.Invalid)
        {
            return;
        }

        if (order.Error is { } error)
        {
            throw new AcmeProblemException(error);
        }

        throw new AcmeException($"The order at {order.Location} is invalid.");
    }

    private AcmeAccount AdoptAccount(Response response, Uri requestUrl)
    {
        var location = response.Location ?? throw new AcmeException($"The account answer of {requestUrl} came without a Location header.");
        var account = ParseAccount(response.Json(), location);
        AccountUrl = location;
        return account;
    }

    private async Task<(AcmeOrder Order, DateTimeOffset? RetryAfter)> FetchOrderAsync(Uri orderUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderUrl);
        var response = await PostAsync(orderUrl, null, useJwk: false, null, cancellationToken).ConfigureAwait(false);
        return (ParseOrder(response.Json(), orderUrl), response.RetryAfter);
    }

    private async Task<(AcmeAuthorization Authorization, DateTimeOffset? RetryAfter)> FetchAuthorizationAsync(Uri authorizationUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorizationUrl);
        var response = await PostAsync(authorizationUrl, null, useJwk: false, null, cancellationToken).ConfigureAwait(false);
        return (ParseAuthorization(response.Json(), authorizationUrl), response.RetryAfter);
    }

    /// <summary>The wait before poll number <paramref name="polls"/> (from 0) without Retry-After: doubling from the first delay to the interval.</summary>
    private TimeSpan BackoffDelay(int polls)
    {
        var first = options.FirstPollDelay <= TimeSpan.Zero || options.FirstPollDelay > options.PollInterval ? options.PollInterval : options.FirstPollDelay;
        var grown = first.Ticks * Math.Pow(2, Math.Min(polls, 30));
        return grown >= options.PollInterval.Ticks ? options.PollInterval : TimeSpan.FromTicks((long)grown);
    }

    /// <summary>
    /// Polls while <paramref name="isPending"/>: waits the Retry-After of the last answer (or the poll
    /// interval), at most <see cref="AcmeClientOptions.MaxPollAttempts"/> times and within
    /// <see cref="AcmeClientOptions.MaxPollDuration"/>; a wait that would end beyond that fails at once.
    /// </summary>
    private async Task<T> PollAsync<T>(
        string what,
        (T Value, DateTimeOffset? RetryAfter) first,
        Func<T, bool> isPending,
        Func<T, string> status,
        Func<CancellationToken, Task<(T Value, DateTimeOffset? RetryAfter)>> fetch,
        CancellationToken cancellationToken)
    {
        var time = options.TimeProvider;
        var deadline = time.GetUtcNow() + options.MaxPollDuration;
        var (current, retryAfter) = first;
        for (var polls = 0; isPending(current); polls++)
        {
            if (polls >= options.MaxPollAttempts)
            {
                throw new AcmeException($"{what} is still {status(current)} after {polls} polls.");
            }

            var now = time.GetUtcNow();
            var delay = retryAfter is { } at ? at - now : BackoffDelay(polls);
            if (delay < TimeSpan.Zero)
            {
                delay = TimeSpan.Zero;
            }

            if (now + delay > deadline)
            {
                throw new AcmeException(
                    $"{what} is still {status(current)}: waiting {delay} more would exceed the polling limit of {options.MaxPollDuration}.");
            }

            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            (current, retryAfter) = await fetch(cancellationToken).ConfigureAwait(false);
        }

        return current;
    }

    /// <summary>
    /// Sends a JWS-signed POST ("jwk" header for newAccount, "kid" otherwise; a null payload is a POST-as-GET),
    /// resending it with a fresh nonce when the server answers badNonce.
    /// </summary>
    private async Task<Response> PostAsync(Uri url, string? payloadJson, bool useJwk, string? accept, CancellationToken cancellationToken)
    {
        var keyId = useJwk
            ? null
            : AccountUrl ?? throw new InvalidOperationException("No ACME account: call CreateAccountAsync or FindAccountAsync first, or set AccountUrl.");
        for (var attempt = 1; ; attempt++)
        {
            var nonce = await TakeNonceAsync(cancellationToken).ConfigureAwait(false);
            var body = AcmeJws.Sign(AccountKey, url, nonce, keyId, payloadJson);
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.ContentType = new MediaTypeHeaderValue(JoseJson);
            var response = await SendAsync(HttpMethod.Post, url, content, accept, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccess)
            {
                return response;
            }

            var failure = Failure(response, url);
            if (failure is AcmeProblemException { Type: AcmeErrorTypes.BadNonce } && attempt < options.MaxBadNonceAttempts)
            {
                Interlocked.Increment(ref badNonceRetries);
                continue;
            }

            throw failure;
        }
    }

    private async Task<string> TakeNonceAsync(CancellationToken cancellationToken)
    {
        if (nonces.TryDequeue(out var pooled))
        {
            return pooled;
        }

        var dir = await GetDirectoryAsync(cancellationToken).ConfigureAwait(false);
        var response = await SendAsync(HttpMethod.Head, dir.NewNonce, null, null, cancellationToken, poolNonce: false).ConfigureAwait(false);
        EnsureSuccess(response);
        return response.Nonce ?? throw new AcmeException($"{dir.NewNonce} answered without a Replay-Nonce header.");
    }

    private async Task<Response> SendAsync(
        HttpMethod method,
        Uri url,
        HttpContent? content,
        string? accept,
        CancellationToken cancellationToken,
        bool poolNonce = true)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.UserAgent.TryParseAdd(options.UserAgent);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        string? nonce = null;
        if (response.Headers.TryGetValues(ReplayNonce, out var values))
        {
            nonce = values.Select(v => v.Trim()).LastOrDefault(v => v.Length > 0);
        }

        if (nonce is not null && poolNonce)
        {
            nonces.Enqueue(nonce);
            while (nonces.Count > MaxPooledNonces && nonces.TryDequeue(out _))
            {
                // Drop the oldest: it is the likeliest to have expired.
            }
        }

        var body = method == HttpMethod.Head
            ? string.Empty
            : await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var location = response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l : new Uri(url, l)) : null;
        var now = options.TimeProvider.GetUtcNow();
        DateTimeOffset? retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => now + delta,
            { Date: { } date } => date,
            _ => null,
        };
        return new Response(url, response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, location, retryAfter, nonce);
    }

    private static void EnsureSuccess(Response response)
    {
        if (!response.IsSuccess)
        {
            throw Failure(response, response.Url);
        }
    }

    private static AcmeException Failure(Response response, Uri url)
    {
        if (TryParseProblem(response) is { } problem)
        {
            return new AcmeProblemException(problem, response.RetryAfter);
        }

        var body = response.Body.Length > 300 ? response.Body[..300] + "…" : response.Body;
        return new AcmeException($"{url} answered HTTP {(int)response.StatusCode} ({response.MediaType ?? "no content type"}): {body}");
    }

    private static AcmeProblem? TryParseProblem(Response response)
    {
        if (response.Body.Length == 0 || response.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(response.Body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("type", out _)
                ? ParseProblem(document.RootElement, (int)response.StatusCode)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record Response(
        Uri Url,
        HttpStatusCode StatusCode,
        string? MediaType,
        string Body,
        Uri? Location,
        DateTimeOffset? RetryAfter,
        string? Nonce)
    {
        public bool IsSuccess => (int)StatusCode is >= 200 and < 300;

        public JsonElement Json()
        {
            try
            {
                using var document = JsonDocument.Parse(Body);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new AcmeException($"{Url} answered with JSON that is not an object.");
                }

                return document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new AcmeException($"{Url} answered with something that is not JSON ({MediaType}).", e);
            }
        }
    }
}
