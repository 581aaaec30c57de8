using HostPanel.Core.Backups;
using HostPanel.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostPanel.Infrastructure.State;

/// <summary>A <see cref="BackupTarget"/> as the BackupTargets table holds it (the password is in the secret store).</summary>
internal sealed class BackupTargetRow
{
    public string OrganizationId { get; set; } = "";

    public string Location { get; set; } = "";

    public string? SshKeyFile { get; set; }

    public string? SshKnownHostsFile { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public BackupTarget ToTarget() => new(OrganizationId, Location, SshKeyFile, SshKnownHostsFile, UpdatedAt);
}

internal sealed class BackupTargetRowConfiguration : IEntityTypeConfiguration<BackupTargetRow>
{
    public void Configure(EntityTypeBuilder<BackupTargetRow> builder)
    {
        builder.ToTable("BackupTargets");
        builder.HasKey(t => t.OrganizationId);
        builder.Property(t => t.OrganizationId).HasMaxLength(StateColumns.SlugLength);
        builder.Property(t => t.Location).HasMaxLength(1024).IsRequired();
        builder.Property(t => t.SshKeyFile).HasMaxLength(1024);
        builder.Property(t => t.SshKnownHostsFile).HasMaxLength(1024);
        builder.Property(t => t.UpdatedAt).HasConversion(UtcTicks.Converter);
    }
}

/// <summary>Backup targets in the panel's database.</summary>
internal sealed class EfBackupTargetStore(IDbContextFactory<HostPanelDbContext> contexts) : IBackupTargetStore
{
    public async Task<BackupTarget?> FindAsync(string organizationId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.BackupTargets.AsNoTracking().SingleOrDefaultAsync(t => t.OrganizationId == organizationId, ct);
        return row?.ToTarget();
    }

    public async Task SaveAsync(BackupTarget target, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.BackupTargets.SingleOrDefaultAsync(t => t.OrganizationId == target.OrganizationId, ct);
        if (row is null)
        {
            row = new BackupTargetRow { OrganizationId = target.OrganizationId };
            db.BackupTargets.Add(row);
        }

        row.Location = target.Location;
        row.SshKeyFile = target.SshKeyFile;
        row.SshKnownHostsFile = target.SshKnownHostsFile;
        row.UpdatedAt = target.UpdatedAt;
        await db.SaveChangesAsync(ct);
    }
}
