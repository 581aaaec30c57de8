using HostPanel.Core.Handover;
using HostPanel.Core.Operations;

namespace HostPanel.Core.Tests.Handover;

/// <summary>Every finished operation goes in the audit log, with how it ended and the operation to look at.</summary>
public sealed class AuditObserverTests
{
    private sealed class Kept : IAuditLog
    {
        public List<AuditRecord> Records { get; } = [];

        public Task RecordAsync(AuditRecord record, CancellationToken ct = default)
        {
            Records.Add(record);
            return Task.CompletedTask;
        }
    }

    private static Operation Finished(OperationKind kind, OperationState state, string? outcome = null) => new()
    {
        Id = Guid.CreateVersion7(),
        Instance = "cloud",
        OrganizationId = "velo",
        Kind = kind,
        State = state,
        Actor = "alice@velo.example.org",
        FromVersion = "30",
        ToVersion = "31",
        CreatedAt = DateTimeOffset.UtcNow,
        Outcome = outcome,
    };

    [Theory]
    [InlineData(OperationKind.Install, OperationState.Succeeded, "app.install", AuditResult.Succeeded)]
    [InlineData(OperationKind.Update, OperationState.RolledBack, "app.update", AuditResult.RolledBack)]
    [InlineData(OperationKind.Backup, OperationState.Failed, "app.backup", AuditResult.Failed)]
    [InlineData(OperationKind.Restore, OperationState.Interrupted, "app.restore", AuditResult.Failed)]
    [InlineData(OperationKind.ChangeDomain, OperationState.Succeeded, "app.change-domain", AuditResult.Succeeded)]
    public async Task AFinishedOperationIsRecordedWithItsResultAndId(OperationKind kind, OperationState state, string action, AuditResult result)
    {
        var kept = new Kept();
        var operation = Finished(kind, state, state == OperationState.Succeeded ? null : "The backup location is full.");

        await new AuditObserver(kept).FinishedAsync(operation, TestContext.Current.CancellationToken);

        var record = Assert.Single(kept.Records);
        Assert.Equal(new AuditRecord
        {
            Actor = "alice@velo.example.org",
            OrganizationId = "velo",
            Action = action,
            Subject = "cloud",
            Result = result,
            OperationId = operation.Id,
            Detail = state == OperationState.Succeeded ? "30 → 31" : "The backup location is full.",
        }, record);
    }

    [Theory]
    [InlineData(OperationState.Pending)]
    [InlineData(OperationState.Running)]
    public async Task AnUnfinishedOperationIsNotRecorded(OperationState state)
    {
        var kept = new Kept();

        await new AuditObserver(kept).FinishedAsync(Finished(OperationKind.Install, state), TestContext.Current.CancellationToken);

        Assert.Empty(kept.Records);
    }
}
