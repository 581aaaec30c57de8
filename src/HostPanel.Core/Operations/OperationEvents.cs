using HostPanel.Core.Engine;

namespace HostPanel.Core.Operations;

/// <summary>Something that happened in an operation, for whoever watches (panel, CLI).</summary>
public abstract record OperationEvent(Guid OperationId, DateTimeOffset At);

/// <summary>
/// An operation is handed to the runner (it may still wait for the app's lock). Published on the
/// caller's own flow, so whoever asked for the work learns which operation it is.
/// </summary>
public sealed record OperationStarted(Guid OperationId, DateTimeOffset At, string Instance, string OrganizationId, OperationKind Kind) : OperationEvent(OperationId, At);

public sealed record StepStarted(Guid OperationId, DateTimeOffset At, int Index, int Count, bool Undo, string Description) : OperationEvent(OperationId, At);

public sealed record StepFinished(Guid OperationId, DateTimeOffset At, int Index, bool Undo, StepState State, string? Error) : OperationEvent(OperationId, At);

/// <summary>
/// Image pull progress of one layer, with its <see cref="PullPhase"/> so that a watcher can fold
/// the layers of each image into one picture (<see cref="PullProgressTracker"/>).
/// </summary>
public sealed record PullProgressed(Guid OperationId, DateTimeOffset At, string Image, string? Layer, string Status, long? Current, long? Total, PullPhase Phase = PullPhase.Other) : OperationEvent(OperationId, At);

/// <summary>Bytes and files moved so far by a backup or a restore.</summary>
public sealed record TransferProgressed(Guid OperationId, DateTimeOffset At, string What, long BytesDone, long BytesTotal, long FilesDone, long FilesTotal) : OperationEvent(OperationId, At);

public sealed record OperationFinished(Guid OperationId, DateTimeOffset At, OperationState State, string? Outcome) : OperationEvent(OperationId, At);

/// <summary>
/// The live stream of operation events: one singleton that panels and terminals subscribe to.
/// Subscribers never slow the operation down: a slow one misses events, not the other way round.
/// </summary>
public sealed class OperationEvents
{
    private readonly Lock _gate = new();
    private readonly List<Action<OperationEvent>> _subscribers = [];

    public IDisposable Subscribe(Action<OperationEvent> onEvent)
    {
        lock (_gate)
        {
            _subscribers.Add(onEvent);
        }

        return new Subscription(this, onEvent);
    }

    /// <summary>
    /// Like <see cref="Subscribe"/>, but <paramref name="onEvent"/> runs in the subscriber's own
    /// execution context (its culture among others), not in the publisher's: a page of a person
    /// reading English, refreshed by an operation a schedule runs, stays in English.
    /// </summary>
    public IDisposable SubscribeHere(Action<OperationEvent> onEvent)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        if (ExecutionContext.Capture() is not { } context)
        {
            return Subscribe(onEvent);
        }

        return Subscribe(e => ExecutionContext.Run(context, _ => onEvent(e), null));
    }

    public void Publish(OperationEvent e)
    {
        Action<OperationEvent>[] subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers];
        }

        foreach (var subscriber in subscribers)
        {
            try
            {
                subscriber(e);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A broken watcher must not break the operation it watches.
            }
        }
    }

    private sealed class Subscription(OperationEvents owner, Action<OperationEvent> onEvent) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._subscribers.Remove(onEvent);
            }
        }
    }
}
