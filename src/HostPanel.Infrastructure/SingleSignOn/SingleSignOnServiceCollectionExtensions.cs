using HostPanel.Core.Accounts;
using HostPanel.Core.Configuration;
using HostPanel.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HostPanel.Infrastructure.SingleSignOn;

public static class SingleSignOnServiceCollectionExtensions
{
    /// <summary>
    /// The panel's single sign-on provider as the lifecycle and the accounts see it: OpenIddict's
    /// stores on <see cref="HostPanelDbContext"/>, the <see cref="ISsoClientRegistry"/> (one client
    /// per app instance; the issuer is <see cref="HostPanelOptions.PanelUrl"/>, none when it is empty)
    /// and an <see cref="ISessionRevoker"/> that ends a person's tokens. Works without ASP.NET Core
    /// hosting (the CLI); the web panel adds the provider's endpoints on top.
    /// </summary>
    public static IServiceCollection AddHostPanelSingleSignOn(this IServiceCollection services, HostPanelOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        if (services.Any(d => d.ServiceType == typeof(SsoIssuerSetting)))
        {
            return services;
        }

        services.AddSingleton(new SsoIssuerSetting(SsoIssuer.Normalize(options.PanelUrl)));
        services.TryAddSingleton(TimeProvider.System);
        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<HostPanelDbContext>());
        services.TryAddSingleton<ISsoClientRegistry, OpenIddictSsoClientRegistry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISessionRevoker, OpenIddictSessionRevoker>());
        return services;
    }
}

/// <summary>The issuer chosen at registration (null: no single sign-on for apps).</summary>
public sealed record SsoIssuerSetting(string? Issuer);
