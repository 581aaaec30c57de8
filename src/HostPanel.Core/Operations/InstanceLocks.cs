using System.Collections.Concurrent;

namespace HostPanel.Core.Operations;

/// <summary>One lock per installed app: two operations never touch the same app at once.</summary>
public sealed class InstanceLocks
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    /// <summary>Waits for the app's lock; dispose the result to release it.</summary>
    public async Task<IDisposable> AcquireAsync(string instance, CancellationToken ct = default)
    {
        var gate = _locks.GetOrAdd(instance, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
