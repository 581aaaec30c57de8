namespace HostPanel.Integration.Tests.Edge;

/// <summary>
/// One private Caddy and one upstream app per test, both on free loopback ports, stopped and
/// deleted afterwards even when the test fails. Nothing is shared with other tests (the test
/// world's own Caddy is never touched), so every edge test class is a collection of its own that
/// runs in parallel with the others.
/// </summary>
public abstract class EdgeTestBase(string appName) : IAsyncLifetime
{
    private readonly CancellationTokenSource _deadline = EdgeTestKit.Deadline(TimeSpan.FromSeconds(90));
    private PrivateCaddy? _caddy;
    private Upstream? _app;

    internal PrivateCaddy Caddy => _caddy ?? throw new InvalidOperationException("Caddy is not started.");

    internal Upstream App => _app ?? throw new InvalidOperationException("The upstream is not started.");

    protected HttpClient Client { get; } = EdgeTestKit.LoopbackClient();

    protected CancellationToken Ct => _deadline.Token;

    public async ValueTask InitializeAsync()
    {
        try
        {
            _caddy = await PrivateCaddy.StartAsync(Ct);
            _app = await Upstream.StartAsync(appName, Ct);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (_app is { } app)
        {
            _app = null;
            await app.DisposeAsync();
        }

        if (_caddy is { } caddy)
        {
            _caddy = null;
            await caddy.DisposeAsync();
        }

        _deadline.Dispose();
        GC.SuppressFinalize(this);
    }
}
