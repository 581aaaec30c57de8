using HostPanel.Core.Apps;
using HostPanel.Core.Apps.Execution;
using HostPanel.Core.Configuration;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HostPanel.Infrastructure.Apps;

public static class LifecycleServiceCollectionExtensions
{
    /// <summary>
    /// The app lifecycle: catalog, planner, journal-backed runner and the application service.
    /// Needs the engine (AddDockerEngine) and the state stores (AddHostPanelState).
    /// </summary>
    public static IServiceCollection AddHostPanelLifecycle(this IServiceCollection services, HostPanelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAppCatalog>(new DirectoryAppCatalog(options.ResolveCatalogDirectory()));
        services.TryAddSingleton(new InstanceLocks(Path.Combine(options.DataDirectory, "locks")));
        services.TryAddSingleton<OperationEvents>();
        services.TryAddSingleton<IHttpProbe, HttpProbe>();
        services.TryAddSingleton<IVolumeSnapshots>(sp => new EngineVolumeSnapshots(sp.GetRequiredService<IContainerEngine>(), options.UtilityImage));
        services.TryAddSingleton<IStepExecutor, StepExecutor>();
        services.TryAddSingleton<ICompensationPlanner, AppCompensation>();
        services.TryAddSingleton<OperationRunner>();
        services.TryAddSingleton<AppService>();
        services.TryAddSingleton<Reconciler>();
        return services;
    }
}
