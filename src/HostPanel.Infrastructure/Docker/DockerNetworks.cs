using Docker.DotNet.Models;
using HostPanel.Core.Engine;
using ContainerSpec = HostPanel.Core.Engine.ContainerSpec;
using NetworkSpec = HostPanel.Core.Engine.NetworkSpec;
using VolumeInfo = HostPanel.Core.Engine.VolumeInfo;

namespace HostPanel.Infrastructure.Docker;

internal sealed class DockerNetworks(DockerClientProvider clients) : IEngineNetworks
{
    public async Task<string> EnsureAsync(NetworkSpec spec, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        var labels = DockerLabels.RequireManaged("network", spec.Name, spec.Labels);
        if (await FindAsync(spec.Name, ct).ConfigureAwait(false) is { } existing)
        {
            if (!HostPanelLabels.IsManaged(existing.Labels))
            {
                throw new NotManagedByHostPanelException("network", spec.Name);
            }

            return existing.Id;
        }

        var created = await DockerErrors.Call($"create the network {spec.Name}", () => client.Networks.CreateNetworkAsync(
            new NetworksCreateParameters { Name = spec.Name, Driver = "bridge", Internal = spec.Internal, Labels = labels }, ct)).ConfigureAwait(false);
        return created.ID;
    }

    public async Task<IReadOnlyList<NetworkInfo>> ListAsync(LabelFilter filter, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        var list = await DockerErrors.Call("list networks", () => client.Networks.ListNetworksAsync(
            new NetworksListParameters { Filters = DockerLabels.Filters(filter) }, ct)).ConfigureAwait(false);
        return [.. list.Select(ToInfo)];
    }

    public async Task RemoveAsync(string idOrName, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        if (await FindAsync(idOrName, ct).ConfigureAwait(false) is not { } existing)
        {
            return;
        }

        if (!HostPanelLabels.IsManaged(existing.Labels))
        {
            throw new NotManagedByHostPanelException("network", existing.Name);
        }

        try
        {
            await client.Networks.DeleteNetworkAsync(existing.Id, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (DockerErrors.IsNotFound(e))
        {
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ContainerEngineException($"Docker engine: could not remove the network {existing.Name}: {DockerErrors.Describe(e)}", e);
        }
    }

    private async Task<NetworkInfo?> FindAsync(string idOrName, CancellationToken ct)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        try
        {
            var network = await client.Networks.InspectNetworkAsync(idOrName, ct).ConfigureAwait(false);

            // The engine also matches id prefixes and partial names; only an exact match is this network.
            return network.Name == idOrName || network.ID == idOrName ? ToInfo(network) : null;
        }
        catch (Exception e) when (DockerErrors.IsNotFound(e))
        {
            return null;
        }
    }

    private static NetworkInfo ToInfo(NetworkResponse n) => new(n.ID, n.Name, n.Internal, DockerLabels.Copy(n.Labels));
}
