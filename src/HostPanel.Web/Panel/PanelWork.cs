using System.Collections.Concurrent;
using HostPanel.Core.Operations;

namespace HostPanel.Web.Panel;

/// <summary>
/// Runs the long work a person starts from a page (install, update, backup, restore…) outside
/// the page's connection: closing the tab, reloading or losing the network does not stop it, and
/// the page that comes back finds it in the journal and follows it there.
/// <see cref="StartAsync"/> returns as soon as the work has handed its operation to the runner,
/// with the operation's id; a refusal before that (a bad field, no right) is thrown to the page,
/// which shows it next to its field.
/// </summary>
public sealed class PanelWork : IDisposable
{
    // The ticket of the work running on this flow; OperationEvents calls its subscribers on the
    // runner's own flow, so the first operation the work starts finds its ticket here.
    private static readonly AsyncLocal<Ticket?> Current = new();

    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<PanelWork> _logger;
    private readonly CancellationToken _stopping;
    private readonly IDisposable _subscription;
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    public PanelWork(IServiceScopeFactory scopes, OperationEvents events, IHostApplicationLifetime lifetime, ILogger<PanelWork> logger)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(lifetime);
        _scopes = scopes;
        _logger = logger;
        _stopping = lifetime.ApplicationStopping;
        _subscription = events.Subscribe(e =>
        {
            if (e is OperationStarted started && Current.Value is { } ticket && (ticket.Expected is null || ticket.Expected == started.Kind))
            {
                ticket.Started.TrySetResult(started.OperationId);
            }
        });
    }

    /// <summary>How many pieces of work are running now.</summary>
    public int Running => _running.Count;

    /// <summary>
    /// Starts <paramref name="work"/> in the background and waits until it has started an
    /// operation (its id) or has ended without one (null). A failure before any operation is
    /// rethrown here; after, the operation's journal holds what happened.
    /// </summary>
    public Task<Guid?> StartAsync(Func<IServiceProvider, CancellationToken, Task> work, CancellationToken ct = default) =>
        StartAsync(null, work, ct);

    /// <summary>
    /// As <see cref="StartAsync(Func{IServiceProvider, CancellationToken, Task}, CancellationToken)"/>,
    /// waiting for the first operation of kind <paramref name="expected"/>: an update first runs
    /// its own backup, and the person wants to follow the update.
    /// </summary>
    public async Task<Guid?> StartAsync(OperationKind? expected, Func<IServiceProvider, CancellationToken, Task> work, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var ticket = new Ticket(expected);
        var task = Task.Run(async () =>
        {
            Current.Value = ticket;
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                await work(scope.ServiceProvider, _stopping).ConfigureAwait(false);
                ticket.Started.TrySetResult(null);
            }
            catch (Exception e)
            {
                if (!ticket.Started.TrySetException(e))
                {
                    // The operation records its own failure; this is for the server's log.
                    _logger.LogWarning(e, "Work started from the panel ended with an error after its operation began.");
                }
            }
        }, CancellationToken.None);
        _running.TryAdd(task, 0);
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return await ticket.Started.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Waits (bounded) for the work still running; for tests and an orderly stop.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        await Task.WhenAll(_running.Keys).WaitAsync(timeout).ConfigureAwait(false);
    }

    public void Dispose() => _subscription.Dispose();

    private sealed class Ticket(OperationKind? expected)
    {
        public OperationKind? Expected { get; } = expected;

        public TaskCompletionSource<Guid?> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
