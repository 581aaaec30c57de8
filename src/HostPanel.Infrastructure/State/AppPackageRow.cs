using System.Collections.ObjectModel;
using System.Text.Json;
using HostPanel.Core.Apps;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostPanel.Infrastructure.State;

/// <summary>An archived <see cref="AppPackage"/>: one per installed version of an instance; files as JSON text.</summary>
internal sealed class AppPackageRow
{
    public string Instance { get; set; } = "";

    public string Version { get; set; } = "";

    public string ManifestYaml { get; set; } = "";

    public string FilesJson { get; set; } = "{}";

    public static string FilesToJson(IReadOnlyDictionary<string, string> files) => JsonSerializer.Serialize(files);

    public AppPackage ToPackage() => new(
        ManifestYaml,
        new ReadOnlyDictionary<string, string>(JsonSerializer.Deserialize<Dictionary<string, string>>(FilesJson) ?? []));
}

internal sealed class AppPackageRowConfiguration : IEntityTypeConfiguration<AppPackageRow>
{
    public void Configure(EntityTypeBuilder<AppPackageRow> builder)
    {
        builder.ToTable("AppPackages");
        builder.HasKey(p => new { p.Instance, p.Version });
        builder.Property(p => p.Instance).HasMaxLength(StateColumns.SlugLength);
        builder.Property(p => p.Version).HasMaxLength(StateColumns.VersionLength);
        builder.Property(p => p.ManifestYaml).IsRequired();
        builder.Property(p => p.FilesJson).HasColumnName("Files").IsRequired();
    }
}
