using HostPanel.Core.Operations;
using HostPanel.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostPanel.Infrastructure.State;

/// <summary>An <see cref="Operation"/> as the Operations table holds it.</summary>
internal sealed class OperationRow
{
    public Guid Id { get; set; }

    public string Instance { get; set; } = "";

    public string OrganizationId { get; set; } = "";

    public OperationKind Kind { get; set; }

    public OperationState State { get; set; }

    public string Actor { get; set; } = "";

    public string? FromVersion { get; set; }

    public string? ToVersion { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public string? Outcome { get; set; }

    public string? Detail { get; set; }

    public static OperationRow From(Operation operation) => new()
    {
        Id = operation.Id,
        Instance = operation.Instance,
        OrganizationId = operation.OrganizationId,
        Kind = operation.Kind,
        State = operation.State,
        Actor = operation.Actor,
        FromVersion = operation.FromVersion,
        ToVersion = operation.ToVersion,
        CreatedAt = operation.CreatedAt,
        FinishedAt = operation.FinishedAt,
        Outcome = operation.Outcome,
        Detail = operation.Detail,
    };

    public Operation ToOperation() => new()
    {
        Id = Id,
        Instance = Instance,
        OrganizationId = OrganizationId,
        Kind = Kind,
        State = State,
        Actor = Actor,
        FromVersion = FromVersion,
        ToVersion = ToVersion,
        CreatedAt = CreatedAt,
        FinishedAt = FinishedAt,
        Outcome = Outcome,
        Detail = Detail,
    };
}

/// <remarks>
/// No foreign key to the instance or the organization: the journal is history and outlives a
/// purged app.
/// </remarks>
internal sealed class OperationRowConfiguration : IEntityTypeConfiguration<OperationRow>
{
    public void Configure(EntityTypeBuilder<OperationRow> builder)
    {
        builder.ToTable("Operations");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Instance).HasMaxLength(StateColumns.SlugLength).IsRequired();
        builder.Property(o => o.OrganizationId).HasMaxLength(StateColumns.SlugLength).IsRequired();
        builder.Property(o => o.Kind).HasConversion<string>().HasMaxLength(StateColumns.EnumLength);
        builder.Property(o => o.State).HasConversion<string>().HasMaxLength(StateColumns.EnumLength);
        builder.Property(o => o.Actor).HasMaxLength(320).IsRequired();
        builder.Property(o => o.FromVersion).HasMaxLength(StateColumns.VersionLength);
        builder.Property(o => o.ToVersion).HasMaxLength(StateColumns.VersionLength);
        builder.Property(o => o.CreatedAt).HasConversion(UtcTicks.Converter);
        builder.Property(o => o.FinishedAt).HasConversion(UtcTicks.Converter);

        builder.HasIndex(o => new { o.Instance, o.CreatedAt });
        builder.HasIndex(o => new { o.OrganizationId, o.CreatedAt });
        builder.HasIndex(o => o.CreatedAt);
        builder.HasIndex(o => o.State);
    }
}
