using HostPanel.Core.Organizations;
using HostPanel.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostPanel.Infrastructure.State;

/// <summary>An <see cref="Organization"/> as the Organizations table holds it.</summary>
internal sealed class OrganizationRow
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public static OrganizationRow From(Organization organization) =>
        new() { Id = organization.Id, Name = organization.Name, CreatedAt = organization.CreatedAt };

    public Organization ToOrganization() => new(Id, Name, CreatedAt);
}

internal sealed class OrganizationRowConfiguration : IEntityTypeConfiguration<OrganizationRow>
{
    public void Configure(EntityTypeBuilder<OrganizationRow> builder)
    {
        builder.ToTable("Organizations");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).HasMaxLength(StateColumns.SlugLength);
        builder.Property(o => o.Name).HasMaxLength(200).IsRequired();
        builder.Property(o => o.CreatedAt).HasConversion(UtcTicks.Converter);
    }
}
