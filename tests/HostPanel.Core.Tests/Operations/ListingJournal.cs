using HostPanel.Core.Operations;

namespace HostPanel.Core.Tests.Operations;

/// <summary>A journal that only lists the operations a test puts in it (newest first), as the real one does.</summary>
internal sealed class ListingJournal : IOperationJournal
{
    public List<Operation> Operations { get; } = [];

    public Task<IReadOnlyList<Operation>> ListAsync(string? instance = null, string? organizationId = null, int limit = 200, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Operation>>([.. Operations.Where(o => (instance is null || o.Instance == instance) && (organizationId is null || o.OrganizationId == organizationId)).OrderByDescending(o => o.CreatedAt).Take(limit)]);

    public Task CreateAsync(Operation operation, IReadOnlyList<PlanStep> steps, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<Operation?> FindAsync(Guid id, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<Operation>> UnfinishedAsync(CancellationToken ct = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<OperationStep>> StepsAsync(Guid id, CancellationToken ct = default) => throw new NotSupportedException();

    public Task AppendUndoStepsAsync(Guid id, IReadOnlyList<PlanStep> steps, CancellationToken ct = default) => throw new NotSupportedException();

    public Task SetStepStateAsync(Guid id, int index, StepState state, string? error, DateTimeOffset at, CancellationToken ct = default) => throw new NotSupportedException();

    public Task SetStateAsync(Guid id, OperationState state, string? outcome, string? detail, DateTimeOffset at, CancellationToken ct = default) => throw new NotSupportedException();

    public Task AppendLogAsync(Guid id, string level, string text, DateTimeOffset at, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<OperationLogLine>> LogAsync(Guid id, CancellationToken ct = default) => throw new NotSupportedException();
}
