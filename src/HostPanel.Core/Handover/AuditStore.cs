namespace HostPanel.Core.Handover;

/// <summary>
/// Which entries to read: those of <see cref="OrganizationIds"/> (null: every entry, server-wide
/// ones included), written at or after <see cref="Since"/>, at most <see cref="Limit"/>, newest first.
/// </summary>
public sealed record AuditQuery(IReadOnlyCollection<string>? OrganizationIds = null, DateTimeOffset? Since = null, int? Limit = null);

/// <summary>An action that was done but could not be written in the log, as kept beside it.</summary>
public sealed record UnrecordedAction(DateTimeOffset At, AuditRecord Record, string Reason);

/// <summary>Where the audit log is kept, and what is kept beside it to check it.</summary>
public interface IAuditStore : IAuditLog
{
    /// <summary>Appends the record as the next entry and returns it; throws when it could not be written.</summary>
    Task<AuditEntry> AppendAsync(AuditRecord record, CancellationToken ct = default);

    /// <summary>Every entry in the order the table holds them (not sorted by sequence: that is what is checked).</summary>
    Task<IReadOnlyList<AuditEntry>> ChainAsync(CancellationToken ct = default);

    /// <summary>The head anchor, or null when there is none.</summary>
    Task<AuditAnchor?> AnchorAsync(CancellationToken ct = default);

    Task<IReadOnlyList<AuditEntry>> ListAsync(AuditQuery query, CancellationToken ct = default);

    /// <summary>Actions done that could not be written in the log (the database was not reachable…).</summary>
    Task<IReadOnlyList<UnrecordedAction>> UnrecordedAsync(CancellationToken ct = default);
}
