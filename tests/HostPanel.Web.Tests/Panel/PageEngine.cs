using System.Runtime.CompilerServices;
using HostPanel.Core.Engine;

namespace HostPanel.Web.Tests.Panel;

/// <summary>
/// A container engine for page tests: answers what the pages read (status, containers, volumes,
/// logs) from what the test sets, and refuses to change anything. Pages that start work are
/// tested on the real engine, in the end-to-end tests.
/// </summary>
public sealed class PageEngine : IContainerEngine, IEngineSystem, IEngineContainers, IEngineVolumes
{
    public EngineStatus Status { get; set; } = new("unix:///run/docker.sock", true, "26.1.5", "1.45", "linux", null);

    /// <summary>When set, every read fails with it (an engine that does not answer).</summary>
    public ContainerEngineException? Failure { get; set; }

    public List<ContainerInfo> Listed { get; } = [];

    /// <summary>Log lines by container id.</summary>
    public Dictionary<string, List<LogLine>> Logs { get; } = [];

    public IEngineSystem System => this;

    public IEngineImages Images => throw new NotSupportedException("pages do not pull images");

    public IEngineContainers Containers => this;

    public IEngineNetworks Networks => throw new NotSupportedException("pages do not change networks");

    public IEngineVolumes Volumes => this;

    public Task<EngineStatus> GetStatusAsync(CancellationToken ct = default) =>
        Failure is not null ? Task.FromResult(EngineStatus.Unreachable(Status.Endpoint, Failure.Message)) : Task.FromResult(Status);

    public Task<IReadOnlyList<ContainerInfo>> ListAsync(LabelFilter filter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (Failure is not null)
        {
            return Task.FromException<IReadOnlyList<ContainerInfo>>(Failure);
        }

        return Task.FromResult<IReadOnlyList<ContainerInfo>>([.. Listed.Where(c => filter.Selectors.All(s => Matches(c.Labels, s)))]);
    }

    public Task<ContainerInfo?> InspectAsync(string idOrName, CancellationToken ct = default) =>
        Failure is not null ? Task.FromException<ContainerInfo?>(Failure) : Task.FromResult(Listed.FirstOrDefault(c => c.Id == idOrName || c.Name == idOrName));

    public async IAsyncEnumerable<LogLine> LogsAsync(string id, int tail, bool follow, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        await Task.Yield();
        foreach (var line in (Logs.GetValueOrDefault(id) ?? []).TakeLast(tail))
        {
            yield return line;
        }
    }

    Task<IReadOnlyList<VolumeInfo>> IEngineVolumes.ListAsync(LabelFilter filter, CancellationToken ct) =>
        Failure is not null ? Task.FromException<IReadOnlyList<VolumeInfo>>(Failure) : Task.FromResult<IReadOnlyList<VolumeInfo>>([]);

    /// <summary>A container of an installed app, labelled as the panel labels them.</summary>
    public ContainerInfo Add(string instance, string service, ContainerState state = ContainerState.Running, ContainerHealth health = ContainerHealth.Healthy)
    {
        var container = new ContainerInfo($"{instance}-{service}", $"{instance}-{service}", $"127.0.0.1:5000/{instance}:1", state, new Dictionary<string, string>
        {
            [HostPanelLabels.Managed] = "true",
            [HostPanelLabels.Instance] = instance,
            [HostPanelLabels.Service] = service,
        }, state == ContainerState.Exited ? 1 : null)
        { Health = health };
        Listed.Add(container);
        return container;
    }

    private static bool Matches(IReadOnlyDictionary<string, string> labels, string selector)
    {
        var equals = selector.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? labels.ContainsKey(selector) : labels.GetValueOrDefault(selector[..equals]) == selector[(equals + 1)..];
    }

    public Task<string> CreateAsync(ContainerSpec spec, CancellationToken ct = default) => throw new NotSupportedException();

    public Task StartAsync(string id, CancellationToken ct = default) => throw new NotSupportedException();

    public Task StopAsync(string id, TimeSpan grace, CancellationToken ct = default) => throw new NotSupportedException();

    public Task RestartAsync(string id, TimeSpan grace, CancellationToken ct = default) => throw new NotSupportedException();

    public Task RenameAsync(string id, string newName, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<int> WaitAsync(string id, TimeSpan timeout, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<ExecResult> ExecAsync(string id, ExecRequest request, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<ExecStreamResult> ExecStreamAsync(string id, ExecRequest request, Stream stdout, CancellationToken ct = default) => throw new NotSupportedException();

    public Task RemoveAsync(string id, bool force, CancellationToken ct = default) => throw new NotSupportedException();

    public Task EnsureAsync(VolumeSpec spec, CancellationToken ct = default) => throw new NotSupportedException();

    Task IEngineVolumes.RemoveAsync(string name, CancellationToken ct) => throw new NotSupportedException();
}
