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

    /// <summary>Containers: create, start, stop, inspect, list by label, exec, logs, remove.</summary>
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
    /// <summary>
    /// Pulls <paramref name="reference"/> (name:tag or name@digest), reporting progress per layer.
    /// Idempotent: an image referenced by digest that is already present is not asked for again;
    /// a tag is checked against the registry and only new layers are downloaded. Bounded by
    /// <paramref name="ct"/>, and fails with <see cref="EngineTimeoutException"/> when the pull
    /// makes no progress for a few minutes (a registry that stopped answering).
    /// </summary>
    Task PullAsync(ImageReference reference, IProgress<PullProgress>? progress = null, CancellationToken ct = default);

    /// <summary>Returns the image, or null when the engine does not have it.</summary>
    Task<ImageInfo?> InspectAsync(string reference, CancellationToken ct = default);

    /// <summary>Removes the image; a missing image is not an error.</summary>
    Task RemoveAsync(string reference, CancellationToken ct = default);
}

/// <summary>
/// Containers. Every call that changes a container or runs something in it refuses (with
/// <see cref="NotManagedByHostPanelException"/>) a container without the managed label:
/// HostPanel never touches what it did not create.
/// </summary>
public interface IEngineContainers
{
    /// <summary>
    /// Creates a container and attaches it to all its networks, without starting it. The spec's
    /// labels must include <see cref="HostPanelLabels.Managed"/>; an invalid spec is refused with an
    /// <see cref="ArgumentException"/> listing its problems (<see cref="ContainerSpec.Validate"/>).
    /// </summary>
    Task<string> CreateAsync(ContainerSpec spec, CancellationToken ct = default);

    Task StartAsync(string id, CancellationToken ct = default);

    /// <summary>Stops the container, waiting at most <paramref name="grace"/> before the engine kills it.</summary>
    Task StopAsync(string id, TimeSpan grace, CancellationToken ct = default);

    /// <summary>Stops (waiting at most <paramref name="grace"/>) then starts the container.</summary>
    Task RestartAsync(string id, TimeSpan grace, CancellationToken ct = default);

    /// <summary>Gives the container a new name (an update keeps the old version aside this way).</summary>
    Task RenameAsync(string id, string newName, CancellationToken ct = default);

    /// <summary>Returns the container, or null when it does not exist.</summary>
    Task<ContainerInfo?> InspectAsync(string idOrName, CancellationToken ct = default);

    /// <summary>
    /// Lists only containers that carry every given label (key, or key=value), in one engine call.
    /// The answers have no <see cref="ContainerInfo.StartedAt"/> nor <see cref="ContainerInfo.RestartCount"/>.
    /// </summary>
    Task<IReadOnlyList<ContainerInfo>> ListAsync(LabelFilter filter, CancellationToken ct = default);

    /// <summary>
    /// Waits until the container is not running and returns its exit code (one-off job containers).
    /// Returns at once for a container that already exited. Throws <see cref="EngineTimeoutException"/>
    /// after <paramref name="timeout"/>, leaving the container running.
    /// </summary>
    Task<int> WaitAsync(string id, TimeSpan timeout, CancellationToken ct = default);

    /// <summary>
    /// The container's output, line by line, starting with the last <paramref name="tail"/> lines
    /// (negative: all of them; 0: none). Without <paramref name="follow"/> it ends with the lines
    /// written so far; with it, it goes on with new lines until the container stops or
    /// <paramref name="ct"/> is cancelled (then it throws <see cref="OperationCanceledException"/>).
    /// </summary>
    IAsyncEnumerable<LogLine> LogsAsync(string id, int tail, bool follow, CancellationToken ct = default);

    /// <summary>
    /// Runs a command in the running container and returns its exit code and captured output.
    /// After <see cref="ExecRequest.Timeout"/> it throws <see cref="EngineTimeoutException"/>; the
    /// engine offers no way to stop a single command, so it may go on running until it ends by
    /// itself or the container stops.
    /// </summary>
    Task<ExecResult> ExecAsync(string id, ExecRequest request, CancellationToken ct = default);

    /// <summary>
    /// Like <see cref="ExecAsync"/>, but copies the command's standard output into
    /// <paramref name="stdout"/> as it comes, without holding it in memory (database dumps).
    /// </summary>
    Task<ExecStreamResult> ExecStreamAsync(string id, ExecRequest request, Stream stdout, CancellationToken ct = default);

    /// <summary>Removes a container HostPanel manages. A missing container is not an error.</summary>
    Task RemoveAsync(string id, bool force, CancellationToken ct = default);
}

public interface IEngineNetworks
{
    /// <summary>Creates the network if no network of that name exists; returns its id.</summary>
    Task<string> EnsureAsync(NetworkSpec spec, CancellationToken ct = default);

    Task<IReadOnlyList<NetworkInfo>> ListAsync(LabelFilter filter, CancellationToken ct = default);

    /// <summary>
    /// Attaches a HostPanel container to a HostPanel network under the given aliases (running or
    /// not). A container already attached stays as it is.
    /// </summary>
    Task ConnectAsync(string network, string containerId, IReadOnlyList<string>? aliases = null, CancellationToken ct = default);

    /// <summary>Detaches a HostPanel container from a HostPanel network; not attached is not an error.</summary>
    Task DisconnectAsync(string network, string containerId, CancellationToken ct = default);

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
