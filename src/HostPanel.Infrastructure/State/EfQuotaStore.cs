using HostPanel.Core.Organizations;
using HostPanel.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostPanel.Infrastructure.State;

/// <summary>An <see cref="OrganizationQuota"/> as the OrganizationQuotas table holds it.</summary>
internal sealed class QuotaRow
{
    public string OrganizationId { get; set; } = "";

    public int? MaxApps { get; set; }

    public long? MaxMemoryBytes { get; set; }

    public long? MaxStorageBytes { get; set; }
}

internal sealed class QuotaRowConfiguration : IEntityTypeConfiguration<QuotaRow>
{
    public void Configure(EntityTypeBuilder<QuotaRow> builder)
    {
        builder.ToTable("OrganizationQuotas");
        builder.HasKey(q => q.OrganizationId);
        builder.Property(q => q.OrganizationId).HasMaxLength(StateColumns.SlugLength);
    }
}

/// <summary>Quotas in the panel's database.</summary>
internal sealed class EfQuotaStore(IDbContextFactory<HostPanelDbContext> contexts) : IQuotaStore
{
    public async Task<OrganizationQuota?> FindAsync(string organizationId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.OrganizationQuotas.AsNoTracking().SingleOrDefaultAsync(q => q.OrganizationId == organizationId, ct);
        return row is null ? null : new OrganizationQuota(row.OrganizationId, row.MaxApps, row.MaxMemoryBytes, row.MaxStorageBytes);
    }

    public async Task SaveAsync(OrganizationQuota quota, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(quota);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.OrganizationQuotas.SingleOrDefaultAsync(q => q.OrganizationId == quota.OrganizationId, ct);
        if (row is null)
        {
            row = new QuotaRow { OrganizationId = quota.OrganizationId };
            db.OrganizationQuotas.Add(row);
        }

        row.MaxApps = quota.MaxApps;
        row.MaxMemoryBytes = quota.MaxMemoryBytes;
        row.MaxStorageBytes = quota.MaxStorageBytes;
        await db.SaveChangesAsync(ct);
    }
}
