using HostPanel.Core.Handover;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HostPanel.Infrastructure.Handover;

public static class ContinuityServiceCollectionExtensions
{
    /// <summary>
    /// External accounts (SQLite) and the bus-factor checks. Needs the state stores
    /// (AddHostPanelState), accounts (AddHostPanelAccounts) and the lifecycle's
    /// <see cref="HostPanel.Core.Accounts.AccessControl"/>. The checks also need an
    /// <see cref="IRecoveryKitState"/>, registered by the recovery kit; an <see cref="IAuditLog"/>
    /// is used when one is registered.
    /// </summary>
    public static IServiceCollection AddHostPanelContinuity(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IExternalAccountStore, EfExternalAccountStore>();
        services.TryAddSingleton<ExternalAccountService>();
        services.TryAddSingleton<IExternalAccounts>(sp => sp.GetRequiredService<ExternalAccountService>());
        services.TryAddSingleton<BusFactorChecks>();
        services.TryAddSingleton<IBusFactorChecks>(sp => sp.GetRequiredService<BusFactorChecks>());
        return services;
    }
}
