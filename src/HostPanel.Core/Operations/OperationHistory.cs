using HostPanel.Core.Accounts;

namespace HostPanel.Core.Operations;

/// <summary>
/// The journal as people read it: the operations of the organizations the caller administers
/// (every one for a hosting administrator), newest first; another organization's operations are
/// never counted nor named.
/// </summary>
public sealed class OperationHistory(IOperationJournal journal, AccessControl access)
{
    public async Task<IReadOnlyList<Operation>> ListAsync(Caller caller, string? instance, int take, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (instance is not null)
        {
            await access.AppAsync(caller, instance, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        }

        if (caller.IsHosterAdministrator)
        {
            return await journal.ListAsync(instance, null, take, ct).ConfigureAwait(false);
        }

        var result = new List<Operation>();
        foreach (var (organization, role) in caller.Roles)
        {
            if (role == OrganizationRole.Administrator)
            {
                result.AddRange(await journal.ListAsync(instance, organization, take, ct).ConfigureAwait(false));
            }
        }

        return [.. result.OrderByDescending(o => o.CreatedAt).Take(take)];
    }

    /// <summary>
    /// The latest operations of one organization the caller administers, of one of its apps when
    /// <paramref name="instance"/> is given (also an app removed since), newest first: what the
    /// panel shows for the organization it is looking at. Another organization is refused like an
    /// unknown one.
    /// </summary>
    public async Task<IReadOnlyList<Operation>> ListForOrganizationAsync(Caller caller, string organizationId, string? instance, int take, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        return await journal.ListAsync(instance, organizationId, take, ct).ConfigureAwait(false);
    }
}
