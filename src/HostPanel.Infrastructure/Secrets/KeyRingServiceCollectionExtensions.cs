using HostPanel.Core.Configuration;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Infrastructure.Secrets;

public static class KeyRingServiceCollectionExtensions
{
    /// <summary>
    /// The name that isolates HostPanel's keys and payloads. The panel and the CLI both use it
    /// with the same key ring, so what one protects (a sign-in cookie, an app secret) the other
    /// can read.
    /// </summary>
    public const string ApplicationName = "HostPanel";

    /// <summary>
    /// ASP.NET Core Data Protection with its key ring in DATA_DIR/keys: it protects sign-in and
    /// anti-forgery cookies (a restart does not sign everyone out) and the apps' secrets. The same
    /// registration serves the web panel and the CLI; calling it again with the same data
    /// directory does nothing.
    /// </summary>
    public static IServiceCollection AddHostPanelDataProtection(this IServiceCollection services, HostPanelOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var keyRing = new KeyRingLocation(options.KeyRingDirectory);
        var existing = services
            .Where(d => d.ServiceType == typeof(KeyRingLocation))
            .Select(d => d.ImplementationInstance)
            .OfType<KeyRingLocation>()
            .FirstOrDefault();
        if (existing is not null)
        {
            return existing == keyRing
                ? services
                : throw new InvalidOperationException(
                    $"Data Protection is already registered with the key ring {existing.Directory}; it cannot also use {keyRing.Directory}.");
        }

        services.AddSingleton(keyRing);
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToFileSystem(new DirectoryInfo(options.KeyRingDirectory));
        return services;
    }

    /// <summary>Marks the registration, so that a second call is recognised.</summary>
    private sealed record KeyRingLocation(string Directory);
}
