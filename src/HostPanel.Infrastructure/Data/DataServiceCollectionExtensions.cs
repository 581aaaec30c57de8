using HostPanel.Core.Configuration;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Infrastructure.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="HostPanelDbContext"/> on the SQLite file DATA_DIR/hostpanel.db, and
    /// <see cref="HostPanelDatabase"/> to migrate it at start-up.
    /// </summary>
    public static IServiceCollection AddHostPanelData(this IServiceCollection services, HostPanelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connectionString = ConnectionStringFor(options.DatabasePath);
        services.Configure<IdentityOptions>(identity => identity.Stores.SchemaVersion = HostPanelDbContext.IdentitySchema);
        services.AddDbContext<HostPanelDbContext>(db => Configure(db, connectionString));
        services.AddSingleton(sp => new HostPanelDatabase(
            options,
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<HostPanelDatabase>>()));
        return services;
    }

    /// <summary>Registers the database in the data directory <paramref name="dataDirectory"/>.</summary>
    public static IServiceCollection AddHostPanelData(this IServiceCollection services, string dataDirectory) =>
        services.AddHostPanelData(new HostPanelOptions { DataDirectory = Path.GetFullPath(dataDirectory) });

    internal static string ConnectionStringFor(string databasePath) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();

    internal static void Configure(DbContextOptionsBuilder db, string connectionString) =>
        db.UseSqlite(connectionString).AddInterceptors(new SqliteWriteAheadLogInterceptor());
}
