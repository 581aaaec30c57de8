using HostPanel.Core.Apps;
using HostPanel.Core.Configuration;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using HostPanel.Core.Secrets;
using HostPanel.Infrastructure.Data;
using HostPanel.Infrastructure.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HostPanel.Infrastructure.State;

public static class StateServiceCollectionExtensions
{
    /// <summary>
    /// Registers where the apps' lifecycle is kept, as singletons safe to use from several threads:
    /// <see cref="IOrganizationStore"/>, <see cref="IInstanceStore"/>, <see cref="IPackageArchive"/>
    /// and <see cref="IOperationJournal"/> in the SQLite database, and <see cref="ISecretStore"/>
    /// encrypted with Data Protection. Also registers the database
    /// (<see cref="DataServiceCollectionExtensions.AddHostPanelData(IServiceCollection, HostPanelOptions)"/>)
    /// and Data Protection
    /// (<see cref="KeyRingServiceCollectionExtensions.AddHostPanelDataProtection(IServiceCollection, HostPanelOptions)"/>) when
    /// they are not registered yet. Works without ASP.NET Core hosting; the database must be
    /// migrated (<see cref="HostPanelDatabase.MigrateAsync"/>) before the stores are used.
    /// </summary>
    public static IServiceCollection AddHostPanelState(this IServiceCollection services, HostPanelOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);

        services.AddHostPanelData(options);
        services.AddHostPanelDataProtection(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IOrganizationStore, EfOrganizationStore>();
        services.TryAddSingleton<IInstanceStore, EfInstanceStore>();
        services.TryAddSingleton<IPackageArchive, EfPackageArchive>();
        services.TryAddSingleton<IOperationJournal, EfOperationJournal>();
        services.TryAddSingleton<ISecretStore, DataProtectionSecretStore>();
        services.TryAddSingleton<HostPanel.Core.Backups.IBackupTargetStore, EfBackupTargetStore>();
        services.TryAddSingleton<HostPanel.Core.Domains.IDomainStore, EfDomainStore>();
        services.TryAddSingleton<HostPanel.Core.Certificates.ICertificateStore, EfCertificateStore>();
        services.TryAddSingleton<HostPanel.Core.Certificates.IChallengeStore, EfChallengeStore>();
        services.TryAddSingleton<IQuotaStore, EfQuotaStore>();
        services.TryAddSingleton<HostPanel.Core.Accounts.IMembershipStore, Accounts.EfMembershipStore>();
        services.TryAddSingleton<HostPanel.Core.Accounts.IGroupStore, Accounts.EfGroupStore>();
        services.TryAddSingleton<HostPanel.Core.Accounts.IInvitationStore, Accounts.EfInvitationStore>();
        services.TryAddSingleton<HostPanel.Core.Accounts.IAccessTokenStore, Accounts.EfAccessTokenStore>();
        services.TryAddSingleton<HostPanel.Core.Accounts.ISecurityEventStore, Accounts.EfSecurityEventStore>();

        // The audit log: one store, also registered as the IAuditLog every service records through.
        services.TryAddSingleton<HostPanel.Core.Handover.IAuditStore>(sp => new Handover.EfAuditStore(
            sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<HostPanelDbContext>>(),
            options.DataDirectory,
            sp.GetRequiredService<TimeProvider>(),
            Microsoft.Extensions.Logging.LoggerFactoryExtensions.CreateLogger<Handover.EfAuditStore>(
                sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)));
        services.TryAddSingleton<HostPanel.Core.Handover.IAuditLog>(sp => sp.GetRequiredService<HostPanel.Core.Handover.IAuditStore>());
        return services;
    }
}
