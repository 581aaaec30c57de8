using HostPanel.Core.Handover;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HostPanel.Infrastructure.Handover;

public static class HandoverServiceCollectionExtensions
{
    /// <summary>
    /// The recovery kit: its store, the gathering of the secrets it covers, the service that issues
    /// it, the <see cref="IRecoveryKitState"/> the dashboard and the bus-factor checks read, and the
    /// kit's <see cref="EmergencyAccess"/> (which needs the people's services too).
    /// Needs the state stores and the backups (AddHostPanelState, AddHostPanelLifecycle); an
    /// <see cref="IAuditLog"/>, when registered, records every kit issued.
    /// </summary>
    public static IServiceCollection AddHostPanelRecoveryKit(this IServiceCollection services)
    {
        services.TryAddSingleton<IRecoveryKitStore, EfRecoveryKitStore>();
        services.TryAddSingleton<RecoverySecrets>();
        services.TryAddSingleton<RecoveryKitService>();
        services.TryAddSingleton<IRecoveryKitState>(sp => sp.GetRequiredService<RecoveryKitService>());
        services.TryAddSingleton<EmergencyAccess>();
        return services;
    }
}
