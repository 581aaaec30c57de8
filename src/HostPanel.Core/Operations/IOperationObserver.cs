namespace HostPanel.Core.Operations;

/// <summary>
/// Work that follows every finished operation (succeeded, failed or rolled back), outside the
/// app's lock: keeping the edge proxy and certificates in line with the app's new state.
/// Its exceptions are logged in the operation, never change its outcome.
/// </summary>
public interface IOperationObserver
{
    Task FinishedAsync(Operation operation, CancellationToken ct = default);
}
