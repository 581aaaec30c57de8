using HostPanel.Core.Operations;
using HostPanel.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostPanel.Infrastructure.State;

/// <summary>An <see cref="OperationLogLine"/>; the id, growing with each line, keeps the order they were written in.</summary>
internal sealed class OperationLogLineRow
{
    public long Id { get; set; }

    public Guid OperationId { get; set; }

    public DateTimeOffset At { get; set; }

    public string Level { get; set; } = "";

    public string Text { get; set; } = "";

    public OperationLogLine ToLine() => new(OperationId, At, Level, Text);
}

internal sealed class OperationLogLineRowConfiguration : IEntityTypeConfiguration<OperationLogLineRow>
{
    public void Configure(EntityTypeBuilder<OperationLogLineRow> builder)
    {
        builder.ToTable("OperationLogLines");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Id).ValueGeneratedOnAdd();
        builder.Property(l => l.At).HasConversion(UtcTicks.Converter);
        builder.Property(l => l.Level).HasMaxLength(StateColumns.EnumLength).IsRequired();
        builder.Property(l => l.Text).IsRequired();

        builder.HasOne<OperationRow>()
            .WithMany()
            .HasForeignKey(l => l.OperationId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}
