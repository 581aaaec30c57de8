using HostPanel.Core.Apps;
using HostPanel.Core.Domains;
using HostPanel.Core.Edge;
using HostPanel.Core.Operations;

namespace HostPanel.Core.Certificates;

/// <summary>
/// After every operation on an app: its domain attached to it (or freed when the app is gone,
/// with its certificate), the proxy's routes made to match, and a certificate obtained when the
/// app has a domain without a valid one.
/// </summary>
public sealed class EdgeObserver(IInstanceStore instances, DomainService domainService, IDomainStore domains, CertificateService certificates, EdgeSync edge) : IOperationObserver
{
    public async Task FinishedAsync(Operation operation, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var instance = await instances.FindAsync(operation.Instance, ct).ConfigureAwait(false);
        var present = instance is not null && instance.State != InstanceState.Removed && instance.Domain is { } d && !DomainName.IsReserved(d);
        foreach (var held in (await domains.ListAsync(null, ct).ConfigureAwait(false)).Where(x => x.Instance == operation.Instance))
        {
            if (!present || held.Name != instance!.Domain)
            {
                await domainService.DetachAsync(held.Name, operation.Instance, ct).ConfigureAwait(false);
                await certificates.ForgetAsync(held.Name, ct).ConfigureAwait(false);
            }
        }

        if (present)
        {
            await domainService.AttachAsync(instance!.Domain!, instance.Name, instance.OrganizationId, ct).ConfigureAwait(false);
        }

        if (edge.Enabled)
        {
            // The files of a forgotten certificate go only once the proxy no longer names them.
            await edge.SyncAsync(ct).ConfigureAwait(false);
        }

        await certificates.DeleteUnusedFilesAsync(ct).ConfigureAwait(false);
        if (!edge.Enabled)
        {
            return;
        }

        if (present && operation.State == OperationState.Succeeded)
        {
            await certificates.EnsureAsync(instance!.Domain!, ct: ct).ConfigureAwait(false);
        }
    }
}
