using HostPanel.Infrastructure.Accounts;
using HostPanel.Infrastructure.Handover;
using HostPanel.Infrastructure.Mail;
using HostPanel.Infrastructure.Secrets;
using HostPanel.Infrastructure.State;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace HostPanel.Infrastructure.Data;

/// <summary>
/// The panel's SQLite database: accounts and roles; organizations, installed apps, the packages
/// they were installed from and their encrypted secrets; the operations journal.
/// </summary>
public sealed class HostPanelDbContext(DbContextOptions<HostPanelDbContext> options)
    : IdentityDbContext<HostPanelUser>(options)
{
    /// <summary>
    /// The Identity schema the model is built with (version 3 includes passkeys). Identity reads it
    /// from <see cref="IdentityOptions"/> in the application's services, so every registration of
    /// this context sets it, the design-time one included: migrations and the running model agree.
    /// </summary>
    public static Version IdentitySchema => IdentitySchemaVersions.Version3;

    internal DbSet<OrganizationRow> Organizations => Set<OrganizationRow>();

    internal DbSet<AppInstanceRow> AppInstances => Set<AppInstanceRow>();

    internal DbSet<AppPackageRow> AppPackages => Set<AppPackageRow>();

    internal DbSet<OperationRow> Operations => Set<OperationRow>();

    internal DbSet<OperationStepRow> OperationSteps => Set<OperationStepRow>();

    internal DbSet<OperationLogLineRow> OperationLogLines => Set<OperationLogLineRow>();

    internal DbSet<InstanceSecretRow> InstanceSecrets => Set<InstanceSecretRow>();

    internal DbSet<BackupTargetRow> BackupTargets => Set<BackupTargetRow>();

    internal DbSet<DomainRow> Domains => Set<DomainRow>();

    internal DbSet<CertificateRow> Certificates => Set<CertificateRow>();

    internal DbSet<ChallengeRow> AcmeChallenges => Set<ChallengeRow>();

    internal DbSet<MailProfileRow> MailProfiles => Set<MailProfileRow>();

    internal DbSet<QuotaRow> OrganizationQuotas => Set<QuotaRow>();

    internal DbSet<MembershipRow> Memberships => Set<MembershipRow>();

    internal DbSet<GroupRow> Groups => Set<GroupRow>();

    internal DbSet<GroupMemberRow> GroupMembers => Set<GroupMemberRow>();

    internal DbSet<AppAccessRuleRow> AppAccessRules => Set<AppAccessRuleRow>();

    internal DbSet<AppAccessRow> AppAccess => Set<AppAccessRow>();

    internal DbSet<InvitationRow> Invitations => Set<InvitationRow>();

    internal DbSet<AccessTokenRow> AccessTokens => Set<AccessTokenRow>();

    internal DbSet<SecurityEventRow> SecurityEvents => Set<SecurityEventRow>();

    internal DbSet<Handover.HandoverRow> Handovers => Set<Handover.HandoverRow>();
    internal DbSet<ExternalAccountRow> ExternalAccounts => Set<ExternalAccountRow>();
    internal DbSet<AuditEntryRow> AuditEntries => Set<AuditEntryRow>();
    internal DbSet<Handover.RecoveryKitRow> RecoveryKits => Set<Handover.RecoveryKitRow>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<HostPanelUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(HostPanelUser.DisplayNameMaxLength).IsRequired();
            user.Property(u => u.CreatedAt).HasConversion(UtcTicks.Converter);
            user.Property(u => u.DisabledAt).HasConversion(UtcTicks.Converter);
        });

        builder.ApplyConfiguration(new OrganizationRowConfiguration());
        builder.ApplyConfiguration(new AppInstanceRowConfiguration());
        builder.ApplyConfiguration(new AppPackageRowConfiguration());
        builder.ApplyConfiguration(new OperationRowConfiguration());
        builder.ApplyConfiguration(new OperationStepRowConfiguration());
        builder.ApplyConfiguration(new OperationLogLineRowConfiguration());
        builder.ApplyConfiguration(new InstanceSecretRowConfiguration());
        builder.ApplyConfiguration(new BackupTargetRowConfiguration());
        builder.ApplyConfiguration(new DomainRowConfiguration());
        builder.ApplyConfiguration(new CertificateRowConfiguration());
        builder.ApplyConfiguration(new ChallengeRowConfiguration());
        builder.ApplyConfiguration(new MailProfileRowConfiguration());
        builder.ApplyConfiguration(new QuotaRowConfiguration());
        builder.ApplyConfiguration(new Handover.HandoverRowConfiguration());
        builder.ApplyConfiguration(new AuditEntryRowConfiguration());
        builder.ApplyConfiguration(new Handover.RecoveryKitRowConfiguration());
        AccountModel.Configure(builder);
        builder.ApplyConfiguration(new ExternalAccountRowConfiguration());

        // The single sign-on provider's clients, authorizations, scopes and tokens (OpenIddict).
        builder.UseOpenIddict();
    }
}
