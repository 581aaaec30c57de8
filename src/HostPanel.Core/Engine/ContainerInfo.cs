using System.Collections.ObjectModel;

namespace HostPanel.Core.Engine;

public enum ContainerState
{
    Unknown,
    Created,
    Running,
    Paused,
    Restarting,
    Exited,
    Dead,
    Removing,
}

/// <summary>The result of the container's health check, as the engine last judged it.</summary>
public enum ContainerHealth
{
    /// <summary>The container has no health check.</summary>
    None,

    /// <summary>Checks run but none has succeeded yet, or failures are still within the start period.</summary>
    Starting,

    Healthy,

    /// <summary>The check failed as many times in a row as its retries allow.</summary>
    Unhealthy,
}

/// <summary>
/// A container as the engine describes it. A list answer carries less than an inspect answer:
/// there <see cref="StartedAt"/> and <see cref="RestartCount"/> are null.
/// </summary>
public sealed record ContainerInfo(
    string Id,
    string Name,
    string Image,
    ContainerState State,
    IReadOnlyDictionary<string, string> Labels,
    int? ExitCode)
{
    public ContainerHealth Health { get; init; } = ContainerHealth.None;

    /// <summary>The networks the container is attached to, by name.</summary>
    public IReadOnlyList<string> Networks { get; init; } = [];

    /// <summary>Network name → IPv4 address, for the networks where the container has one (it is running).</summary>
    public IReadOnlyDictionary<string, string> Addresses { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>When the main process last started; null if it never did, or in a list answer.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>How many times the engine restarted it under its restart policy; null in a list answer.</summary>
    public int? RestartCount { get; init; }

    /// <summary>The id of the image the container was created from (sha256:…).</summary>
    public string? ImageId { get; init; }

    /// <summary>Running, and healthy if it has a health check: ready to be given traffic.</summary>
    public bool IsReady => State == ContainerState.Running && Health is ContainerHealth.None or ContainerHealth.Healthy;
}

/// <summary>The engine's words for container states and health, as HostPanel's enums.</summary>
public static class ContainerStatusWords
{
    public static ContainerState ParseState(string? state) => state?.Trim().ToUpperInvariant() switch
    {
        "CREATED" => ContainerState.Created,
        "RUNNING" => ContainerState.Running,
        "PAUSED" => ContainerState.Paused,
        "RESTARTING" => ContainerState.Restarting,
        "EXITED" => ContainerState.Exited,
        "DEAD" => ContainerState.Dead,
        "REMOVING" => ContainerState.Removing,
        _ => ContainerState.Unknown,
    };

    /// <summary>Maps a health status ("starting", "healthy", "unhealthy", "none" or absent).</summary>
    public static ContainerHealth ParseHealth(string? status) => status?.Trim().ToUpperInvariant() switch
    {
        "STARTING" => ContainerHealth.Starting,
        "HEALTHY" => ContainerHealth.Healthy,
        "UNHEALTHY" => ContainerHealth.Unhealthy,
        _ => ContainerHealth.None,
    };
}
