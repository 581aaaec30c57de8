using HostPanel.Core.Accounts;
using HostPanel.Core.Handover;
using HostPanel.Web.Accounts;
using HostPanel.Web.Panel.RecoveryKit;
using Microsoft.Extensions.Localization;

namespace HostPanel.Web.Components.Pages.Continuity;

/// <summary>A page where a raised check can be fixed, and the words of the link to it.</summary>
public sealed record FindingLink(string Href, string Text);

/// <summary>Where each bus-factor check is fixed in the panel, when a page for it exists.</summary>
public static class ContinuityLinks
{
    public const string PagePath = "/continuity";

    /// <summary>The id of the external accounts' section on the Continuity page.</summary>
    public const string AccountsAnchor = "external-accounts";

    /// <summary>The id of the hosters' section on the People page.</summary>
    public const string HostersAnchor = "hosters-section";

    /// <summary>
    /// The page that fixes <paramref name="finding"/> for <paramref name="caller"/>; null when the
    /// fix is not in the panel or not in the caller's hands (the recovery kit is for hosters to make).
    /// </summary>
    public static FindingLink? For(BusFactorFinding finding, Caller caller, IStringLocalizer<ContinuityPageText> text, IStringLocalizer<RecoveryKitPageText>? kitText = null)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(text);
        return finding.Check switch
        {
            BusFactorCheck.AdministratorWithoutTwoFactor when string.Equals(finding.Subject, caller.Name, StringComparison.OrdinalIgnoreCase)
                => new FindingLink(AccountPaths.TwoFactor, text["Link.TwoFactor"]),
            BusFactorCheck.SingleAdministrator when finding.OrganizationId is null && caller.IsHosterAdministrator
                => new FindingLink("/people#" + HostersAnchor, text["Link.Hosters"]),
            BusFactorCheck.SingleAdministrator or BusFactorCheck.AdministratorWithoutTwoFactor when finding.OrganizationId is not null
                => new FindingLink("/people", text["Link.People"]),
            BusFactorCheck.NoRecentRestoreProof when finding.Subject is { } app
                => new FindingLink("/apps/" + Uri.EscapeDataString(app), text["Link.App", app]),
            BusFactorCheck.ExternalAccountSingleHolder
                => new FindingLink(PagePath + "#" + AccountsAnchor, text["Link.Accounts"]),
            BusFactorCheck.NoRecoveryKit or BusFactorCheck.RecoveryKitOutdated or BusFactorCheck.TooFewHolders when caller.IsHosterAdministrator && kitText is not null
                => new FindingLink(RecoveryKitEndpoints.PagePath, kitText["Link.Kit"]),
            _ => null,
        };
    }
}
