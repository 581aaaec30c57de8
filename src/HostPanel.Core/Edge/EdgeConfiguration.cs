namespace HostPanel.Core.Edge;

/// <summary>
/// Everything the edge proxy should serve, derived from HostPanel's own state: the proxy's whole
/// configuration is rendered from this and nothing else (<see cref="CaddyConfigRenderer"/>).
/// </summary>
public sealed record EdgeConfiguration
{
    public static EdgeConfiguration Empty { get; } = new();

    /// <summary>The sites, in any order (the rendering sorts them by domain).</summary>
    public IReadOnlyList<EdgeSite> Sites { get; init; } = [];

    /// <summary>
    /// Pending ACME HTTP-01 challenges: token → key authorization. Each is answered on
    /// <c>/.well-known/acme-challenge/&lt;token&gt;</c> over plain HTTP, whatever the Host header.
    /// </summary>
    public IReadOnlyDictionary<string, string> Challenges { get; init; } = new Dictionary<string, string>();

    /// <summary>Every problem that keeps this configuration from being rendered (empty when it is fine).</summary>
    public IReadOnlyList<string> Validate() => EdgeValidation.Problems(this);
}

/// <summary>
/// One domain served by the edge, for one app instance. Without <see cref="Certificate"/> the site
/// is served over plain HTTP (the app is reachable and its certificate can be obtained); with one,
/// it is served over HTTPS and its plain HTTP requests are redirected there.
/// </summary>
public sealed record EdgeSite
{
    /// <summary>The domain in its ASCII (punycode) form, e.g. <c>xn--vlo-bma.example</c>; compared without case.</summary>
    public required string Domain { get; init; }

    /// <summary>The app instance the site belongs to (for the caller; not part of the rendered configuration).</summary>
    public required string Instance { get; init; }

    /// <summary>At least one route; each path prefix at most once.</summary>
    public required IReadOnlyList<EdgeRoute> Routes { get; init; }

    public EdgeCertificate? Certificate { get; init; }
}

/// <summary>Where the requests below one path prefix of a site go.</summary>
public sealed record EdgeRoute
{
    /// <summary>"/" for everything, or "/sub" for <c>/sub</c> and everything below <c>/sub/</c> (no trailing slash). The path is passed on unchanged.</summary>
    public required string PathPrefix { get; init; }

    /// <summary>The upstream as <c>host:port</c> (<c>[v6]:port</c> for an IPv6 address).</summary>
    public required string Upstream { get; init; }

    /// <summary>
    /// The route carries WebSocket connections: they pass through in any case; this keeps
    /// <see cref="Timeout"/> from cutting an idle connection.
    /// </summary>
    public bool WebSocket { get; init; }

    /// <summary>
    /// False for streamed responses (server-sent events, long polling): every write of the
    /// upstream is flushed to the client at once, and <see cref="Timeout"/> does not cut an idle stream.
    /// </summary>
    public bool Buffering { get; init; } = true;

    /// <summary>The largest request body accepted; larger ones get 413. No limit when null.</summary>
    public long? MaxBodyBytes { get; init; }

    /// <summary>How long the upstream may take to start its response (and, for plain routes, between two reads of it). Caddy's defaults when null.</summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>A certificate as two PEM files the proxy reads itself (their contents never go into its configuration).</summary>
/// <param name="ChainFile">Absolute path of the certificate chain, leaf first.</param>
/// <param name="KeyFile">Absolute path of the private key.</param>
public sealed record EdgeCertificate(string ChainFile, string KeyFile);
