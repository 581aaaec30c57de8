namespace HostPanel.Core.Engine;

/// <summary>
/// Calls the handler on the reporting thread, in order. <see cref="Progress{T}"/> would post to
/// the thread pool, losing order and racing with the end of the work it reports on.
/// </summary>
public sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
