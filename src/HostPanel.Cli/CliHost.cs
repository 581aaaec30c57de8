using System.CommandLine;
using HostPanel.Core.Configuration;
using HostPanel.Infrastructure.Configuration;
using HostPanel.Infrastructure.Docker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HostPanel.Cli;

/// <summary>Builds the services a command needs from the global options and standard .NET configuration.</summary>
internal static class CliHost
{
    public static ServiceProvider Build(ParseResult parsed, GlobalOptions globals)
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
        return services.BuildServiceProvider();
    }
}
