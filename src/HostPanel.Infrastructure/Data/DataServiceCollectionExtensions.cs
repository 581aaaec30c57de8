using HostPanel.Core.Configuration;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HostPanel.Infrastructure.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>How long a command waits for a lock another connection holds before it fails.</summary>
    internal static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Registers <see cref="HostPanelDbContext"/> on the SQLite file DATA_DIR/hostpanel.db, and
    /// <see cref="HostPanelDatabase"/> to migrate it at start-up. Both ways of getting a context
    /// come from one registration: a scoped context (Identity, per request) and a singleton
    /// <see cref="IDbContextFactory{TContext}"/> (long-lived stores that work from several
    /// threads). Calling this again with the same data directory does nothing.
    /// </summary>
    public static IServiceCollection AddHostPanelData(this IServiceCollection services, HostPanelOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var location = new DatabaseLocation(options.DatabasePath);
        if (AlreadyRegistered(services, location))
        {
            return services;
        }

        var connectionString = ConnectionStringFor(options.DatabasePath);
        services.AddSingleton(location);
        services.Configure<IdentityOptions>(identity => identity.Stores.SchemaVersion = HostPanelDbContext.IdentitySchema);

        // The factory also registers the context itself as a scoped service, built the same way.
        services.AddDbContextFactory<HostPanelDbContext>(db => Configure(db, connectionString));
        services.AddSingleton(sp => new HostPanelDatabase(
            options,
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<ILogger<HostPanelDatabase>>()));
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
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();

    internal static void Configure(DbContextOptionsBuilder db, string connectionString) =>
        db.UseSqlite(connectionString).AddInterceptors(new SqliteConnectionSettingsInterceptor());

    private static bool AlreadyRegistered(IServiceCollection services, DatabaseLocation location)
    {
        var existing = services
            .Where(d => d.ServiceType == typeof(DatabaseLocation))
            .Select(d => d.ImplementationInstance)
            .OfType<DatabaseLocation>()
            .FirstOrDefault();
        if (existing is null)
        {
            return false;
        }

        return existing == location
            ? true
            : throw new InvalidOperationException(
                $"The database is already registered on {existing.DatabasePath}; it cannot also be registered on {location.DatabasePath}.");
    }

    /// <summary>Marks the registration, so that a second call is recognised.</summary>
    private sealed record DatabaseLocation(string DatabasePath);
}
