using HostPanel.Core.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HostPanel.Infrastructure.Docker;

public static class DockerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Docker engine as the singleton <see cref="IContainerEngine"/>. The endpoint is
    /// HostPanelOptions.DockerEndpoint, else DOCKER_HOST, else the engine's default socket.
    /// </summary>
    public static IServiceCollection AddDockerEngine(this IServiceCollection services)
    {
        services.AddOptions<HostPanel.Core.Configuration.HostPanelOptions>();
        services.AddLogging();
        services.TryAddSingleton<DockerClientProvider>();
        services.TryAddSingleton<IContainerEngine, DockerContainerEngine>();
        return services;
    }
}
