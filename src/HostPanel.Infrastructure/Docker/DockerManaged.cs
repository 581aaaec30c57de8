using Docker.DotNet;
using Docker.DotNet.Models;
using HostPanel.Core.Engine;

namespace HostPanel.Infrastructure.Docker;

/// <summary>Finds containers and checks they are HostPanel's before anything changes them.</summary>
internal static class DockerManaged
{
    public static async Task<ContainerInspectResponse?> FindContainerAsync(DockerClient client, string idOrName, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idOrName);
        try
        {
            return await DockerErrors.Call($"inspect the container {idOrName}", () =>
                client.Containers.InspectContainerAsync(idOrName, ct)).ConfigureAwait(false);
        }
        catch (ContainerEngineException e) when (e.InnerException is { } inner && DockerErrors.IsNotFound(inner))
        {
            return null;
        }
    }

    /// <summary>The container, if it exists and carries the managed label; otherwise a typed refusal.</summary>
    public static async Task<ContainerInspectResponse> RequireContainerAsync(DockerClient client, string idOrName, CancellationToken ct)
    {
        var existing = await FindContainerAsync(client, idOrName, ct).ConfigureAwait(false)
            ?? throw new ContainerEngineException($"Docker engine: the container {idOrName} does not exist.");
        if (!HostPanelLabels.IsManaged(DockerLabels.Copy(existing.Config?.Labels)))
        {
            throw new NotManagedByHostPanelException("container", existing.Name.TrimStart('/'));
        }

        return existing;
    }

    /// <summary>
    /// The network, if it exists under exactly that name or id and carries the managed label.
    /// Checked before attaching: the engine accepts attaching a created container to a network
    /// that does not exist and only fails when the container starts.
    /// </summary>
    public static async Task<NetworkResponse> RequireNetworkAsync(DockerClient client, string idOrName, CancellationToken ct)
    {
        NetworkResponse? network;
        try
        {
            network = await DockerErrors.Call($"inspect the network {idOrName}", () =>
                client.Networks.InspectNetworkAsync(idOrName, ct)).ConfigureAwait(false);
        }
        catch (ContainerEngineException e) when (e.InnerException is { } inner && DockerErrors.IsNotFound(inner))
        {
            network = null;
        }

        // The engine also matches id prefixes and partial names; only an exact match is this network.
        if (network is null || (network.Name != idOrName && network.ID != idOrName))
        {
            throw new ContainerEngineException($"Docker engine: the network {idOrName} does not exist; HostPanel creates a network before attaching containers to it.");
        }

        if (!HostPanelLabels.IsManaged(DockerLabels.Copy(network.Labels)))
        {
            throw new NotManagedByHostPanelException("network", network.Name);
        }

        return network;
    }
}
