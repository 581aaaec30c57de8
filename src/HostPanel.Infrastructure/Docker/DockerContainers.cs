using Docker.DotNet.Models;
using HostPanel.Core.Engine;
using ContainerSpec = HostPanel.Core.Engine.ContainerSpec;
using NetworkSpec = HostPanel.Core.Engine.NetworkSpec;
using VolumeInfo = HostPanel.Core.Engine.VolumeInfo;

namespace HostPanel.Infrastructure.Docker;

internal sealed class DockerContainers(DockerClientProvider clients) : IEngineContainers
{
    public async Task<string> CreateAsync(ContainerSpec spec, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        var parameters = new CreateContainerParameters
        {
            Name = spec.Name,
            Image = spec.Image,
            Labels = DockerLabels.RequireManaged("container", spec.Name, spec.Labels),
            Env = [.. spec.Environment.Select(kv => $"{kv.Key}={kv.Value}")],
            HostConfig = new HostConfig
            {
                Mounts = [.. spec.Volumes.Select(v => new Mount { Type = "volume", Source = v.VolumeName, Target = v.ContainerPath, ReadOnly = v.ReadOnly })],
                RestartPolicy = new RestartPolicy { Name = spec.RestartUnlessStopped ? RestartPolicyKind.UnlessStopped : RestartPolicyKind.No },
                Memory = spec.MemoryLimitBytes ?? 0,
            },
        };

        // Unset fields stay absent from the request so the image's own defaults apply.
        if (spec.Command is not null)
        {
            parameters.Cmd = [.. spec.Command];
        }

        if (spec.Entrypoint is not null)
        {
            parameters.Entrypoint = [.. spec.Entrypoint];
        }

        if (spec.User is not null)
        {
            parameters.User = spec.User;
        }

        if (spec.Network is not null)
        {
            parameters.HostConfig.NetworkMode = spec.Network;
            parameters.NetworkingConfig = new NetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, EndpointSettings>
                {
                    [spec.Network] = new() { Aliases = [.. spec.NetworkAliases] },
                },
            };
        }

        var created = await DockerErrors.Call($"create the container {spec.Name}", () =>
            client.Containers.CreateContainerAsync(parameters, ct)).ConfigureAwait(false);
        return created.ID;
    }

    public async Task StartAsync(string id, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        await RequireManagedAsync(id, ct).ConfigureAwait(false);
        await DockerErrors.Call($"start the container {id}", () =>
            client.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct)).ConfigureAwait(false);
    }

    public async Task StopAsync(string id, TimeSpan grace, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        await RequireManagedAsync(id, ct).ConfigureAwait(false);
        await DockerErrors.Call($"stop the container {id}", () =>
            client.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = (uint)Math.Ceiling(grace.TotalSeconds) }, ct)).ConfigureAwait(false);
    }

    public async Task<ContainerInfo?> InspectAsync(string idOrName, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        try
        {
            var c = await client.Containers.InspectContainerAsync(idOrName, ct).ConfigureAwait(false);
            return new ContainerInfo(
                c.ID,
                c.Name.TrimStart('/'),
                c.Config?.Image ?? c.Image,
                ParseState(c.State?.Status),
                DockerLabels.Copy(c.Config?.Labels),
                c.State is { Running: false } s ? (int)s.ExitCode : null);
        }
        catch (Exception e) when (DockerErrors.IsNotFound(e))
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<ContainerInfo>> ListAsync(LabelFilter filter, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        var list = await DockerErrors.Call("list containers", () => client.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = DockerLabels.Filters(filter) }, ct)).ConfigureAwait(false);
        return [.. list.Select(c => new ContainerInfo(
            c.ID,
            c.Names?.FirstOrDefault()?.TrimStart('/') ?? c.ID,
            c.Image,
            ParseState(c.State),
            DockerLabels.Copy(c.Labels),
            null))];
    }

    public async Task RemoveAsync(string id, bool force, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        if (await InspectAsync(id, ct).ConfigureAwait(false) is not { } existing)
        {
            return;
        }

        if (!HostPanelLabels.IsManaged(existing.Labels))
        {
            throw new NotManagedByHostPanelException("container", existing.Name);
        }

        try
        {
            await client.Containers.RemoveContainerAsync(existing.Id, new ContainerRemoveParameters { Force = force, RemoveVolumes = false }, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (DockerErrors.IsNotFound(e))
        {
            // Removed meanwhile: the outcome the caller wanted.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ContainerEngineException($"Docker engine: could not remove the container {existing.Name}: {DockerErrors.Describe(e)}", e);
        }
    }

    private async Task RequireManagedAsync(string id, CancellationToken ct)
    {
        var existing = await InspectAsync(id, ct).ConfigureAwait(false)
            ?? throw new ContainerEngineException($"Docker engine: the container {id} does not exist.");
        if (!HostPanelLabels.IsManaged(existing.Labels))
        {
            throw new NotManagedByHostPanelException("container", existing.Name);
        }
    }

    internal static ContainerState ParseState(string? state) => state?.ToLowerInvariant() switch
    {
        "created" => ContainerState.Created,
        "running" => ContainerState.Running,
        "paused" => ContainerState.Paused,
        "restarting" => ContainerState.Restarting,
        "exited" => ContainerState.Exited,
        "dead" => ContainerState.Dead,
        "removing" => ContainerState.Removing,
        _ => ContainerState.Unknown,
    };
}
