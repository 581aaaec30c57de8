using HostPanel.Core.Accounts;
using HostPanel.Core.Handover;

namespace HostPanel.Web.Panel.RecoveryKit;

/// <summary>
/// The recovery kit's state as one person may read it: the last kit (null when none was issued)
/// and what changed since among what it covers. A hoster sees every change; an organization's
/// administrator sees those of the organizations they administer and of the panel's key ring,
/// and only that others exist (<see cref="OthersChanged"/>), never their names.
/// </summary>
public sealed record RecoveryKitView(Caller Caller, RecoveryKitStatus? Status, IReadOnlyList<RecoveryKitChange> Changes, bool OthersChanged)
{
    public static RecoveryKitView For(Caller caller, RecoveryKitStatus? status)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (status is null)
        {
            return new RecoveryKitView(caller, null, [], false);
        }

        if (caller.IsHosterAdministrator)
        {
            return new RecoveryKitView(caller, status, status.Changes, false);
        }

        var shown = status.Changes.Where(c => IsVisibleTo(caller, c)).ToList();
        return new RecoveryKitView(caller, status, shown, shown.Count < status.Changes.Count);
    }

    private static bool IsVisibleTo(Caller caller, RecoveryKitChange change) =>
        change.Item == RecoveryKitChange.UsedItem
        || change.Item.StartsWith(CoveredSecrets.KeyRingItem, StringComparison.Ordinal)
        || (change.Item.StartsWith(CoveredSecrets.RepositoryItem, StringComparison.Ordinal)
            && caller.RoleIn(change.Item[CoveredSecrets.RepositoryItem.Length..]) == OrganizationRole.Administrator);
}
