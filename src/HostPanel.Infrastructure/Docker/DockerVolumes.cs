using Docker.DotNet.Models;
using HostPanel.Core.Engine;
using VolumeInfo = HostPanel.Core.Engine.VolumeInfo;

namespace HostPanel.Infrastructure.Docker;

internal sealed class DockerVolumes(DockerClientProvider clients) : IEngineVolumes
{
    public async Task EnsureAsync(VolumeSpec spec, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        var labels = DockerLabels.RequireManaged("volume", spec.Name, spec.Labels);
        if (await FindAsync(spec.Name, ct).ConfigureAwait(false) is { } existing)
        {
            if (!HostPanelLabels.IsManaged(existing.Labels))
            {
                throw new NotManagedByHostPanelException("volume", spec.Name);
            }

            return;
        }

        await DockerErrors.Call($"create the volume {spec.Name}", () => client.Volumes.CreateAsync(
            new VolumesCreateParameters { Name = spec.Name, Driver = "local", Labels = labels }, ct)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<VolumeInfo>> ListAsync(LabelFilter filter, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        var list = await DockerErrors.Call("list volumes", () => client.Volumes.ListAsync(
            new VolumesListParameters { Filters = DockerLabels.Filters(filter) }, ct)).ConfigureAwait(false);
        return [.. (list.Volumes ?? []).Select(v => new VolumeInfo(v.Name, DockerLabels.Copy(v.Labels), string.IsNullOrEmpty(v.Mountpoint) ? null : v.Mountpoint))];
    }

    public async Task RemoveAsync(string name, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        if (await FindAsync(name, ct).ConfigureAwait(false) is not { } existing)
        {
            return;
        }

        if (!HostPanelLabels.IsManaged(existing.Labels))
        {
            throw new NotManagedByHostPanelException("volume", name);
        }

        try
        {
            await client.Volumes.RemoveAsync(name, false, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (DockerErrors.IsNotFound(e))
        {
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ContainerEngineException($"Docker engine: could not remove the volume {name}: {DockerErrors.Describe(e)}", e);
        }
    }

    private async Task<VolumeInfo?> FindAsync(string name, CancellationToken ct)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        try
        {
            var v = await client.Volumes.InspectAsync(name, ct).ConfigureAwait(false);
            return new VolumeInfo(v.Name, DockerLabels.Copy(v.Labels), string.IsNullOrEmpty(v.Mountpoint) ? null : v.Mountpoint);
        }
        catch (Exception e) when (DockerErrors.IsNotFound(e))
        {
            return null;
        }
    }
}
