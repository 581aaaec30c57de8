using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using HostPanel.Core.Edge;

namespace HostPanel.Infrastructure.Edge;

/// <summary>How to reach the edge Caddy and where to keep its last configuration.</summary>
public sealed record CaddyEdgeProxyOptions
{
    /// <summary>The options every configuration is rendered with (admin socket, ports, storage).</summary>
    public required CaddyOptions Caddy { get; init; }

    /// <summary>
    /// Where the last configuration Caddy accepted is written (owner-only, replaced atomically),
    /// so that Caddy can start from it (<c>caddy run --config …</c>) when HostPanel is not running.
    /// </summary>
    public required string LastConfigurationFile { get; init; }

    /// <summary>The most an admin API request may take, the load of a configuration included.</summary>
    public TimeSpan AdminTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The most a connection (admin socket or HTTPS port) may take to open.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The most a TLS handshake for <see cref="IEdgeProxy.GetServedCertificateAsync"/> may take.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The IP address the HTTPS port is reached at for certificate checks.</summary>
    public string HttpsAddress { get; init; } = "127.0.0.1";
}

/// <summary>
/// <see cref="IEdgeProxy"/> for Caddy (written against 2.6) through its admin API on a Unix socket.
/// Loads are serialised; each is forced (<c>Cache-Control: must-revalidate</c>) because Caddy
/// skips a configuration identical to the running one, and so would not read certificate files
/// renewed in place.
/// </summary>
public sealed class CaddyEdgeProxy : IEdgeProxy, IDisposable
{
    /// <summary>How much of an admin API answer is kept for a message.</summary>
    private const int MessageLimit = 4096;

    private readonly CaddyEdgeProxyOptions _options;
    private readonly HttpClient _admin;
    private readonly SemaphoreSlim _loading = new(1, 1);

    public CaddyEdgeProxy(CaddyEdgeProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Caddy.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid Caddy options: " + string.Join("; ", problems) + ".", nameof(options));
        }

        if (!Path.IsPathFullyQualified(options.LastConfigurationFile))
        {
            throw new ArgumentException($"The last configuration file '{options.LastConfigurationFile}' must be an absolute path.", nameof(options));
        }

        if (!IPAddress.TryParse(options.HttpsAddress, out _))
        {
            throw new ArgumentException($"The HTTPS address '{options.HttpsAddress}' must be an IP address.", nameof(options));
        }

        _options = options;
        var socketPath = options.Caddy.AdminSocketPath;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            UseProxy = false,
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };

        // Caddy's admin API accepts the origin "localhost" (the rendered admin.origins).
        _admin = new HttpClient(handler) { BaseAddress = new Uri("http://localhost"), Timeout = options.AdminTimeout };
    }

    public async Task<string> LoadAsync(EdgeConfiguration configuration, CancellationToken ct = default)
    {
        var json = CaddyConfigRenderer.Render(configuration, _options.Caddy);
        await _loading.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/load")
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
            };
            request.Headers.CacheControl = new CacheControlHeaderValue { MustRevalidate = true };
            var (status, body) = await SendAsync(request, "POST /load", ct).ConfigureAwait(false);
            if (status != HttpStatusCode.OK)
            {
                var error = ErrorOf(body);
                throw new EdgeProxyException(
                    $"Caddy refused the configuration (HTTP {(int)status}): {error}",
                    error,
                    (int)status);
            }

            try
            {
                await WriteAtomicallyAsync(_options.LastConfigurationFile, json, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new EdgeProxyException(
                    $"Caddy runs the new configuration, but it could not be saved to {_options.LastConfigurationFile} ({e.Message}): Caddy would start from an older one.",
                    inner: e);
            }

            return json;
        }
        finally
        {
            _loading.Release();
        }
    }

    public async Task<string> ReadRunningConfigurationAsync(CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/config/");
        var (status, body) = await SendAsync(request, "GET /config/", ct).ConfigureAwait(false);
        return status == HttpStatusCode.OK
            ? body.Trim()
            : throw new EdgeProxyException($"Caddy did not return its configuration (HTTP {(int)status}): {ErrorOf(body)}", ErrorOf(body), (int)status);
    }

    public async Task<string?> ReadObjectAsync(string id, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/id/" + Uri.EscapeDataString(id));
        var (status, body) = await SendAsync(request, $"GET /id/{id}", ct).ConfigureAwait(false);
        return status switch
        {
            HttpStatusCode.OK => body.Trim(),
            HttpStatusCode.NotFound => null,
            _ => throw new EdgeProxyException($"Caddy did not return object {id} (HTTP {(int)status}): {ErrorOf(body)}", ErrorOf(body), (int)status),
        };
    }

    public async Task<X509Certificate2?> GetServedCertificateAsync(string domain, CancellationToken ct = default)
    {
        if (!EdgeValidation.IsDomain(domain))
        {
            throw new ArgumentException($"'{domain}' is not a host name.", nameof(domain));
        }

        var address = _options.HttpsAddress;
        var port = _options.Caddy.HttpsPort;
        using var client = new TcpClient(address.Contains(':', StringComparison.Ordinal) ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            connect.CancelAfter(_options.ConnectTimeout);
            try
            {
                await client.ConnectAsync(IPAddress.Parse(address), port, connect.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                throw new EdgeProxyException($"Caddy's HTTPS port {address}:{port} could not be reached: {e.Message}", inner: e);
            }
        }

        using var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(ct);
        handshake.CancelAfter(_options.HandshakeTimeout);
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = domain,

                    // Only the certificate is wanted, trusted or not.
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                },
                handshake.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            // Caddy ends the handshake with an alert when it has no certificate for the name.
            return null;
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new EdgeProxyException($"The TLS handshake with {address}:{port} for {domain} did not finish within {_options.HandshakeTimeout.TotalSeconds:0.#} s.", inner: e);
        }

        return tls.RemoteCertificate is { } served
            ? X509CertificateLoader.LoadCertificate(served.GetRawCertData())
            : null;
    }

    public void Dispose()
    {
        _admin.Dispose();
        _loading.Dispose();
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpRequestMessage request, string what, CancellationToken ct)
    {
        // A fresh connection for each request: Caddy restarts its admin endpoint whenever a load
        // changes the admin settings, and a pooled connection would then be dead.
        request.Headers.ConnectionClose = true;
        try
        {
            using var response = await _admin.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            return (response.StatusCode, body);
        }
        catch (HttpRequestException e)
        {
            throw new EdgeProxyException($"Caddy's admin API ({_options.Caddy.AdminListen}) did not answer {what}: {e.Message}", inner: e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new EdgeProxyException($"Caddy's admin API ({_options.Caddy.AdminListen}) did not answer {what} within {_options.AdminTimeout.TotalSeconds:0.#} s.", inner: e);
        }
    }

    /// <summary>Caddy's <c>{"error": "…"}</c>, or the (shortened) body when it is something else.</summary>
    private static string ErrorOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.String)
            {
                return error.GetString()!;
            }
        }
        catch (JsonException)
        {
        }

        var text = body.Trim();
        return text.Length == 0 ? "(no explanation)" : text.Length > MessageLimit ? text[..MessageLimit] + "…" : text;
    }

    /// <summary>Writes to a temporary file beside <paramref name="path"/> (owner-only), flushes it to disk, then renames it over <paramref name="path"/>.</summary>
    private static async Task WriteAtomicallyAsync(string path, string text, CancellationToken ct)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            var stream = new FileStream(temporary, options);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
