namespace HostPanel.Core.Apps.Execution;

/// <summary>Asks a service over HTTP whether it is well: the manifest's http health checks.</summary>
public interface IHttpProbe
{
    /// <summary>The status code and the start of the body, or null when nothing answered.</summary>
    Task<(int Status, string Body)?> GetAsync(Uri url, TimeSpan timeout, CancellationToken ct = default);
}

/// <summary>Probes straight to the container's address: never through a proxy.</summary>
public sealed class HttpProbe : IHttpProbe, IDisposable
{
    private const int MaxBodyChars = 4096;
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<(int Status, string Body)?> GetAsync(Uri url, TimeSpan timeout, CancellationToken ct = default)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(timeout);
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, bounded.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(bounded.Token).ConfigureAwait(false);
            return ((int)response.StatusCode, body.Length > MaxBodyChars ? body[..MaxBodyChars] : body);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}
