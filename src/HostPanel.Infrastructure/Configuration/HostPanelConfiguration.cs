using HostPanel.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace HostPanel.Infrastructure.Configuration;

/// <summary>
/// One way to read HostPanel's settings for the panel and the CLI alike: the data directory comes
/// first (explicit value, else HOSTPANEL_DATADIRECTORY, else /var/lib/hostpanel) because
/// appsettings.json lives inside it; environment variables then override the file.
/// </summary>
public static class HostPanelConfiguration
{
    /// <summary>Finds the data directory before the rest of the configuration is read.</summary>
    public static string ResolveDataDirectory(string? explicitValue, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var value = !string.IsNullOrWhiteSpace(explicitValue)
            ? explicitValue
            : environment(HostPanelOptions.EnvironmentPrefix + "DATADIRECTORY");
        return Path.GetFullPath(string.IsNullOrWhiteSpace(value) ? HostPanelOptions.DefaultDataDirectory : value);
    }

    /// <summary>
    /// Adds DATA_DIR/appsettings.json (optional) and HOSTPANEL_ environment variables, and pins
    /// DataDirectory to <paramref name="dataDirectory"/> so every reader agrees on it.
    /// </summary>
    public static IConfigurationBuilder AddHostPanelSources(this IConfigurationBuilder builder, string dataDirectory)
    {
        builder.AddJsonFile(Path.Combine(dataDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        builder.AddEnvironmentVariables(HostPanelOptions.EnvironmentPrefix);
        builder.AddInMemoryCollection([new(nameof(HostPanelOptions.DataDirectory), dataDirectory)]);
        return builder;
    }
}
