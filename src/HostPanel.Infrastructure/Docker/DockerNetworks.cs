using Docker.DotNet.Models;
using HostPanel.Core.Engine;
using NetworkSpec = HostPanel.Core.Engine.NetworkSpec;

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

    public async Task ConnectAsync(string network, string containerId, IReadOnlyList<string>? aliases = null, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        var (target, container) = await RequireBothAsync(network, containerId, ct).ConfigureAwait(false);
        if (container.NetworkSettings?.Networks?.ContainsKey(target.Name) == true)
        {
            return;
        }

        await DockerErrors.Call($"attach the container {container.Name.TrimStart('/')} to the network {target.Name}", () =>
            client.Networks.ConnectNetworkAsync(target.Id, new NetworkConnectParameters
            {
                Container = container.ID,
                EndpointConfig = DockerContainerMapping.ToEndpoint(aliases),
            }, ct)).ConfigureAwait(false);
    }

    public async Task DisconnectAsync(string network, string containerId, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        var (target, container) = await RequireBothAsync(network, containerId, ct).ConfigureAwait(false);
        if (container.NetworkSettings?.Networks?.ContainsKey(target.Name) != true)
        {
            return;
        }

        await DockerErrors.Call($"detach the container {container.Name.TrimStart('/')} from the network {target.Name}", () =>
            client.Networks.DisconnectNetworkAsync(target.Id, new NetworkDisconnectParameters { Container = container.ID }, ct)).ConfigureAwait(false);
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

    private async Task<(NetworkInfo Network, ContainerInspectResponse Container)> RequireBothAsync(string network, string containerId, CancellationToken ct)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        var container = await DockerManaged.RequireContainerAsync(client, containerId, ct).ConfigureAwait(false);
        var target = await DockerManaged.RequireNetworkAsync(client, network, ct).ConfigureAwait(false);
        return (ToInfo(target), container);
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
