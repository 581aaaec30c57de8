using HostPanel.Core.Engine;

namespace HostPanel.Infrastructure.Docker;

/// <summary><see cref="IContainerEngine"/> on the Docker Engine API.</summary>
internal sealed class DockerContainerEngine(DockerClientProvider clients) : IContainerEngine
{
    public IEngineSystem System { get; } = new DockerSystem(clients);
    public IEngineImages Images { get; } = new DockerImages(clients);
    public IEngineContainers Containers { get; } = new DockerContainers(clients);
    public IEngineNetworks Networks { get; } = new DockerNetworks(clients);
    public IEngineVolumes Volumes { get; } = new DockerVolumes(clients);
}
