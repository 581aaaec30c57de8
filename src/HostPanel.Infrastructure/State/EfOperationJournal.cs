using HostPanel.Core.Operations;
using HostPanel.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HostPanel.Infrastructure.State;

/// <summary>
/// The operations journal in the panel's database. Each call is its own short transaction,
/// committed before it returns, so the record survives a crash right after any step. Safe to use
/// from several threads: every call takes its own context.
/// </summary>
internal sealed class EfOperationJournal(IDbContextFactory<HostPanelDbContext> contexts) : IOperationJournal
{
    private static readonly OperationState[] Unfinished =
        [OperationState.Pending, OperationState.Running, OperationState.Interrupted];

    public async Task CreateAsync(Operation operation, IReadOnlyList<PlanStep> steps, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(steps);

        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Operations.Add(OperationRow.From(operation));
        db.OperationSteps.AddRange(steps.Select((step, index) => OperationStepRow.Pending(operation.Id, index, undo: false, step)));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (SqliteConstraint.IsUniqueViolation(e))
        {
            throw new InvalidOperationException($"The journal already holds an operation {operation.Id}.", e);
        }
    }

    public async Task<Operation?> FindAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Operations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        return row?.ToOperation();
    }

    /// <summary>The latest operations first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<Operation>> ListAsync(
        string? instance = null, string? organizationId = null, int limit = 200, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Operations.AsNoTracking();
        if (instance is not null)
        {
            query = query.Where(o => o.Instance == instance);
        }

        if (organizationId is not null)
        {
            query = query.Where(o => o.OrganizationId == organizationId);
        }

        var rows = await query.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).Take(limit).ToListAsync(ct);
        return [.. rows.Select(r => r.ToOperation())];
    }

    /// <summary>Pending, running and interrupted operations, the oldest first: the order to settle them in.</summary>
    public async Task<IReadOnlyList<Operation>> UnfinishedAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Operations.AsNoTracking()
            .Where(o => Unfinished.Contains(o.State))
            .OrderBy(o => o.CreatedAt).ThenBy(o => o.Id)
            .ToListAsync(ct);
        return [.. rows.Select(r => r.ToOperation())];
    }

    public async Task<IReadOnlyList<OperationStep>> StepsAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.OperationSteps.AsNoTracking().Where(s => s.OperationId == id).OrderBy(s => s.Index).ToListAsync(ct);
        return [.. rows.Select(r => r.ToStep())];
    }

    /// <summary>Numbers the undo steps on from the last step the operation has.</summary>
    public async Task AppendUndoStepsAsync(Guid id, IReadOnlyList<PlanStep> steps, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(steps);
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await EnsureExistsAsync(db, id, ct);
        var last = await db.OperationSteps.Where(s => s.OperationId == id).MaxAsync(s => (int?)s.Index, ct) ?? -1;
        db.OperationSteps.AddRange(steps.Select((step, offset) => OperationStepRow.Pending(id, last + 1 + offset, undo: true, step)));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Moves a step to <paramref name="state"/>. Running stamps the start (again, when a step is
    /// retried) and clears the end; Done, Failed and Skipped stamp the end; Pending clears both.
    /// The error is replaced by <paramref name="error"/>, null clearing it.
    /// </summary>
    public async Task SetStepStateAsync(Guid id, int index, StepState state, string? error, DateTimeOffset at, CancellationToken ct = default)
    {
        DateTimeOffset? finishedAt = state is StepState.Done or StepState.Failed or StepState.Skipped ? at : null;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var updated = await db.OperationSteps
            .Where(s => s.OperationId == id && s.Index == index)
            .ExecuteUpdateAsync(
                set =>
                {
                    set.SetProperty(s => s.State, state);
                    set.SetProperty(s => s.Error, error);
                    set.SetProperty(s => s.FinishedAt, finishedAt);
                    if (state == StepState.Running)
                    {
                        set.SetProperty(s => s.StartedAt, at);
                    }
                    else if (state == StepState.Pending)
                    {
                        set.SetProperty(s => s.StartedAt, (DateTimeOffset?)null);
                    }
                },
                ct);
        if (updated == 0)
        {
            throw new InvalidOperationException($"Operation {id} has no step {index}.");
        }
    }

    /// <summary>
    /// Moves the operation to <paramref name="state"/>, replacing its outcome and detail. A finished
    /// state (succeeded, failed, rolled back) stamps the end; any other clears it.
    /// </summary>
    public async Task SetStateAsync(Guid id, OperationState state, string? outcome, string? detail, DateTimeOffset at, CancellationToken ct = default)
    {
        DateTimeOffset? finishedAt = state is OperationState.Succeeded or OperationState.Failed or OperationState.RolledBack ? at : null;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var updated = await db.Operations
            .Where(o => o.Id == id)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(o => o.State, state)
                    .SetProperty(o => o.Outcome, outcome)
                    .SetProperty(o => o.Detail, detail)
                    .SetProperty(o => o.FinishedAt, finishedAt),
                ct);
        if (updated == 0)
        {
            throw new InvalidOperationException($"The journal holds no operation {id}.");
        }
    }

    public async Task AppendLogAsync(Guid id, string level, string text, DateTimeOffset at, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(level);
        ArgumentNullException.ThrowIfNull(text);
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.OperationLogLines.Add(new OperationLogLineRow { OperationId = id, At = at, Level = level, Text = text });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (SqliteConstraint.IsForeignKeyViolation(e))
        {
            throw new InvalidOperationException($"The journal holds no operation {id}.", e);
        }
    }

    /// <summary>The operation's log in the order it was written, whatever the clock said.</summary>
    public async Task<IReadOnlyList<OperationLogLine>> LogAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.OperationLogLines.AsNoTracking()
            .Where(l => l.OperationId == id)
            .OrderBy(l => l.Id)
            .ToListAsync(ct);
        return [.. rows.Select(r => r.ToLine())];
    }

    private static async Task EnsureExistsAsync(HostPanelDbContext db, Guid id, CancellationToken ct)
    {
        if (!await db.Operations.AnyAsync(o => o.Id == id, ct))
        {
            throw new InvalidOperationException($"The journal holds no operation {id}.");
        }
    }
}
