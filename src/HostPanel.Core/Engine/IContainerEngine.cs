namespace HostPanel.Core.Engine;

/// <summary>
/// The container engine as HostPanel sees it: one narrow interface per concern, with HostPanel's
/// own records at the boundary. The Docker adapter is the only code that knows the engine's API.
/// </summary>
public interface IContainerEngine
{
    /// <summary>Engine-wide facts: version, reachability.</summary>
    IEngineSystem System { get; }

    /// <summary>Images: pull with progress, inspect, remove.</summary>
    IEngineImages Images { get; }

    /// <summary>Containers: create, start, stop, inspect, list by label, remove.</summary>
    IEngineContainers Containers { get; }

    /// <summary>Networks owned by HostPanel.</summary>
    IEngineNetworks Networks { get; }

    /// <summary>Named volumes owned by HostPanel.</summary>
    IEngineVolumes Volumes { get; }
}

public interface IEngineSystem
{
    /// <summary>
    /// Asks the engine for its version. Never throws for an unreachable engine: the answer says
    /// so, with the reason, because "is the engine there?" is a question the panel shows.
    /// </summary>
    Task<EngineStatus> GetStatusAsync(CancellationToken ct = default);
}

public interface IEngineImages
{
    /// <summary>Pulls <paramref name="reference"/> (name:tag or name@digest), reporting progress per layer.</summary>
    Task PullAsync(ImageReference reference, IProgress<PullProgress>? progress = null, CancellationToken ct = default);

    /// <summary>Returns the image, or null when the engine does not have it.</summary>
    Task<ImageInfo?> InspectAsync(string reference, CancellationToken ct = default);

    /// <summary>Removes the image; a missing image is not an error.</summary>
    Task RemoveAsync(string reference, CancellationToken ct = default);
}

public interface IEngineContainers
{
    /// <summary>Creates a container; the spec's labels must include <see cref="HostPanelLabels.Managed"/>.</summary>
    Task<string> CreateAsync(ContainerSpec spec, CancellationToken ct = default);

    Task StartAsync(string id, CancellationToken ct = default);

    /// <summary>Stops the container, waiting at most <paramref name="grace"/> before the engine kills it.</summary>
    Task StopAsync(string id, TimeSpan grace, CancellationToken ct = default);

    /// <summary>Returns the container, or null when it does not exist.</summary>
    Task<ContainerInfo?> InspectAsync(string idOrName, CancellationToken ct = default);

    /// <summary>Lists only containers that carry every given label (key, or key=value).</summary>
    Task<IReadOnlyList<ContainerInfo>> ListAsync(LabelFilter filter, CancellationToken ct = default);

    /// <summary>
    /// Removes a container HostPanel manages. Refuses (with <see cref="NotManagedByHostPanelException"/>)
    /// a container without the managed label: HostPanel never touches what it did not create.
    /// A missing container is not an error.
    /// </summary>
    Task RemoveAsync(string id, bool force, CancellationToken ct = default);
}

public interface IEngineNetworks
{
    /// <summary>Creates the network if no network of that name exists; returns its id.</summary>
    Task<string> EnsureAsync(NetworkSpec spec, CancellationToken ct = default);

    Task<IReadOnlyList<NetworkInfo>> ListAsync(LabelFilter filter, CancellationToken ct = default);

    /// <summary>Removes a HostPanel network; refuses one without the managed label; missing is not an error.</summary>
    Task RemoveAsync(string idOrName, CancellationToken ct = default);
}

public interface IEngineVolumes
{
    /// <summary>Creates the named volume if it does not exist.</summary>
    Task EnsureAsync(VolumeSpec spec, CancellationToken ct = default);

    Task<IReadOnlyList<VolumeInfo>> ListAsync(LabelFilter filter, CancellationToken ct = default);

    /// <summary>Removes a HostPanel volume; refuses one without the managed label; missing is not an error.</summary>
    Task RemoveAsync(string name, CancellationToken ct = default);
}
