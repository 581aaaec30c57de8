using HostPanel.Core.Resources;

namespace HostPanel.Core.Operations;

/// <summary>Carries out one step; steps are idempotent, so running one twice is harmless.</summary>
public interface IStepExecutor
{
    Task ExecuteAsync(Operation operation, PlanStep step, CancellationToken ct);
}

/// <summary>What undoes a failed or interrupted operation, given how far it went.</summary>
public interface ICompensationPlanner
{
    /// <summary>
    /// The steps that put things back after <paramref name="done"/> (the steps completed so far).
    /// Null when the operation is simply carried forward again (its steps are safe to repeat).
    /// </summary>
    Task<IReadOnlyList<PlanStep>?> UndoAsync(Operation operation, IReadOnlyList<OperationStep> done, CancellationToken ct);
}

/// <summary>Why an operation failed, in words a volunteer can act on, and the technical cause.</summary>
public sealed class OperationFailedException(string outcome, string detail, Exception? inner = null) : Exception(outcome, inner)
{
    public string Outcome { get; } = outcome;
    public string Detail { get; } = detail;
}

/// <summary>
/// Runs operations under the journal: each step is recorded as started before it runs and as
/// done after, so a crash at any point leaves a record. A failure runs the compensation steps;
/// an interrupted operation is picked up by running it again (the reconciler does).
/// </summary>
public sealed class OperationRunner(
    IOperationJournal journal,
    IStepExecutor executor,
    ICompensationPlanner compensation,
    InstanceLocks locks,
    OperationEvents events,
    TimeProvider time,
    IEnumerable<IOperationObserver>? observers = null)
{
    /// <summary>Runs (or resumes) the operation to its end and returns it as the journal then holds it.</summary>
    public async Task<Operation> RunAsync(Guid id, CancellationToken ct = default)
    {
        var operation = await journal.FindAsync(id, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"No operation {id} in the journal.");
        events.Publish(new OperationStarted(operation.Id, time.GetUtcNow(), operation.Instance, operation.OrganizationId, operation.Kind));
        var finished = await locks.RunAsync(operation.Instance, LockWait.Wait, () => RunHeldAsync(id, ct), ct).ConfigureAwait(false);
        foreach (var observer in observers ?? [])
        {
            // What follows an operation (the proxy's routes, a certificate) never changes its
            // outcome: a failure there is written in the operation's log for people to see.
            try
            {
                await observer.FinishedAsync(finished, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                await LogAsync(finished.Id, "warning", e.Message, CancellationToken.None).ConfigureAwait(false);
            }
        }

        return finished;
    }

    private async Task<Operation> RunHeldAsync(Guid id, CancellationToken ct)
    {
        var operation = (await journal.FindAsync(id, ct).ConfigureAwait(false))!;
        if (operation.IsFinished)
        {
            return operation;
        }

        var interrupted = operation.State is OperationState.Running or OperationState.Interrupted;
        await journal.SetStateAsync(id, OperationState.Running, null, null, time.GetUtcNow(), ct).ConfigureAwait(false);
        var steps = await journal.StepsAsync(id, ct).ConfigureAwait(false);

        if (interrupted && !steps.Any(s => s.Undo) && steps.All(s => s.State == StepState.Done))
        {
            // Every step was done; only the final mark was lost.
            return await FinishAsync(operation, OperationState.Succeeded, null, null).ConfigureAwait(false);
        }

        if (interrupted && !steps.Any(s => s.Undo))
        {
            await LogAsync(id, "warn", "The operation was interrupted (the panel or the server stopped); picking it up where it was.", ct).ConfigureAwait(false);
            var plan = await compensation.UndoAsync(operation, [.. steps.Where(s => s.State == StepState.Done)], ct).ConfigureAwait(false);
            if (plan is not null)
            {
                await journal.AppendUndoStepsAsync(id, plan, ct).ConfigureAwait(false);
                return await UndoAsync(operation, "The operation was interrupted; what it had started was undone.", "interrupted", ct).ConfigureAwait(false);
            }
        }

        if (steps.Any(s => s.Undo))
        {
            return await UndoAsync(operation, operation.Outcome ?? "The operation failed; what it had started was undone.", operation.Detail ?? "interrupted while undoing", ct).ConfigureAwait(false);
        }

        var forward = steps.Where(s => !s.Undo).ToList();
        foreach (var block in Blocks(forward.Where(s => s.State != StepState.Done)))
        {
            if (await RunBlockAsync(operation, block, forward.Count, ct).ConfigureAwait(false) is { } failure)
            {
                var (outcome, detail) = Explain(failure.Error);
                await journal.SetStepStateAsync(id, failure.Step.Index, StepState.Failed, detail, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
                await LogAsync(id, "error", $"{failure.Step.Step.Describe()} failed: {detail}", CancellationToken.None).ConfigureAwait(false);
                var done = (await journal.StepsAsync(id, CancellationToken.None).ConfigureAwait(false)).Where(s => s.State == StepState.Done).ToList();
                var plan = await compensation.UndoAsync(operation, done, CancellationToken.None).ConfigureAwait(false);
                if (plan is null)
                {
                    return await FinishAsync(operation, OperationState.Failed, outcome, detail).ConfigureAwait(false);
                }

                await journal.AppendUndoStepsAsync(id, plan, CancellationToken.None).ConfigureAwait(false);
                return await UndoAsync(operation, outcome, detail, CancellationToken.None).ConfigureAwait(false);
            }
        }

        return await FinishAsync(operation, OperationState.Succeeded, null, null).ConfigureAwait(false);
    }

    /// <summary>Runs the undo steps. An update that got its previous version back ends "rolled back".</summary>
    private async Task<Operation> UndoAsync(Operation operation, string outcome, string detail, CancellationToken ct)
    {
        var steps = await journal.StepsAsync(operation.Id, ct).ConfigureAwait(false);
        var undo = steps.Where(s => s.Undo).ToList();
        foreach (var step in undo.Where(s => s.State != StepState.Done))
        {
            try
            {
                await RunStepAsync(operation, step, step.Index - undo[0].Index + 1, undo.Count, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var (_, undoDetail) = Explain(e);
                await journal.SetStepStateAsync(operation.Id, step.Index, StepState.Failed, undoDetail, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);

                // Left unfinished on purpose: the undo steps are idempotent and `hostpanel
                // reconcile` (also run when the panel starts) tries them again.
                return await FinishAsync(
                    operation,
                    OperationState.Interrupted,
                    $"{outcome} Putting things back did not finish either: {step.Step.Describe()} failed. The data volumes were not deleted; run `hostpanel reconcile`, then look at the operation's log.",
                    $"{detail}; undo: {undoDetail}").ConfigureAwait(false);
            }
        }

        var state = operation.Kind == OperationKind.Update ? OperationState.RolledBack : OperationState.Failed;
        var said = operation.Kind switch
        {
            OperationKind.Update => CoreText.Format("UpdateRolledBack", operation.Instance, operation.FromVersion, outcome),
            OperationKind.Install => CoreText.Format("InstallFailed", operation.Instance, outcome),
            OperationKind.Restore => CoreText.Format("RestoreFailed", operation.Instance, outcome),
            OperationKind.Backup => CoreText.Format("BackupFailed", operation.Instance, outcome),
            _ => outcome,
        };
        return await FinishAsync(operation, state, said, detail).ConfigureAwait(false);
    }

    /// <summary>
    /// Cuts the steps into blocks: consecutive steps of one stage form a block, any other step is
    /// a block of its own.
    /// </summary>
    private static IEnumerable<List<OperationStep>> Blocks(IEnumerable<OperationStep> steps)
    {
        var block = new List<OperationStep>();
        foreach (var step in steps)
        {
            if (block.Count > 0 && (step.Step.Stage is null || step.Step.Stage != block[0].Step.Stage))
            {
                yield return block;
                block = [];
            }

            block.Add(step);
        }

        if (block.Count > 0)
        {
            yield return block;
        }
    }

    /// <summary>
    /// Runs a block: its lanes side by side, each lane's steps in order. The first failure stops
    /// the other lanes (their running step is marked failed as stopped) and is returned; null
    /// when every step succeeded. Cancellation of <paramref name="ct"/> is thrown, as for one step.
    /// </summary>
    private async Task<(OperationStep Step, Exception Error)?> RunBlockAsync(Operation operation, List<OperationStep> block, int count, CancellationToken ct)
    {
        if (block.Count == 1)
        {
            try
            {
                await RunStepAsync(operation, block[0], block[0].Index + 1, count, ct).ConfigureAwait(false);
                return null;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                return (block[0], e);
            }
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        (OperationStep Step, Exception Error)? first = null;
        var gate = new object();
        var lanes = block.GroupBy(s => s.Step.Lane).Select(async lane =>
        {
            foreach (var step in lane)
            {
                try
                {
                    await RunStepAsync(operation, step, step.Index + 1, count, stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    bool later;
                    lock (gate)
                    {
                        later = first is not null;
                        first ??= (step, e);
                    }

                    if (later)
                    {
                        // The first failure is recorded by the caller; this one only needs its mark.
                        var detail = e is OperationCanceledException ? "stopped: a step running beside it failed" : Explain(e).Detail;
                        await journal.SetStepStateAsync(operation.Id, step.Index, StepState.Failed, detail, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
                    }

                    await stop.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        });
        await Task.WhenAll(lanes).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        return first;
    }

    private async Task RunStepAsync(Operation operation, OperationStep step, int number, int count, CancellationToken ct)
    {
        var description = step.Step.Describe();
        events.Publish(new StepStarted(operation.Id, time.GetUtcNow(), number - 1, count, step.Undo, description));
        await journal.SetStepStateAsync(operation.Id, step.Index, StepState.Running, null, time.GetUtcNow(), ct).ConfigureAwait(false);
        await LogAsync(operation.Id, "info", (step.Undo ? "undo: " : string.Empty) + description, ct).ConfigureAwait(false);
        await executor.ExecuteAsync(operation, step.Step, ct).ConfigureAwait(false);
        await journal.SetStepStateAsync(operation.Id, step.Index, StepState.Done, null, time.GetUtcNow(), ct).ConfigureAwait(false);
        events.Publish(new StepFinished(operation.Id, time.GetUtcNow(), step.Index, step.Undo, StepState.Done, null));
    }

    private async Task<Operation> FinishAsync(Operation operation, OperationState state, string? outcome, string? detail)
    {
        await journal.SetStateAsync(operation.Id, state, outcome, detail, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        if (outcome is not null)
        {
            await LogAsync(operation.Id, state == OperationState.Succeeded ? "info" : "error", outcome, CancellationToken.None).ConfigureAwait(false);
        }

        events.Publish(new OperationFinished(operation.Id, time.GetUtcNow(), state, outcome));
        return (await journal.FindAsync(operation.Id, CancellationToken.None).ConfigureAwait(false))!;
    }

    private Task LogAsync(Guid id, string level, string text, CancellationToken ct) =>
        journal.AppendLogAsync(id, level, text, time.GetUtcNow(), ct);

    private static (string Outcome, string Detail) Explain(Exception e) => e switch
    {
        OperationFailedException failed => (failed.Outcome, failed.Detail),
        OperationCanceledException => (CoreText.Get("OperationTimedOut"), e.Message),
        _ => (e.Message, e.GetType().Name + ": " + e.Message),
    };
}
