namespace HostPanel.Acme;

/// <summary>A DNS-01 TXT record.</summary>
/// <param name="Name">The fully qualified record name, without a trailing dot.</param>
/// <param name="Value">The record value.</param>
public sealed record DnsTxtRecord(string Name, string Value);

/// <summary>The record a person is asked to create or may now delete.</summary>
/// <param name="record">The record.</param>
public sealed class DnsTxtRecordEventArgs(DnsTxtRecord record) : EventArgs
{
    /// <summary>The record.</summary>
    public DnsTxtRecord Record { get; } = record;
}

/// <summary>
/// A DNS provider for zones nobody can change by program: it reports each record a person must create
/// (<see cref="RecordRequested"/>) and waits, at most the confirmation timeout, until the caller
/// <see cref="Confirm"/>s that the person created it; afterwards it reports the records that may go
/// (<see cref="RecordReleased"/>).
/// </summary>
public sealed class ManualDnsProvider : IDnsProvider
{
    private readonly Dictionary<DnsTxtRecord, TaskCompletionSource> records = [];
    private readonly Lock gate = new();
    private readonly TimeSpan confirmationTimeout;
    private readonly TimeProvider timeProvider;

    /// <summary>Creates the provider.</summary>
    /// <param name="confirmationTimeout">How long to wait for the confirmation of a record.</param>
    /// <param name="timeProvider">The clock of the timeout; the system clock by default.</param>
    public ManualDnsProvider(TimeSpan confirmationTimeout, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(confirmationTimeout, TimeSpan.Zero);
        this.confirmationTimeout = confirmationTimeout;
        this.timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>A record must be created; call <see cref="Confirm"/> once it exists.</summary>
    public event EventHandler<DnsTxtRecordEventArgs>? RecordRequested;

    /// <summary>A record is no longer needed and may be deleted.</summary>
    public event EventHandler<DnsTxtRecordEventArgs>? RecordReleased;

    /// <summary>The records requested and not yet confirmed.</summary>
    public IReadOnlyList<DnsTxtRecord> PendingRecords
    {
        get
        {
            lock (gate)
            {
                return [.. records.Where(r => !r.Value.Task.IsCompleted).Select(r => r.Key)];
            }
        }
    }

    /// <summary>Confirms that every requested record of this name now exists.</summary>
    /// <param name="name">The record name (case and a trailing dot do not matter).</param>
    /// <returns>How many pending records this confirmed.</returns>
    public int Confirm(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var normalized = NormalizeName(name);
        var confirmed = 0;
        lock (gate)
        {
            foreach (var (record, done) in records)
            {
                if (record.Name == normalized && done.TrySetResult())
                {
                    confirmed++;
                }
            }
        }

        return confirmed;
    }

    /// <inheritdoc/>
    public Task CreateTxtRecordAsync(string name, string value, CancellationToken cancellationToken)
    {
        var record = Record(name, value);
        lock (gate)
        {
            if (!records.ContainsKey(record))
            {
                records[record] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        RecordRequested?.Invoke(this, new DnsTxtRecordEventArgs(record));
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task DeleteTxtRecordAsync(string name, string value, CancellationToken cancellationToken)
    {
        var record = Record(name, value);
        bool removed;
        lock (gate)
        {
            removed = records.Remove(record, out var done);
            done?.TrySetCanceled(CancellationToken.None);
        }

        if (removed)
        {
            RecordReleased?.Invoke(this, new DnsTxtRecordEventArgs(record));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    /// <exception cref="TimeoutException">Nobody confirmed the record within the confirmation timeout.</exception>
    public async Task WaitForTxtRecordAsync(string name, string value, CancellationToken cancellationToken)
    {
        var record = Record(name, value);
        TaskCompletionSource? done;
        lock (gate)
        {
            records.TryGetValue(record, out done);
        }

        if (done is null)
        {
            throw new InvalidOperationException($"No TXT record {record.Name} with this value was requested.");
        }

        try
        {
            await done.Task.WaitAsync(confirmationTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The TXT record {record.Name} = \"{record.Value}\" was not confirmed within {confirmationTimeout}.", e);
        }
    }

    private static DnsTxtRecord Record(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(value);
        return new DnsTxtRecord(NormalizeName(name), value);
    }

    private static string NormalizeName(string name) => name.Trim().TrimEnd('.').ToLowerInvariant();
}
