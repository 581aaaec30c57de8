using HostPanel.Core.Certificates;
using HostPanel.Core.Domains;
using HostPanel.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostPanel.Infrastructure.State;

/// <summary>A <see cref="DomainRecord"/> as the Domains table holds it.</summary>
internal sealed class DomainRow
{
    public string Name { get; set; } = "";

    public string OrganizationId { get; set; } = "";

    public string? Instance { get; set; }

    public ChallengeKind Challenge { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DomainRecord ToRecord() => new(Name, OrganizationId, Instance, Challenge, CreatedAt);
}

internal sealed class DomainRowConfiguration : IEntityTypeConfiguration<DomainRow>
{
    public void Configure(EntityTypeBuilder<DomainRow> builder)
    {
        builder.ToTable("Domains");
        builder.HasKey(d => d.Name);
        builder.Property(d => d.Name).HasMaxLength(StateColumns.DomainLength);
        builder.Property(d => d.OrganizationId).HasMaxLength(StateColumns.SlugLength).IsRequired();
        builder.Property(d => d.Instance).HasMaxLength(StateColumns.SlugLength);
        builder.Property(d => d.Challenge).HasConversion<string>().HasMaxLength(StateColumns.EnumLength);
        builder.Property(d => d.CreatedAt).HasConversion(UtcTicks.Converter);
        builder.HasIndex(d => d.OrganizationId);
    }
}

/// <summary>A <see cref="CertificateRecord"/> as the Certificates table holds it.</summary>
internal sealed class CertificateRow
{
    public string Domain { get; set; } = "";

    public string? ChainFile { get; set; }

    public string? KeyFile { get; set; }

    public string? Serial { get; set; }

    public string? Issuer { get; set; }

    public DateTimeOffset? NotBefore { get; set; }

    public DateTimeOffset? NotAfter { get; set; }

    public DateTimeOffset? NextRenewal { get; set; }

    public DateTimeOffset? LastAttempt { get; set; }

    public string? LastError { get; set; }

    public int Failures { get; set; }

    public DateTimeOffset? NextAttempt { get; set; }

    public int WarnedDays { get; set; }

    public string? ServedSerial { get; set; }

    public DateTimeOffset? ServedCheckedAt { get; set; }

    public CertificateRecord ToRecord() => new()
    {
        Domain = Domain,
        ChainFile = ChainFile,
        KeyFile = KeyFile,
        Serial = Serial,
        Issuer = Issuer,
        NotBefore = NotBefore,
        NotAfter = NotAfter,
        NextRenewal = NextRenewal,
        LastAttempt = LastAttempt,
        LastError = LastError,
        Failures = Failures,
        NextAttempt = NextAttempt,
        WarnedDays = WarnedDays,
        ServedSerial = ServedSerial,
        ServedCheckedAt = ServedCheckedAt,
    };

    public void CopyFrom(CertificateRecord r)
    {
        ChainFile = r.ChainFile;
        KeyFile = r.KeyFile;
        Serial = r.Serial;
        Issuer = r.Issuer;
        NotBefore = r.NotBefore;
        NotAfter = r.NotAfter;
        NextRenewal = r.NextRenewal;
        LastAttempt = r.LastAttempt;
        LastError = r.LastError;
        Failures = r.Failures;
        NextAttempt = r.NextAttempt;
        WarnedDays = r.WarnedDays;
        ServedSerial = r.ServedSerial;
        ServedCheckedAt = r.ServedCheckedAt;
    }
}

internal sealed class CertificateRowConfiguration : IEntityTypeConfiguration<CertificateRow>
{
    public void Configure(EntityTypeBuilder<CertificateRow> builder)
    {
        builder.ToTable("Certificates");
        builder.HasKey(c => c.Domain);
        builder.Property(c => c.Domain).HasMaxLength(StateColumns.DomainLength);
        builder.Property(c => c.ChainFile).HasMaxLength(1024);
        builder.Property(c => c.KeyFile).HasMaxLength(1024);
        builder.Property(c => c.Serial).HasMaxLength(128);
        builder.Property(c => c.Issuer).HasMaxLength(1024);
        builder.Property(c => c.LastError).HasMaxLength(4000);
        builder.Property(c => c.ServedSerial).HasMaxLength(128);
        foreach (var time in new[] { nameof(CertificateRow.NotBefore), nameof(CertificateRow.NotAfter), nameof(CertificateRow.NextRenewal), nameof(CertificateRow.LastAttempt), nameof(CertificateRow.NextAttempt), nameof(CertificateRow.ServedCheckedAt) })
        {
            builder.Property<DateTimeOffset?>(time).HasConversion(UtcTicks.Converter);
        }
    }
}

/// <summary>A <see cref="PendingChallenge"/> as the AcmeChallenges table holds it.</summary>
internal sealed class ChallengeRow
{
    public string Token { get; set; } = "";

    public string KeyAuthorization { get; set; } = "";

    public string Domain { get; set; } = "";

    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class ChallengeRowConfiguration : IEntityTypeConfiguration<ChallengeRow>
{
    public void Configure(EntityTypeBuilder<ChallengeRow> builder)
    {
        builder.ToTable("AcmeChallenges");
        builder.HasKey(c => c.Token);
        builder.Property(c => c.Token).HasMaxLength(256);
        builder.Property(c => c.KeyAuthorization).HasMaxLength(512).IsRequired();
        builder.Property(c => c.Domain).HasMaxLength(StateColumns.DomainLength).IsRequired();
        builder.Property(c => c.ExpiresAt).HasConversion(UtcTicks.Converter);
    }
}

/// <summary>Domains in the panel's database.</summary>
internal sealed class EfDomainStore(IDbContextFactory<HostPanelDbContext> contexts) : IDomainStore
{
    public async Task<DomainRecord?> FindAsync(string name, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await db.Domains.AsNoTracking().SingleOrDefaultAsync(d => d.Name == name, ct))?.ToRecord();
    }

    public async Task<IReadOnlyList<DomainRecord>> ListAsync(string? organizationId = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = db.Domains.AsNoTracking();
        if (organizationId is not null)
        {
            rows = rows.Where(d => d.OrganizationId == organizationId);
        }

        return [.. (await rows.OrderBy(d => d.Name).ToListAsync(ct)).Select(d => d.ToRecord())];
    }

    public async Task SaveAsync(DomainRecord domain, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(domain);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Domains.SingleOrDefaultAsync(d => d.Name == domain.Name, ct);
        if (row is null)
        {
            row = new DomainRow { Name = domain.Name };
            db.Domains.Add(row);
        }

        row.OrganizationId = domain.OrganizationId;
        row.Instance = domain.Instance;
        row.Challenge = domain.Challenge;
        row.CreatedAt = domain.CreatedAt;
        await db.SaveChangesAsync(ct);
    }

    public async Task RemoveAsync(string name, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Domains.Where(d => d.Name == name).ExecuteDeleteAsync(ct);
    }
}

/// <summary>Certificate records in the panel's database.</summary>
internal sealed class EfCertificateStore(IDbContextFactory<HostPanelDbContext> contexts) : ICertificateStore
{
    public async Task<CertificateRecord?> FindAsync(string domain, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await db.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Domain == domain, ct))?.ToRecord();
    }

    public async Task<IReadOnlyList<CertificateRecord>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return [.. (await db.Certificates.AsNoTracking().OrderBy(c => c.Domain).ToListAsync(ct)).Select(c => c.ToRecord())];
    }

    public async Task SaveAsync(CertificateRecord certificate, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Certificates.SingleOrDefaultAsync(c => c.Domain == certificate.Domain, ct);
        if (row is null)
        {
            row = new CertificateRow { Domain = certificate.Domain };
            db.Certificates.Add(row);
        }

        row.CopyFrom(certificate);
        await db.SaveChangesAsync(ct);
    }

    public async Task RemoveAsync(string domain, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Certificates.Where(c => c.Domain == domain).ExecuteDeleteAsync(ct);
    }
}

/// <summary>Pending HTTP-01 answers in the panel's database.</summary>
internal sealed class EfChallengeStore(IDbContextFactory<HostPanelDbContext> contexts) : IChallengeStore
{
    public async Task AddAsync(PendingChallenge challenge, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.AcmeChallenges.Where(c => c.Token == challenge.Token).ExecuteDeleteAsync(ct);
        db.AcmeChallenges.Add(new ChallengeRow { Token = challenge.Token, KeyAuthorization = challenge.KeyAuthorization, Domain = challenge.Domain, ExpiresAt = challenge.ExpiresAt });
        await db.SaveChangesAsync(ct);
    }

    public async Task RemoveAsync(string token, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.AcmeChallenges.Where(c => c.Token == token).ExecuteDeleteAsync(ct);
    }

    public async Task<IReadOnlyList<PendingChallenge>> ListAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.AcmeChallenges.AsNoTracking().ToListAsync(ct);
        var expired = rows.Where(r => r.ExpiresAt <= now).Select(r => r.Token).ToList();
        if (expired.Count > 0)
        {
            await db.AcmeChallenges.Where(c => expired.Contains(c.Token)).ExecuteDeleteAsync(ct);
        }

        return [.. rows.Where(r => r.ExpiresAt > now).OrderBy(r => r.Token, StringComparer.Ordinal).Select(r => new PendingChallenge(r.Token, r.KeyAuthorization, r.Domain, r.ExpiresAt))];
    }
}
