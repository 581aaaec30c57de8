using HostPanel.Core.Configuration;
using HostPanel.Core.Organizations;
using HostPanel.Infrastructure.Data;
using HostPanel.Infrastructure.State;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.State;

/// <summary>
/// The lifecycle stores as the CLI registers them (a plain service collection, no web host) on a
/// real SQLite file in a temporary data directory, migrated before each test.
/// </summary>
public abstract class StateTestBase : IAsyncLifetime
{
    private readonly List<ServiceProvider> _providers = [];

    protected TempDataDirectory Data { get; } = new();

    protected HostPanelOptions Options => new() { DataDirectory = Data.Path };

    /// <summary>The services of the test; <see cref="StartServicesAsync"/> gives others on the same data directory.</summary>
    protected ServiceProvider Services { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected string DatabasePath => Options.DatabasePath;

    public async ValueTask InitializeAsync()
    {
        Services = await StartServicesAsync();
        await Get<IOrganizationStore>().EnsureDefaultAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        Data.Dispose();
        GC.SuppressFinalize(this);
    }

    protected T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Another set of services on the same data directory, as a second process would have.</summary>
    protected async Task<ServiceProvider> StartServicesAsync(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection().AddLogging();
        configure?.Invoke(services);
        services.AddHostPanelData(Options);
        services.AddHostPanelState(Options);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _providers.Add(provider);
        await provider.GetRequiredService<HostPanelDatabase>().MigrateAsync(Ct);
        return provider;
    }

    /// <summary>A connection of its own to the database file, for looking under the stores.</summary>
    protected async Task<SqliteConnection> OpenDatabaseAsync()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        return connection;
    }

    protected async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = await OpenDatabaseAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync(Ct);
    }

    protected async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await OpenDatabaseAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(Ct);
    }
}
