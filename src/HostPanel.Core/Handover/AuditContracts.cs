namespace HostPanel.Core.Handover;

/// <summary>How an audited action ended.</summary>
public enum AuditResult
{
    Succeeded,
    Failed,

    /// <summary>An update failed and the previous version runs again.</summary>
    RolledBack,

    /// <summary>The caller was not allowed, or the request was refused before anything changed.</summary>
    Refused,
}

/// <summary>
/// One action to put in the audit log: who (the caller's name: an e-mail address, "root",
/// "schedule"), what (a stable action code such as "app.install"), where (the organization, or
/// none for the whole server), on what, how it ended, and the operation it started, if any.
/// <see cref="Detail"/> is plain words for the next volunteer and never holds a secret.
/// </summary>
public sealed record AuditRecord
{
    public required string Actor { get; init; }

    /// <summary>The organization the action belongs to; null for server-wide actions.</summary>
    public string? OrganizationId { get; init; }

    /// <summary>A stable code ("app.install", "member.promote"…); the words are chosen when it is read.</summary>
    public required string Action { get; init; }

    /// <summary>What the action was about: an app name, an e-mail address, a domain…</summary>
    public string? Subject { get; init; }

    public required AuditResult Result { get; init; }

    public Guid? OperationId { get; init; }

    public string? Detail { get; init; }
}

/// <summary>Appends to the tamper-evident audit log (each entry carries the hash of the one before).</summary>
public interface IAuditLog
{
    Task RecordAsync(AuditRecord record, CancellationToken ct = default);
}
