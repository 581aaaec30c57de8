using HostPanel.Core.Operations;
using HostPanel.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostPanel.Infrastructure.State;

/// <summary>An <see cref="OperationStep"/>; the plan step itself is JSON text (see <see cref="PlanStepJson"/>).</summary>
internal sealed class OperationStepRow
{
    public Guid OperationId { get; set; }

    public int Index { get; set; }

    public bool Undo { get; set; }

    public string StepJson { get; set; } = "";

    public StepState State { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public string? Error { get; set; }

    public static OperationStepRow Pending(Guid operationId, int index, bool undo, PlanStep step) => new()
    {
        OperationId = operationId,
        Index = index,
        Undo = undo,
        StepJson = PlanStepJson.Write(step),
        State = StepState.Pending,
    };

    public OperationStep ToStep() =>
        new(OperationId, Index, Undo, PlanStepJson.Read(StepJson, OperationId, Index), State, StartedAt, FinishedAt, Error);
}

internal sealed class OperationStepRowConfiguration : IEntityTypeConfiguration<OperationStepRow>
{
    public void Configure(EntityTypeBuilder<OperationStepRow> builder)
    {
        builder.ToTable("OperationSteps");
        builder.HasKey(s => new { s.OperationId, s.Index });
        builder.Property(s => s.StepJson).IsRequired();
        builder.Property(s => s.State).HasConversion<string>().HasMaxLength(StateColumns.EnumLength);
        builder.Property(s => s.StartedAt).HasConversion(UtcTicks.Converter);
        builder.Property(s => s.FinishedAt).HasConversion(UtcTicks.Converter);

        builder.HasOne<OperationRow>()
            .WithMany()
            .HasForeignKey(s => s.OperationId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}
