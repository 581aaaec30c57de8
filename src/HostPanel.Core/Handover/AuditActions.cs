using HostPanel.Core.Operations;

namespace HostPanel.Core.Handover;

/// <summary>
/// The stable action codes the audit log keeps. Each has a sentence in AuditText ("Action.CODE");
/// the code never changes once written, the words may.
/// </summary>
public static class AuditActions
{
    public const string OrganizationAdd = "organization.add";
    public const string OrganizationQuota = "organization.quota";
    public const string MemberInvite = "member.invite";
    public const string MemberJoin = "member.join";
    public const string MemberRole = "member.role";
    public const string MemberSuspend = "member.suspend";
    public const string MemberResume = "member.resume";
    public const string MemberRemove = "member.remove";
    public const string GroupAdd = "group.add";
    public const string GroupRemove = "group.remove";
    public const string GroupMembers = "group.members";
    public const string AppAccess = "app.access";
    public const string TokenCreate = "token.create";
    public const string TokenRevoke = "token.revoke";
    public const string DomainAdd = "domain.add";
    public const string BackupTarget = "backup.target";
    public const string MailSettings = "mail.settings";
    public const string CertificateRenew = "certificate.renew";
    public const string FirstAdministrator = "admin.first";
    public const string AdministratorRecover = "admin.recover";
    public const string AdministratorRecoverWithKit = "admin.recover.kit";
    public const string HostingGrant = "hosting.grant";
    public const string HostingRevoke = "hosting.revoke";
    public const string AccessRefused = "access.refused";
    public const string ExternalAccountAdd = "external-account.add";
    public const string ExternalAccountUpdate = "external-account.update";
    public const string ExternalAccountRemove = "external-account.remove";
    public const string RecoveryKitCreate = "recovery-kit.create";
    public const string PanelRecovered = "panel.recovered";
    public const string HandoverStart = "handover.start";
    public const string HandoverSignInProven = "handover.sign-in-proven";
    public const string HandoverComplete = "handover.complete";
    public const string HandoverCancel = "handover.cancel";

    /// <summary>"app.install", "app.backup-key-export"…: one code per kind of operation.</summary>
    public static string ForOperation(OperationKind kind) => "app." + kind switch
    {
        OperationKind.BackupKeyExport => "backup-key-export",
        OperationKind.ChangeDomain => "change-domain",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>How a finished operation ends in the log; null while it is not finished.</summary>
    public static AuditResult? ResultOf(OperationState state) => state switch
    {
        OperationState.Succeeded => AuditResult.Succeeded,
        OperationState.Failed => AuditResult.Failed,
        OperationState.RolledBack => AuditResult.RolledBack,

        // Left to the reconciler after a failed undo: it failed, as far as the person is concerned.
        OperationState.Interrupted => AuditResult.Failed,
        _ => null,
    };
}
