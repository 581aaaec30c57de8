using System.Security.Cryptography.X509Certificates;

namespace HostPanel.Core.Edge;

/// <summary>
/// The edge proxy (Caddy), driven through its admin API: HostPanel always loads a whole
/// configuration rendered from its own state, never a change to the running one.
/// </summary>
public interface IEdgeProxy
{
    /// <summary>
    /// Renders <paramref name="configuration"/> and makes it the running configuration, at once
    /// and entirely or not at all: when the proxy refuses it, <see cref="EdgeProxyException"/>
    /// carries the proxy's own reason and the previous configuration keeps serving. Certificate
    /// files are read again even when the configuration text did not change. Returns the JSON loaded.
    /// </summary>
    Task<string> LoadAsync(EdgeConfiguration configuration, CancellationToken ct = default);

    /// <summary>The running configuration as the proxy reports it (JSON text; <c>null</c> when it has none).</summary>
    Task<string> ReadRunningConfigurationAsync(CancellationToken ct = default);

    /// <summary>
    /// One object of the running configuration by its <c>@id</c>
    /// (<see cref="CaddyConfigRenderer.SiteRouteId"/>, <see cref="CaddyConfigRenderer.ChallengeRouteId"/>);
    /// null when no object has that id.
    /// </summary>
    Task<string?> ReadObjectAsync(string id, CancellationToken ct = default);

    /// <summary>
    /// The leaf certificate the proxy actually serves for <paramref name="domain"/> (a TLS handshake
    /// with that name, nothing validated), to compare with the one it was given; null when the
    /// proxy has none for that name (the handshake is refused).
    /// </summary>
    Task<X509Certificate2?> GetServedCertificateAsync(string domain, CancellationToken ct = default);
}

/// <summary>
/// The edge proxy refused a configuration or could not be reached. <see cref="Exception.Message"/>
/// is technical and includes <see cref="ProxyError"/> when there is one.
/// </summary>
public sealed class EdgeProxyException(string message, string? proxyError = null, int? statusCode = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The proxy's own explanation, word for word (Caddy's <c>error</c> field), when it gave one.</summary>
    public string? ProxyError { get; } = proxyError;

    /// <summary>The admin API's HTTP status, when it answered.</summary>
    public int? StatusCode { get; } = statusCode;
}
