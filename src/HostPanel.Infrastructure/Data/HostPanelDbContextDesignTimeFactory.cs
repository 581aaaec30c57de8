using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Infrastructure.Data;

/// <summary>
/// Lets the EF Core command-line tools build the model to create migrations, without starting
/// the panel. The database path is only a placeholder: migrations never depend on it.
/// </summary>
internal sealed class HostPanelDbContextDesignTimeFactory : IDesignTimeDbContextFactory<HostPanelDbContext>
{
    public HostPanelDbContext CreateDbContext(string[] args)
    {
        var services = new ServiceCollection()
            .Configure<IdentityOptions>(identity => identity.Stores.SchemaVersion = HostPanelDbContext.IdentitySchema)
            .BuildServiceProvider();
        var options = new DbContextOptionsBuilder<HostPanelDbContext>().UseApplicationServiceProvider(services);
        DataServiceCollectionExtensions.Configure(
            options,
            DataServiceCollectionExtensions.ConnectionStringFor(Path.Combine(Path.GetTempPath(), "hostpanel-design.db")));
        return new HostPanelDbContext(options.Options);
    }
}
