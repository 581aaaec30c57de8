using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace HostPanel.Core.Operations;

/// <summary>What to do when another holder has the app's lock.</summary>
public enum LockWait
{
    /// <summary>Wait until it is free.</summary>
    Wait,

    /// <summary>Give up at once with <see cref="InstanceBusyException"/>.</summary>
    Fail,
}

/// <summary>Another operation holds the app (in this process or in another one).</summary>
public sealed class InstanceBusyException(string instance) : Exception($"The app {instance} is busy with another operation.")
{
    public string Instance { get; } = instance;
}

/// <summary>
/// One lock per installed app: two operations never touch the same app at once — neither in one
/// process nor across processes (the panel and a `hostpanel` command share the data directory).
/// Across processes the lock is an exclusive lock on a file of <c>locks/</c> in the data
/// directory, which the system releases when its process dies, even by kill -9: a crash never
/// leaves an app locked. Re-entrant within one flow of work: code that holds an app's lock may
/// call code that takes it again.
/// </summary>
public sealed class InstanceLocks(string? directory = null)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly AsyncLocal<ImmutableHashSet<string>> Held = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="body"/> holding the app's lock.</summary>
    public async Task<T> RunAsync<T>(string instance, LockWait wait, Func<Task<T>> body, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instance);
        ArgumentNullException.ThrowIfNull(body);
        var held = Held.Value ?? [];
        if (held.Contains(instance))
        {
            return await body().ConfigureAwait(false);
        }

        var gate = _gates.GetOrAdd(instance, _ => new SemaphoreSlim(1, 1));
        if (wait == LockWait.Fail)
        {
            if (!await gate.WaitAsync(TimeSpan.Zero, ct).ConfigureAwait(false))
            {
                throw new InstanceBusyException(instance);
            }
        }
        else
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
        }

        try
        {
            using var file = await LockFileAsync(instance, wait, ct).ConfigureAwait(false);
            Held.Value = held.Add(instance);
            try
            {
                return await body().ConfigureAwait(false);
            }
            finally
            {
                Held.Value = held;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Runs <paramref name="body"/> holding the app's lock.</summary>
    public Task RunAsync(string instance, LockWait wait, Func<Task> body, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        return RunAsync(instance, wait, async () =>
        {
            await body().ConfigureAwait(false);
            return true;
        }, ct);
    }

    private async Task<FileStream?> LockFileAsync(string instance, LockWait wait, CancellationToken ct)
    {
        if (directory is null)
        {
            return null;
        }

        if (instance.IndexOfAny(['/', '\\', '\0']) >= 0 || instance is "." or "..")
        {
            throw new ArgumentException($"'{instance}' cannot name a lock file.", nameof(instance));
        }

        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, instance + ".lock");
        while (true)
        {
            try
            {
                // On Unix, .NET takes an exclusive advisory lock (flock) for FileShare.None.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(path))
            {
                if (wait == LockWait.Fail)
                {
                    throw new InstanceBusyException(instance);
                }

                await Task.Delay(Poll, ct).ConfigureAwait(false);
            }
        }
    }
}
