using HostPanel.Core.Mail;
using HostPanel.Infrastructure.Data;
using HostPanel.Infrastructure.State;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostPanel.Infrastructure.Mail;

/// <summary>A <see cref="MailProfile"/> as the MailProfiles table holds it (the password is in the secret store).</summary>
internal sealed class MailProfileRow
{
    /// <summary>The panel's row.</summary>
    public const string PanelScope = "panel";

    /// <summary>"panel", or "org:ID" for an organization (organization ids cannot hold ':').</summary>
    public string Scope { get; set; } = "";

    public string Host { get; set; } = "";

    public int Port { get; set; }

    public MailSecurity Security { get; set; }

    public string? UserName { get; set; }

    public string FromAddress { get; set; } = "";

    public string? FromName { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public static string ScopeOf(string? organizationId) => organizationId is null ? PanelScope : "org:" + organizationId;

    public MailProfile ToProfile() => new(
        Scope.StartsWith("org:", StringComparison.Ordinal) ? Scope[4..] : null,
        Host,
        Port,
        Security,
        UserName,
        FromAddress,
        FromName,
        UpdatedAt);
}

internal sealed class MailProfileRowConfiguration : IEntityTypeConfiguration<MailProfileRow>
{
    public void Configure(EntityTypeBuilder<MailProfileRow> builder)
    {
        builder.ToTable("MailProfiles");
        builder.HasKey(p => p.Scope);
        builder.Property(p => p.Scope).HasMaxLength(StateColumns.SlugLength + 4);
        builder.Property(p => p.Host).HasMaxLength(StateColumns.DomainLength).IsRequired();
        builder.Property(p => p.Security).HasConversion<string>().HasMaxLength(StateColumns.EnumLength);
        builder.Property(p => p.UserName).HasMaxLength(MailValidation.MaxUserNameLength);
        builder.Property(p => p.FromAddress).HasMaxLength(254).IsRequired();
        builder.Property(p => p.FromName).HasMaxLength(MailValidation.MaxDisplayNameLength);
        builder.Property(p => p.UpdatedAt).HasConversion(UtcTicks.Converter);
    }
}

/// <summary>Mail profiles in the panel's database.</summary>
internal sealed class EfMailProfileStore(IDbContextFactory<HostPanelDbContext> contexts) : IMailProfileStore
{
    public async Task<MailProfile?> FindAsync(string? organizationId, CancellationToken ct = default)
    {
        var scope = MailProfileRow.ScopeOf(organizationId);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await db.MailProfiles.AsNoTracking().SingleOrDefaultAsync(p => p.Scope == scope, ct))?.ToProfile();
    }

    public async Task SaveAsync(MailProfile profile, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var scope = MailProfileRow.ScopeOf(profile.OrganizationId);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.MailProfiles.SingleOrDefaultAsync(p => p.Scope == scope, ct);
        if (row is null)
        {
            row = new MailProfileRow { Scope = scope };
            db.MailProfiles.Add(row);
        }

        row.Host = profile.Host;
        row.Port = profile.Port;
        row.Security = profile.Security;
        row.UserName = profile.UserName;
        row.FromAddress = profile.FromAddress;
        row.FromName = profile.FromName;
        row.UpdatedAt = profile.UpdatedAt;
        await db.SaveChangesAsync(ct);
    }
}
