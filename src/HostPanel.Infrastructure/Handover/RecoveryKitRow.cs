using System.Text.Json;
using HostPanel.Core.Handover;
using HostPanel.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostPanel.Infrastructure.Handover;

/// <summary>An <see cref="IssuedRecoveryKit"/> as the RecoveryKits table holds it: no share, no key, hashes only.</summary>
internal sealed class RecoveryKitRow
{
    public Guid Id { get; set; }

    public DateTimeOffset IssuedAt { get; set; }

    public string IssuedBy { get; set; } = "";

    public int Threshold { get; set; }

    /// <summary>The holders' names, as a JSON array.</summary>
    public string Holders { get; set; } = "[]";

    public string Fingerprint { get; set; } = "";

    /// <summary>The fingerprint of each covered thing, as a JSON object.</summary>
    public string Items { get; set; } = "{}";

    public string CredentialHash { get; set; } = "";

    public IssuedRecoveryKit ToKit() => new(
        Id,
        IssuedAt,
        IssuedBy,
        Threshold,
        JsonSerializer.Deserialize<List<string>>(Holders) ?? [],
        Fingerprint,
        JsonSerializer.Deserialize<Dictionary<string, string>>(Items) ?? [],
        CredentialHash);

    public static RecoveryKitRow From(IssuedRecoveryKit kit) => new()
    {
        Id = kit.Id,
        IssuedAt = kit.IssuedAt,
        IssuedBy = kit.IssuedBy,
        Threshold = kit.Threshold,
        Holders = JsonSerializer.Serialize(kit.Holders),
        Fingerprint = kit.Fingerprint,
        Items = JsonSerializer.Serialize(kit.Items),
        CredentialHash = kit.CredentialHash,
    };
}

internal sealed class RecoveryKitRowConfiguration : IEntityTypeConfiguration<RecoveryKitRow>
{
    public void Configure(EntityTypeBuilder<RecoveryKitRow> builder)
    {
        builder.ToTable("RecoveryKits");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.IssuedAt).HasConversion(UtcTicks.Converter);
        builder.Property(k => k.IssuedBy).HasMaxLength(256).IsRequired();
        builder.Property(k => k.Holders).IsRequired();
        builder.Property(k => k.Fingerprint).HasMaxLength(64).IsRequired();
        builder.Property(k => k.Items).IsRequired();
        builder.Property(k => k.CredentialHash).HasMaxLength(64).IsRequired();
        builder.HasIndex(k => k.IssuedAt);
    }
}

/// <summary>Issued recovery kits in the panel's database.</summary>
internal sealed class EfRecoveryKitStore(IDbContextFactory<HostPanelDbContext> contexts) : IRecoveryKitStore
{
    public async Task AddAsync(IssuedRecoveryKit kit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(kit);
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.RecoveryKits.Add(RecoveryKitRow.From(kit));
        await db.SaveChangesAsync(ct);
    }

    public async Task<IssuedRecoveryKit?> LatestAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.RecoveryKits.AsNoTracking().OrderByDescending(k => k.IssuedAt).FirstOrDefaultAsync(ct);
        return row?.ToKit();
    }
}
