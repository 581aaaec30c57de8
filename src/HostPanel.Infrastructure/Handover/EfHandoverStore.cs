using HostPanel.Core.Handover;
using HostPanel.Infrastructure.Accounts;
using HostPanel.Infrastructure.Data;
using HostPanel.Infrastructure.State;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostPanel.Infrastructure.Handover;

/// <summary>A handover as the database keeps it (the e-mail addresses too: the departing account may be gone).</summary>
internal sealed class HandoverRow
{
    public Guid Id { get; set; }
    public string OrganizationId { get; set; } = "";
    public string DepartingId { get; set; } = "";
    public string DepartingEmail { get; set; } = "";
    public string SuccessorId { get; set; } = "";
    public string SuccessorEmail { get; set; } = "";
    public string StartedBy { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? SignInProvenAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? CompletedBy { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public string? Summary { get; set; }

    public Core.Handover.Handover ToHandover() => new()
    {
        Id = Id,
        OrganizationId = OrganizationId,
        DepartingId = DepartingId,
        DepartingEmail = DepartingEmail,
        SuccessorId = SuccessorId,
        SuccessorEmail = SuccessorEmail,
        StartedBy = StartedBy,
        StartedAt = StartedAt,
        SignInProvenAt = SignInProvenAt,
        CompletedAt = CompletedAt,
        CompletedBy = CompletedBy,
        CancelledAt = CancelledAt,
        Summary = Summary,
    };

    public void CopyFrom(Core.Handover.Handover h)
    {
        Id = h.Id;
        OrganizationId = h.OrganizationId;
        DepartingId = h.DepartingId;
        DepartingEmail = h.DepartingEmail;
        SuccessorId = h.SuccessorId;
        SuccessorEmail = h.SuccessorEmail;
        StartedBy = h.StartedBy;
        StartedAt = h.StartedAt;
        SignInProvenAt = h.SignInProvenAt;
        CompletedAt = h.CompletedAt;
        CompletedBy = h.CompletedBy;
        CancelledAt = h.CancelledAt;
        Summary = h.Summary;
    }
}

internal sealed class HandoverRowConfiguration : IEntityTypeConfiguration<HandoverRow>
{
    public void Configure(EntityTypeBuilder<HandoverRow> builder)
    {
        builder.ToTable("Handovers");
        builder.HasKey(h => h.Id);
        builder.Property(h => h.OrganizationId).HasMaxLength(StateColumns.SlugLength).IsRequired();
        builder.Property(h => h.DepartingId).HasMaxLength(AccountColumns.IdLength).IsRequired();
        builder.Property(h => h.SuccessorId).HasMaxLength(AccountColumns.IdLength).IsRequired();
        builder.Property(h => h.DepartingEmail).HasMaxLength(256).IsRequired();
        builder.Property(h => h.SuccessorEmail).HasMaxLength(256).IsRequired();
        builder.Property(h => h.StartedBy).HasMaxLength(256).IsRequired();
        builder.Property(h => h.CompletedBy).HasMaxLength(256);
        builder.Property(h => h.Summary).HasMaxLength(2000);
        builder.Property(h => h.StartedAt).HasConversion(UtcTicks.Converter);
        builder.Property(h => h.SignInProvenAt).HasConversion(UtcTicks.Converter);
        builder.Property(h => h.CompletedAt).HasConversion(UtcTicks.Converter);
        builder.Property(h => h.CancelledAt).HasConversion(UtcTicks.Converter);
        builder.HasIndex(h => new { h.OrganizationId, h.StartedAt });
        builder.HasOne<OrganizationRow>().WithMany().HasForeignKey(h => h.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Handovers in the panel's database.</summary>
internal sealed class EfHandoverStore(IDbContextFactory<HostPanelDbContext> contexts) : IHandoverStore
{
    public async Task<IReadOnlyList<Core.Handover.Handover>> ListAsync(string organizationId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Handovers.AsNoTracking().Where(h => h.OrganizationId == organizationId).ToListAsync(ct);
        return [.. rows.OrderByDescending(h => h.StartedAt).Select(h => h.ToHandover())];
    }

    public async Task AddAsync(Core.Handover.Handover handover, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(handover);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = new HandoverRow();
        row.CopyFrom(handover);
        db.Handovers.Add(row);
        await db.SaveChangesAsync(ct);
    }

    public async Task SaveAsync(Core.Handover.Handover handover, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(handover);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Handovers.SingleAsync(h => h.Id == handover.Id, ct);
        row.CopyFrom(handover);
        await db.SaveChangesAsync(ct);
    }
}
