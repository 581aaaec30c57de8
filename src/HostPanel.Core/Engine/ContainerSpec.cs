using System.Collections.ObjectModel;
using System.Globalization;
using System.Text.RegularExpressions;

namespace HostPanel.Core.Engine;

/// <summary>A bind of a named volume into a container.</summary>
public sealed record VolumeMount(string VolumeName, string ContainerPath, bool ReadOnly = false);

/// <summary>One network a container joins, with the extra names other containers on it may use.</summary>
public sealed record NetworkAttachment(string Network, IReadOnlyList<string> Aliases)
{
    public NetworkAttachment(string network)
        : this(network, [])
    {
    }
}

/// <summary>
/// A health check run by the engine inside the container. <see cref="Command"/> runs directly
/// (exec form, no shell); exit code 0 means healthy. After <see cref="Retries"/> failures in a row
/// the container is unhealthy; failures during <see cref="StartPeriod"/> do not count.
/// </summary>
public sealed record HealthCheck
{
    public required IReadOnlyList<string> Command { get; init; }
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    public int Retries { get; init; } = 3;
    public TimeSpan StartPeriod { get; init; } = TimeSpan.Zero;
}

/// <summary>A resource limit of the container's processes (setrlimit); -1 means unlimited.</summary>
public sealed record Ulimit(string Name, long Soft, long Hard);

/// <summary>What the engine does when the container's main process ends.</summary>
public enum RestartPolicy
{
    /// <summary>Restart it, also after the engine restarts, unless HostPanel stopped it.</summary>
    UnlessStopped,

    /// <summary>Restart it only when it exits with a non-zero code.</summary>
    OnFailure,

    /// <summary>Leave it stopped (one-off jobs).</summary>
    No,
}

/// <summary>Everything needed to create one container.</summary>
public sealed partial record ContainerSpec
{
    public required string Name { get; init; }
    public required string Image { get; init; }

    /// <summary>Must include <see cref="HostPanelLabels.Managed"/>: HostPanel only creates what it can recognise later.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    public IReadOnlyDictionary<string, string> Environment { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>Replaces the image's command; null keeps it.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Replaces the image's entry point; null keeps it.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>"user", "uid" or "uid:gid"; null keeps the image's user.</summary>
    public string? User { get; init; }

    /// <summary>Absolute path; null keeps the image's working directory.</summary>
    public string? WorkingDirectory { get; init; }

    public IReadOnlyList<VolumeMount> Volumes { get; init; } = [];

    /// <summary>
    /// The networks to join, each with its aliases. Empty means the engine's default network.
    /// The container is attached to all of them before it starts.
    /// </summary>
    public IReadOnlyList<NetworkAttachment> Networks { get; init; } = [];

    /// <summary>Shares the host's network stack (no network isolation); then <see cref="Networks"/> must be empty.</summary>
    public bool HostNetwork { get; init; }

    /// <summary>
    /// Extra lines of the container's hosts file, as <c>name:address</c>; the address may be
    /// <see cref="HostGateway"/>, the engine's word for the host as its containers reach it.
    /// </summary>
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];

    /// <summary>The address that stands for the host machine in <see cref="ExtraHosts"/> (Docker 20.10 and later).</summary>
    public const string HostGateway = "host-gateway";

    /// <summary>Replaces the image's health check; null keeps the image's (if any).</summary>
    public HealthCheck? Health { get; init; }

    public RestartPolicy Restart { get; init; } = RestartPolicy.UnlessStopped;

    public long? MemoryLimitBytes { get; init; }

    /// <summary>CPU time as a number of CPUs (0.5 = half of one CPU).</summary>
    public double? Cpus { get; init; }

    /// <summary>Maximum number of processes and threads in the container.</summary>
    public long? PidsLimit { get; init; }

    /// <summary>Size of /dev/shm; null keeps the engine's default (64 MiB).</summary>
    public long? ShmSizeBytes { get; init; }

    public IReadOnlyList<Ulimit> Ulimits { get; init; } = [];

    /// <summary>Linux capabilities added to the engine's default set, for example "NET_ADMIN".</summary>
    public IReadOnlyList<string> CapAdd { get; init; } = [];

    public bool ReadOnlyRootFilesystem { get; init; }

    /// <summary>
    /// Memory-backed mounts, as "/path" or "/path:options" (options as for mount -t tmpfs, for
    /// example "/run:size=16m,mode=1777"). Typically paired with <see cref="ReadOnlyRootFilesystem"/>.
    /// </summary>
    public IReadOnlyList<string> Tmpfs { get; init; } = [];

    /// <summary>Signal that asks the main process to stop (for example "SIGINT"); null keeps the image's.</summary>
    public string? StopSignal { get; init; }

    /// <summary>How long a stop waits before killing, when the caller gives no grace; null keeps the engine's (10 s).</summary>
    public TimeSpan? StopGrace { get; init; }

    /// <summary>
    /// Everything wrong with this spec, each said so a volunteer can fix it; empty when it can be
    /// given to the engine. The managed label is checked separately, by the engine adapter.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!ContainerNames.IsValid(Name))
        {
            problems.Add($"the name '{Name}' is not a valid container name ({ContainerNames.Rule})");
        }

        if (string.IsNullOrWhiteSpace(Image))
        {
            problems.Add("no image is given");
        }

        if (WorkingDirectory is { } wd && !wd.StartsWith('/'))
        {
            problems.Add($"the working directory '{wd}' must be an absolute path");
        }

        ValidateNetworks(problems);
        ValidateHealth(problems);
        ValidateLimits(problems);

        foreach (var cap in CapAdd)
        {
            if (!CapabilityName().IsMatch(cap))
            {
                problems.Add($"'{cap}' is not a capability name (expected something like NET_ADMIN)");
            }
        }

        foreach (var entry in Tmpfs)
        {
            var path = entry.Split(':', 2)[0];
            if (!path.StartsWith('/') || path == "/")
            {
                problems.Add($"the tmpfs entry '{entry}' must start with an absolute path other than /");
            }
        }

        if (Tmpfs.Select(t => t.Split(':', 2)[0]).GroupBy(p => p, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicateTmpfs)
        {
            problems.Add($"the tmpfs path {duplicateTmpfs.Key} is given twice");
        }

        foreach (var entry in ExtraHosts)
        {
            var parts = entry?.Split(':', 2);
            if (parts is not [var hostName, var address] || !ExtraHostName().IsMatch(hostName)
                || (address != HostGateway && !System.Net.IPAddress.TryParse(address.Trim('[', ']'), out _)))
            {
                problems.Add($"the hosts entry '{entry}' must be 'name:address' with a host name and an IP address or {HostGateway}");
            }
        }

        if (StopSignal is { } signal && !SignalName().IsMatch(signal))
        {
            problems.Add($"'{signal}' is not a signal (expected a name like SIGTERM or a number)");
        }

        if (StopGrace is { } grace && grace < TimeSpan.Zero)
        {
            problems.Add("the stop grace period cannot be negative");
        }

        return problems;
    }

    private void ValidateNetworks(List<string> problems)
    {
        if (HostNetwork && Networks.Count > 0)
        {
            problems.Add("a container on the host network cannot also join other networks");
        }

        foreach (var network in Networks)
        {
            if (string.IsNullOrWhiteSpace(network.Network))
            {
                problems.Add("a network attachment has no network name");
            }
        }

        if (Networks.GroupBy(n => n.Network, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            problems.Add($"the network {duplicate.Key} is given twice");
        }
    }

    private void ValidateHealth(List<string> problems)
    {
        if (Health is not { } health)
        {
            return;
        }

        if (health.Command.Count == 0 || string.IsNullOrWhiteSpace(health.Command[0]))
        {
            problems.Add("the health check has no command");
        }

        // The engine refuses durations under a millisecond (zero would silently mean its default).
        if (health.Interval < TimeSpan.FromMilliseconds(1))
        {
            problems.Add("the health check interval must be at least 1 ms");
        }

        if (health.Timeout < TimeSpan.FromMilliseconds(1))
        {
            problems.Add("the health check timeout must be at least 1 ms");
        }

        if (health.StartPeriod < TimeSpan.Zero)
        {
            problems.Add("the health check start period cannot be negative");
        }

        if (health.Retries < 1)
        {
            problems.Add("the health check needs at least 1 retry");
        }
    }

    private void ValidateLimits(List<string> problems)
    {
        if (MemoryLimitBytes is <= 0)
        {
            problems.Add("the memory limit must be positive");
        }

        if (Cpus is { } cpus && (cpus <= 0 || double.IsNaN(cpus) || double.IsInfinity(cpus)))
        {
            problems.Add("the CPU limit must be a positive number of CPUs");
        }

        if (PidsLimit is <= 0)
        {
            problems.Add("the process limit must be positive");
        }

        if (ShmSizeBytes is <= 0)
        {
            problems.Add("the /dev/shm size must be positive");
        }

        foreach (var limit in Ulimits)
        {
            if (!UlimitName().IsMatch(limit.Name))
            {
                problems.Add($"'{limit.Name}' is not a ulimit name (expected something like nofile)");
            }

            if (limit.Soft < -1 || limit.Hard < -1 || (limit.Hard != -1 && (limit.Soft == -1 || limit.Soft > limit.Hard)))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"the ulimit {limit.Name} has soft {limit.Soft} above hard {limit.Hard}"));
            }
        }

        if (Ulimits.GroupBy(u => u.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            problems.Add($"the ulimit {duplicate.Key} is given twice");
        }
    }

    [GeneratedRegex("^(CAP_)?[A-Z][A-Z0-9_]*$")]
    private static partial Regex CapabilityName();

    [GeneratedRegex("^(SIG[A-Z0-9+-]+|[0-9]+)$")]
    private static partial Regex SignalName();

    [GeneratedRegex("^[a-z]+$")]
    private static partial Regex UlimitName();

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")]
    private static partial Regex ExtraHostName();
}

/// <summary>What the engine accepts as a container name.</summary>
public static partial class ContainerNames
{
    public const string Rule = "letters, digits, '_', '.' and '-', starting with a letter or digit, at least 2 characters";

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex Pattern();
}
