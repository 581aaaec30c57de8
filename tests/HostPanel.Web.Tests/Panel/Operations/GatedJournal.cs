using HostPanel.Core.Operations;

namespace HostPanel.Web.Tests.Panel.Operations;

/// <summary>
/// The real journal with a hand on its reads: held (the page waits: its loading state) or
/// failing (a database that does not answer: its error state). Writes always go through.
/// </summary>
public sealed class GatedJournal(IOperationJournal inner) : IOperationJournal
{
    private TaskCompletionSource _gate = Open();

    /// <summary>When set, every read throws it.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Reads wait until <see cref="Release"/>.</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate.TrySetResult();

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource();
        open.SetResult();
        return open;
    }

    private async Task<T> ReadAsync<T>(Func<Task<T>> read)
    {
        await _gate.Task;
        return Failure is { } failure ? throw failure : await read();
    }

    public Task CreateAsync(Operation operation, IReadOnlyList<PlanStep> steps, CancellationToken ct = default) => inner.CreateAsync(operation, steps, ct);

    public Task<Operation?> FindAsync(Guid id, CancellationToken ct = default) => ReadAsync(() => inner.FindAsync(id, ct));

    public Task<IReadOnlyList<Operation>> ListAsync(string? instance = null, string? organizationId = null, int limit = 200, CancellationToken ct = default) =>
        ReadAsync(() => inner.ListAsync(instance, organizationId, limit, ct));

    public Task<IReadOnlyList<Operation>> UnfinishedAsync(CancellationToken ct = default) => ReadAsync(() => inner.UnfinishedAsync(ct));

    public Task<IReadOnlyList<OperationStep>> StepsAsync(Guid id, CancellationToken ct = default) => ReadAsync(() => inner.StepsAsync(id, ct));

    public Task AppendUndoStepsAsync(Guid id, IReadOnlyList<PlanStep> steps, CancellationToken ct = default) => inner.AppendUndoStepsAsync(id, steps, ct);

    public Task SetStepStateAsync(Guid id, int index, StepState state, string? error, DateTimeOffset at, CancellationToken ct = default) =>
        inner.SetStepStateAsync(id, index, state, error, at, ct);

    public Task SetStateAsync(Guid id, OperationState state, string? outcome, string? detail, DateTimeOffset at, CancellationToken ct = default) =>
        inner.SetStateAsync(id, state, outcome, detail, at, ct);

    public Task AppendLogAsync(Guid id, string level, string text, DateTimeOffset at, CancellationToken ct = default) => inner.AppendLogAsync(id, level, text, at, ct);

    public Task<IReadOnlyList<OperationLogLine>> LogAsync(Guid id, CancellationToken ct = default) => ReadAsync(() => inner.LogAsync(id, ct));
}
