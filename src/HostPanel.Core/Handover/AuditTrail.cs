using HostPanel.Core.Accounts;
using HostPanel.Core.Operations;

namespace HostPanel.Core.Handover;

/// <summary>
/// The one line a service writes after an action that changed something (or after a refusal).
/// A service built without an audit log (some unit tests) records nothing. The log's own
/// failures never come back here: the store logs them and keeps the action aside
/// (see <see cref="IAuditStore"/>), so an action that was done is never reported as failed.
/// </summary>
public static class AuditTrail
{
    public static Task RecordAsync(
        this IAuditLog? audit,
        Caller caller,
        string action,
        string? organizationId,
        string? subject,
        AuditResult result = AuditResult.Succeeded,
        string? detail = null,
        Guid? operationId = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return audit is null
            ? Task.CompletedTask
            : audit.RecordAsync(new AuditRecord { Actor = caller.Name, OrganizationId = organizationId, Action = action, Subject = subject, Result = result, Detail = detail, OperationId = operationId }, ct);
    }
}

/// <summary>Puts every finished operation in the audit log: who asked, on which app, how it ended, and the operation to look at.</summary>
public sealed class AuditObserver(IAuditLog audit) : IOperationObserver
{
    public async Task FinishedAsync(Operation operation, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (AuditActions.ResultOf(operation.State) is not { } result)
        {
            return;
        }

        await audit.RecordAsync(new AuditRecord
        {
            Actor = operation.Actor,
            OrganizationId = operation.OrganizationId,
            Action = AuditActions.ForOperation(operation.Kind),
            Subject = operation.Instance,
            Result = result,
            OperationId = operation.Id,

            // An operation's outcome is written for people and never holds a secret.
            Detail = operation.Outcome ?? Versions(operation),
        }, ct).ConfigureAwait(false);
    }

    private static string? Versions(Operation operation) =>
        operation.FromVersion is null && operation.ToVersion is null ? null
        : operation.FromVersion is null ? operation.ToVersion
        : $"{operation.FromVersion} → {operation.ToVersion}";
}
