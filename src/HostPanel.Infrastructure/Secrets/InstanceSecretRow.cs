using HostPanel.Infrastructure.State;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostPanel.Infrastructure.Secrets;

/// <summary>One secret of an installed app, encrypted: only <see cref="DataProtectionSecretStore"/> can read it.</summary>
internal sealed class InstanceSecretRow
{
    public string Instance { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>The value as Data Protection ciphertext.</summary>
    public byte[] Protected { get; set; } = [];
}

internal sealed class InstanceSecretRowConfiguration : IEntityTypeConfiguration<InstanceSecretRow>
{
    public void Configure(EntityTypeBuilder<InstanceSecretRow> builder)
    {
        builder.ToTable("InstanceSecrets");
        builder.HasKey(s => new { s.Instance, s.Name });
        builder.Property(s => s.Instance).HasMaxLength(StateColumns.SlugLength);
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Protected).IsRequired();
    }
}
