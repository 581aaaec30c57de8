using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace HostPanel.Infrastructure.Data;

/// <summary>The panel's SQLite database: accounts and roles for now.</summary>
public sealed class HostPanelDbContext(DbContextOptions<HostPanelDbContext> options)
    : IdentityDbContext<HostPanelUser>(options)
{
    /// <summary>
    /// The Identity schema the model is built with (version 3 includes passkeys). Identity reads it
    /// from <see cref="IdentityOptions"/> in the application's services, so every registration of
    /// this context sets it, the design-time one included: migrations and the running model agree.
    /// </summary>
    public static Version IdentitySchema => IdentitySchemaVersions.Version3;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<HostPanelUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(HostPanelUser.DisplayNameMaxLength).IsRequired();

            // SQLite has no date-time-with-offset type; storing UTC ticks keeps the value sortable.
            user.Property(u => u.CreatedAt)
                .HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        });
    }
}
