namespace HostPanel.Web.Panel;

/// <summary>
/// Runs a page's refresh at most once per interval however often it is asked for: a burst of
/// live events (an image pull sends hundreds a second) becomes a few refreshes a second, a
/// request made while a refresh runs brings one more after it, and two never run at once.
/// Disposing stops what is scheduled.
/// </summary>
public sealed class CoalescedRefresh : IDisposable
{
    private readonly Func<CancellationToken, Task> _refresh;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private DateTimeOffset _last = DateTimeOffset.MinValue;
    private bool _busy;
    private bool _again;
    private bool _disposed;

    public CoalescedRefresh(Func<CancellationToken, Task> refresh, TimeSpan interval, ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(refresh);
        ArgumentNullException.ThrowIfNull(logger);
        _refresh = refresh;
        _interval = interval;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Asks for a refresh; returns at once. Safe from any thread.</summary>
    public void Request()
    {
        TimeSpan wait;
        CancellationToken ct;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (_busy)
            {
                _again = true;
                return;
            }

            _busy = true;
            wait = WaitLocked();
            ct = _stop.Token;
        }

        _ = RunAsync(wait, ct);
    }

    private TimeSpan WaitLocked()
    {
        var since = _time.GetUtcNow() - _last;
        return since >= _interval ? TimeSpan.Zero : _interval - since;
    }

    private async Task RunAsync(TimeSpan wait, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, ct).ConfigureAwait(false);
                }

                lock (_gate)
                {
                    _again = false;
                    _last = _time.GetUtcNow();
                }

                await _refresh(ct).ConfigureAwait(false);
                lock (_gate)
                {
                    if (!_again || _disposed)
                    {
                        _busy = false;
                        return;
                    }

                    wait = WaitLocked();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Disposed: the page is gone.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A page that failed to refresh keeps what it shows; the next request tries again.
            _logger.LogWarning(e, "A live refresh of a page failed.");
            lock (_gate)
            {
                _busy = false;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _stop.Cancel();
        _stop.Dispose();
    }
}
