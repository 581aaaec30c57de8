using System.Text.Json;
using HostPanel.Core.Handover;
using HostPanel.Infrastructure.Data;
using HostPanel.Infrastructure.State;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostPanel.Infrastructure.Handover;

/// <summary>An <see cref="ExternalAccount"/> as the ExternalAccounts table holds it (holders as a JSON list).</summary>
internal sealed class ExternalAccountRow
{
    public Guid Id { get; set; }

    public string OrganizationId { get; set; } = "";

    public string Purpose { get; set; } = "";

    public string Provider { get; set; } = "";

    public string? SignInAddress { get; set; }

    public string Holders { get; set; } = "[]";

    public string? Notes { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public ExternalAccount ToAccount() => new(
        Id, OrganizationId, Purpose, Provider, SignInAddress,
        JsonSerializer.Deserialize<List<string>>(Holders) ?? [], Notes, UpdatedAt);

    public void CopyFrom(ExternalAccount account)
    {
        OrganizationId = account.OrganizationId;
        Purpose = account.Purpose;
        Provider = account.Provider;
        SignInAddress = account.SignInAddress;
        Holders = JsonSerializer.Serialize(account.Holders);
        Notes = account.Notes;
        UpdatedAt = account.UpdatedAt;
    }
}

internal sealed class ExternalAccountRowConfiguration : IEntityTypeConfiguration<ExternalAccountRow>
{
    public void Configure(EntityTypeBuilder<ExternalAccountRow> builder)
    {
        builder.ToTable("ExternalAccounts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.OrganizationId).HasMaxLength(StateColumns.SlugLength).IsRequired();
        builder.Property(a => a.Purpose).HasMaxLength(ExternalAccountService.PurposeMaxLength).IsRequired();
        builder.Property(a => a.Provider).HasMaxLength(ExternalAccountService.ProviderMaxLength).IsRequired();
        builder.Property(a => a.SignInAddress).HasMaxLength(ExternalAccountService.SignInAddressMaxLength);
        builder.Property(a => a.Holders).IsRequired();
        builder.Property(a => a.Notes).HasMaxLength(ExternalAccountService.NotesMaxLength);
        builder.Property(a => a.UpdatedAt).HasConversion(UtcTicks.Converter);
        builder.HasIndex(a => a.OrganizationId);
        builder.HasOne<OrganizationRow>().WithMany().HasForeignKey(a => a.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>External accounts in the panel's database.</summary>
internal sealed class EfExternalAccountStore(IDbContextFactory<HostPanelDbContext> contexts) : IExternalAccountStore
{
    public async Task<IReadOnlyList<ExternalAccount>> ListAsync(string organizationId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.ExternalAccounts.AsNoTracking().Where(a => a.OrganizationId == organizationId).OrderBy(a => a.Purpose).ToListAsync(ct);
        return [.. rows.Select(r => r.ToAccount())];
    }

    public async Task<ExternalAccount?> FindAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await db.ExternalAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct))?.ToAccount();
    }

    public async Task AddAsync(ExternalAccount account, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = new ExternalAccountRow { Id = account.Id };
        row.CopyFrom(account);
        db.ExternalAccounts.Add(row);
        await db.SaveChangesAsync(ct);
    }

    public async Task UpdateAsync(ExternalAccount account, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.ExternalAccounts.SingleOrDefaultAsync(a => a.Id == account.Id, ct)
            ?? throw new InvalidOperationException($"External account {account.Id} is not in the database.");
        row.CopyFrom(account);
        await db.SaveChangesAsync(ct);
    }

    public async Task RemoveAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.ExternalAccounts.Where(a => a.Id == id).ExecuteDeleteAsync(ct);
    }
}
