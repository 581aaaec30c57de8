using System.CommandLine;
using HostPanel.Core.Configuration;
using HostPanel.Infrastructure.Apps;
using HostPanel.Infrastructure.Configuration;
using HostPanel.Infrastructure.Data;
using HostPanel.Infrastructure.State;
using HostPanel.Infrastructure.Docker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HostPanel.Cli;

/// <summary>Builds the services a command needs from the global options and standard .NET configuration.</summary>
internal static class CliHost
{
    /// <summary>Everything the app commands need, with the database migrated to the current schema.</summary>
    public static async Task<ServiceProvider> BuildWithStateAsync(ParseResult parsed, GlobalOptions globals, CancellationToken ct)
    {
        var provider = Build(parsed, globals, withState: true);
        await provider.GetRequiredService<HostPanelDatabase>().MigrateAsync(ct).ConfigureAwait(false);
        return provider;
    }

    public static ServiceProvider Build(ParseResult parsed, GlobalOptions globals, bool withState = false)
    {
        var dataDirectory = HostPanelConfiguration.ResolveDataDirectory(parsed.GetValue(globals.DataDirectory));
        var overrides = new Dictionary<string, string?>();
        if (parsed.GetValue(globals.Catalog) is { Length: > 0 } catalog)
        {
            overrides[nameof(HostPanelOptions.CatalogDirectory)] = Path.GetFullPath(catalog);
        }

        var configuration = new ConfigurationBuilder()
            .AddHostPanelSources(dataDirectory)
            .AddInMemoryCollection(overrides)
            .Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.AddConfiguration(configuration.GetSection("Logging")).SetMinimumLevel(LogLevel.Warning));
        services.AddOptions<HostPanelOptions>().Bind(configuration);
        services.AddDockerEngine();
        if (withState)
        {
            var options = configuration.Get<HostPanelOptions>() ?? new HostPanelOptions();
            services.AddSingleton(options);
            services.AddHostPanelState(options);
            services.AddHostPanelLifecycle(options);
        }

        return services.BuildServiceProvider();
    }
}
