using System.Collections.ObjectModel;
using System.Text.Json;
using HostPanel.Core.Apps;
using HostPanel.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostPanel.Infrastructure.State;

/// <summary>An <see cref="AppInstance"/> as the AppInstances table holds it; the answers are JSON text.</summary>
internal sealed class AppInstanceRow
{
    public string Name { get; set; } = "";

    public string OrganizationId { get; set; } = "";

    public string AppId { get; set; } = "";

    public string Version { get; set; } = "";

    public int Revision { get; set; }

    public string? Domain { get; set; }

    public string Path { get; set; } = "/";

    public InstanceState State { get; set; }

    public string AnswersJson { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public static AppInstanceRow From(AppInstance instance)
    {
        var row = new AppInstanceRow { Name = instance.Name, CreatedAt = instance.CreatedAt };
        row.CopyFrom(instance);
        return row;
    }

    /// <summary>Takes every value of <paramref name="instance"/> but its name and creation time.</summary>
    public void CopyFrom(AppInstance instance)
    {
        OrganizationId = instance.OrganizationId;
        AppId = instance.AppId;
        Version = instance.Version;
        Revision = instance.Revision;
        Domain = instance.Domain;
        Path = instance.Path;
        State = instance.State;
        AnswersJson = JsonSerializer.Serialize(instance.Answers);
        UpdatedAt = instance.UpdatedAt;
    }

    public AppInstance ToInstance() => new()
    {
        Name = Name,
        OrganizationId = OrganizationId,
        AppId = AppId,
        Version = Version,
        Revision = Revision,
        Domain = Domain,
        Path = Path,
        State = State,
        Answers = new ReadOnlyDictionary<string, string>(
            JsonSerializer.Deserialize<Dictionary<string, string>>(AnswersJson) ?? []),
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };
}

internal sealed class AppInstanceRowConfiguration : IEntityTypeConfiguration<AppInstanceRow>
{
    /// <summary>
    /// One live app per domain: removed apps keep their domain (to be reinstalled on it) without
    /// holding it. The store checks first to name the app that holds it; the index is the guarantee.
    /// </summary>
    public const string LiveDomainIndex = "IX_AppInstances_LiveDomain";

    public void Configure(EntityTypeBuilder<AppInstanceRow> builder)
    {
        builder.ToTable("AppInstances");
        builder.HasKey(i => i.Name);
        builder.Property(i => i.Name).HasMaxLength(StateColumns.SlugLength);
        builder.Property(i => i.OrganizationId).HasMaxLength(StateColumns.SlugLength).IsRequired();
        builder.Property(i => i.AppId).HasMaxLength(StateColumns.SlugLength).IsRequired();
        builder.Property(i => i.Version).HasMaxLength(StateColumns.VersionLength).IsRequired();

        // Domain names are case-insensitive: "Cloud.Example.org" is "cloud.example.org".
        builder.Property(i => i.Domain).HasMaxLength(StateColumns.DomainLength).UseCollation("NOCASE");
        builder.Property(i => i.Path).HasMaxLength(200).IsRequired();
        builder.Property(i => i.State).HasConversion<string>().HasMaxLength(StateColumns.EnumLength);
        builder.Property(i => i.AnswersJson).HasColumnName("Answers").IsRequired();
        builder.Property(i => i.CreatedAt).HasConversion(UtcTicks.Converter);
        builder.Property(i => i.UpdatedAt).HasConversion(UtcTicks.Converter);

        builder.HasOne<OrganizationRow>()
            .WithMany()
            .HasForeignKey(i => i.OrganizationId)
            .OnDelete(DeleteBehavior.Restrict);

        builder.HasIndex(i => i.Domain)
            .HasDatabaseName(LiveDomainIndex)
            .IsUnique()
            .HasFilter($"\"Domain\" IS NOT NULL AND \"State\" <> '{nameof(InstanceState.Removed)}'");
    }
}
