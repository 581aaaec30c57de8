namespace HostPanel.Core.Operations;

public enum OperationKind
{
    Install,
    Start,
    Stop,
    Restart,
    Update,
    Remove,
    Purge,
    Backup,
    Restore,

    /// <summary>A restore drill: the latest backup restored as a throw-away copy and compared.</summary>
    Drill,

    /// <summary>Someone was given a backup repository's location and password.</summary>
    BackupKeyExport,

    /// <summary>The app moved to another address (its containers made again with it).</summary>
    ChangeDomain,
}

public enum OperationState
{
    /// <summary>Recorded, not started.</summary>
    Pending,

    Running,

    Succeeded,

    /// <summary>Failed; what it had done was undone (or could not be: see the reason).</summary>
    Failed,

    /// <summary>An update failed and the previous version runs again, its data untouched.</summary>
    RolledBack,

    /// <summary>The process died while it ran; the reconciler finishes or undoes it.</summary>
    Interrupted,
}

/// <summary>
/// One piece of long work on an installed app, as the journal keeps it: who asked for what, when,
/// how it ended and why. Readable after the fact; never holds a secret.
/// </summary>
public sealed record Operation
{
    public required Guid Id { get; init; }
    public required string Instance { get; init; }
    public required string OrganizationId { get; init; }
    public required OperationKind Kind { get; init; }
    public OperationState State { get; init; } = OperationState.Pending;

    /// <summary>Who asked: "cli:root", "user:alice@example.org", "schedule".</summary>
    public required string Actor { get; init; }

    public string? FromVersion { get; init; }
    public string? ToVersion { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>How it ended, in plain words, for a person.</summary>
    public string? Outcome { get; init; }

    /// <summary>The technical cause, for the log and the next volunteer.</summary>
    public string? Detail { get; init; }

    public bool IsFinished => State is OperationState.Succeeded or OperationState.Failed or OperationState.RolledBack;
}

public enum StepState
{
    Pending,
    Running,
    Done,
    Failed,
    Skipped,
}

/// <summary>One step of an operation's plan, with where it stands. <c>Undo</c> steps compensate a failure.</summary>
public sealed record OperationStep(Guid OperationId, int Index, bool Undo, PlanStep Step, StepState State, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Error);

/// <summary>One line of an operation's log.</summary>
public sealed record OperationLogLine(Guid OperationId, DateTimeOffset At, string Level, string Text);

/// <summary>
/// The journal: every operation and each of its steps, persisted before and after each step, so
/// a crash leaves a record the reconciler can finish or undo.
/// </summary>
public interface IOperationJournal
{
    Task CreateAsync(Operation operation, IReadOnlyList<PlanStep> steps, CancellationToken ct = default);

    Task<Operation?> FindAsync(Guid id, CancellationToken ct = default);

    Task<IReadOnlyList<Operation>> ListAsync(string? instance = null, string? organizationId = null, int limit = 200, CancellationToken ct = default);

    /// <summary>Operations that were started and never finished (Pending, Running or Interrupted).</summary>
    Task<IReadOnlyList<Operation>> UnfinishedAsync(CancellationToken ct = default);

    Task<IReadOnlyList<OperationStep>> StepsAsync(Guid id, CancellationToken ct = default);

    /// <summary>Appends compensation steps after the plan's own.</summary>
    Task AppendUndoStepsAsync(Guid id, IReadOnlyList<PlanStep> steps, CancellationToken ct = default);

    Task SetStepStateAsync(Guid id, int index, StepState state, string? error, DateTimeOffset at, CancellationToken ct = default);

    Task SetStateAsync(Guid id, OperationState state, string? outcome, string? detail, DateTimeOffset at, CancellationToken ct = default);

    Task AppendLogAsync(Guid id, string level, string text, DateTimeOffset at, CancellationToken ct = default);

    Task<IReadOnlyList<OperationLogLine>> LogAsync(Guid id, CancellationToken ct = default);
}
