using HostPanel.Core.Apps;
using HostPanel.Core.Apps.Execution;
using HostPanel.Core.Backups;
using HostPanel.Infrastructure.Backups;
using HostPanel.Core.Configuration;
using HostPanel.Core.Certificates;
using HostPanel.Core.Domains;
using HostPanel.Core.Edge;
using HostPanel.Infrastructure.Certificates;
using HostPanel.Infrastructure.Domains;
using HostPanel.Infrastructure.Edge;
using HostPanel.Infrastructure.Handover;
using HostPanel.Infrastructure.Mail;
using HostPanel.Infrastructure.SingleSignOn;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HostPanel.Infrastructure.Apps;

public static class LifecycleServiceCollectionExtensions
{
    /// <summary>
    /// The app lifecycle: catalog, planner, journal-backed runner and the application service,
    /// with backups and restores (restic).
    /// Needs the engine (AddDockerEngine) and the state stores (AddHostPanelState).
    /// </summary>
    public static IServiceCollection AddHostPanelLifecycle(this IServiceCollection services, HostPanelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(options);
        services.TryAddSingleton<IAppCatalog>(new DirectoryAppCatalog(options.ResolveCatalogDirectory()));
        services.TryAddSingleton(new InstanceLocks(Path.Combine(options.DataDirectory, "locks")));
        services.TryAddSingleton<OperationEvents>();
        services.TryAddSingleton<IHttpProbe, HttpProbe>();
        services.TryAddSingleton<IVolumeSnapshots>(sp => new EngineVolumeSnapshots(sp.GetRequiredService<IContainerEngine>(), options.UtilityImage));
        services.TryAddSingleton<StepExecutor>();
        services.TryAddSingleton<AppCompensation>();

        // Backups and restores (restic): their steps and compensations wrap the lifecycle's.
        services.TryAddSingleton<IRestic>(new ResticCli(cacheDirectory: Path.Combine(options.DataDirectory, "cache", "restic")));
        services.TryAddSingleton<IVolumeData, LocalVolumeData>();
        services.TryAddSingleton<BackupRepositories>();
        services.TryAddSingleton<HostPanel.Infrastructure.Handover.PanelStateBackup>();
        services.TryAddSingleton<BackupService>();
        services.TryAddSingleton<IPreUpdateBackup>(sp => sp.GetRequiredService<BackupService>());
        services.TryAddSingleton<BackupStepExecutor>();
        services.TryAddSingleton<IStepExecutor>(sp => sp.GetRequiredService<BackupStepExecutor>());
        services.TryAddSingleton<ICompensationPlanner, BackupCompensation>();
        services.TryAddSingleton<OperationRunner>();

        // Domains: names checked against the DNS before a certificate authority is asked.
        services.TryAddSingleton<IDomainResolver, DnsResolver>();
        services.TryAddSingleton<IServerAddresses, ServerAddresses>();
        services.TryAddSingleton<DomainChecker>();
        services.TryAddSingleton<DomainService>();

        // The edge proxy (Caddy, through its admin API) and certificates (ACME), when configured.
        if (!string.IsNullOrWhiteSpace(options.ProxyAdminSocket))
        {
            services.TryAddSingleton<IEdgeProxy>(new CaddyEdgeProxy(new CaddyEdgeProxyOptions
            {
                Caddy = new CaddyOptions
                {
                    AdminListen = "unix/" + options.ProxyAdminSocket,
                    HttpPort = options.HttpPort,
                    HttpsPort = options.HttpsPort,
                    StorageDirectory = Path.Combine(options.DataDirectory, "caddy", "storage"),
                },
                LastConfigurationFile = Path.Combine(options.DataDirectory, "caddy", "caddy.json"),
            }));
        }

        // Without a proxy (none configured), IEdgeProxy is absent and both take their null default.
        services.TryAddSingleton<EdgeSync>();
        services.TryAddSingleton<ICertificateAuthority, AcmeCertificateAuthority>();
        services.TryAddSingleton<CertificateService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOperationObserver, EdgeObserver>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOperationObserver, HostPanel.Core.Handover.AuditObserver>());

        services.AddHostPanelMail(options);
        services.AddHostPanelSingleSignOn(options);
        services.TryAddSingleton<OrganizationService>();

        // Who may do what, decided in one place; people, groups and tokens.
        services.TryAddSingleton<HostPanel.Core.Accounts.AccessControl>();
        services.TryAddSingleton<HostPanel.Core.Accounts.CallerResolver>();
        services.TryAddSingleton<HostPanel.Core.Accounts.MemberService>();
        services.TryAddSingleton<HostPanel.Core.Handover.IHandoverStore, HostPanel.Infrastructure.Handover.EfHandoverStore>();
        services.TryAddSingleton<HostPanel.Core.Handover.HandoverService>();

        // Continuity: external accounts and the bus-factor checks (which also need the recovery kit's state).
        services.AddHostPanelContinuity();
        services.TryAddSingleton<HostPanel.Core.Handover.AuditService>();
        services.TryAddSingleton<OperationHistory>();
        services.TryAddSingleton<HostPanel.Core.Mail.AdministratorAlerts>();
        services.TryAddSingleton<AppService>();
        services.TryAddSingleton<AppOverview>();
        services.AddHostPanelRunbook();
        services.TryAddSingleton<Reconciler>();

        // The recovery kit, which seals the backups' passwords and the key ring.
        services.AddHostPanelRecoveryKit();
        return services;
    }
}
