using HostPanel.Core.Handover;
using HostPanel.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostPanel.Infrastructure.Handover;

/// <summary>
/// An <see cref="AuditEntry"/> as the AuditEntries table holds it. <see cref="Id"/> is the row id
/// (the order rows were written in); <see cref="Sequence"/> is the entry's place in the chain,
/// kept apart so that rows moved around show.
/// </summary>
internal sealed class AuditEntryRow
{
    public long Id { get; set; }

    public long Sequence { get; set; }

    public DateTimeOffset At { get; set; }

    public string Actor { get; set; } = "";

    public string? OrganizationId { get; set; }

    public string Action { get; set; } = "";

    public string? Subject { get; set; }

    public AuditResult Result { get; set; }

    public Guid? OperationId { get; set; }

    public string? Detail { get; set; }

    public string PreviousHash { get; set; } = "";

    public string Hash { get; set; } = "";

    public static AuditEntryRow From(AuditEntry entry) => new()
    {
        Sequence = entry.Sequence,
        At = entry.At,
        Actor = entry.Actor,
        OrganizationId = entry.OrganizationId,
        Action = entry.Action,
        Subject = entry.Subject,
        Result = entry.Result,
        OperationId = entry.OperationId,
        Detail = entry.Detail,
        PreviousHash = entry.PreviousHash,
        Hash = entry.Hash,
    };

    public AuditEntry ToEntry() =>
        new(Sequence, At, Actor, OrganizationId, Action, Subject, Result, OperationId, Detail, PreviousHash, Hash);
}

internal sealed class AuditEntryRowConfiguration : IEntityTypeConfiguration<AuditEntryRow>
{
    public void Configure(EntityTypeBuilder<AuditEntryRow> builder)
    {
        builder.ToTable("AuditEntries");
        builder.HasKey(e => e.Id);
        builder.HasIndex(e => e.Sequence).IsUnique();
        builder.HasIndex(e => new { e.OrganizationId, e.At });
        builder.HasIndex(e => e.At);
        builder.Property(e => e.At).HasConversion(UtcTicks.Converter);
        builder.Property(e => e.Actor).HasMaxLength(AuditChain.ActorMaxLength);
        builder.Property(e => e.OrganizationId).HasMaxLength(AuditChain.OrganizationMaxLength);
        builder.Property(e => e.Action).HasMaxLength(AuditChain.ActionMaxLength);
        builder.Property(e => e.Subject).HasMaxLength(AuditChain.SubjectMaxLength);
        builder.Property(e => e.Detail).HasMaxLength(AuditChain.DetailMaxLength);
        builder.Property(e => e.Result).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.PreviousHash).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);
    }
}
