namespace HostPanel.Core.Engine;

/// <summary>What HostPanel knows about the engine at one moment.</summary>
/// <param name="Endpoint">Where the engine was asked (for example unix:///var/run/docker.sock).</param>
/// <param name="Reachable">False when the engine did not answer.</param>
/// <param name="Version">Engine version, when reachable.</param>
/// <param name="ApiVersion">Engine API version, when reachable.</param>
/// <param name="OperatingSystem">The engine host's operating system, when reachable.</param>
/// <param name="Problem">Why the engine could not be reached, in technical words, when unreachable.</param>
public sealed record EngineStatus(
    string Endpoint,
    bool Reachable,
    string? Version,
    string? ApiVersion,
    string? OperatingSystem,
    string? Problem)
{
    public static EngineStatus Unreachable(string endpoint, string problem) =>
        new(endpoint, false, null, null, null, problem);
}

public sealed record ImageInfo(string Id, IReadOnlyList<string> Tags, IReadOnlyList<string> Digests, long Size);

/// <summary>
/// An image reference split into repository and tag or digest. "latest" is allowed here because
/// the engine accepts it; the catalog forbids it for apps.
/// </summary>
public sealed record ImageReference(string Repository, string? Tag, string? Digest)
{
    public override string ToString() =>
        Digest is not null ? $"{Repository}@{Digest}" : $"{Repository}:{Tag ?? "latest"}";

    /// <summary>Parses "registry:port/name:tag" or "name@sha256:…".</summary>
    public static ImageReference Parse(string reference)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return new ImageReference(reference[..at], null, reference[(at + 1)..]);
        }

        // A colon after the last slash separates the tag; a colon before it belongs to a registry port.
        var lastSlash = reference.LastIndexOf('/');
        var colon = reference.LastIndexOf(':');
        return colon > lastSlash
            ? new ImageReference(reference[..colon], reference[(colon + 1)..], null)
            : new ImageReference(reference, null, null);
    }
}

public sealed record NetworkSpec(string Name, IReadOnlyDictionary<string, string> Labels, bool Internal);

public sealed record NetworkInfo(string Id, string Name, bool Internal, IReadOnlyDictionary<string, string> Labels);

public sealed record VolumeSpec(string Name, IReadOnlyDictionary<string, string> Labels);

/// <param name="Name">The volume's name.</param>
/// <param name="Labels">Its labels.</param>
/// <param name="Mountpoint">Where its data lives on this server (local driver), when the engine says.</param>
public sealed record VolumeInfo(string Name, IReadOnlyDictionary<string, string> Labels, string? Mountpoint = null);

/// <summary>Label selectors: every entry must match ("key" = present, "key=value" = equal).</summary>
public sealed record LabelFilter(IReadOnlyList<string> Selectors)
{
    /// <summary>Everything HostPanel manages, and nothing else.</summary>
    public static LabelFilter Managed { get; } = new([HostPanelLabels.Managed + "=true"]);

    public LabelFilter And(string key, string value) => new([.. Selectors, $"{key}={value}"]);
}

/// <summary>Thrown when asked to change an engine object HostPanel did not label as its own.</summary>
public sealed class NotManagedByHostPanelException(string kind, string name)
    : InvalidOperationException($"The {kind} '{name}' does not carry the label {HostPanelLabels.Managed}=true; HostPanel leaves it alone.")
{
    public string Kind { get; } = kind;
    public string ObjectName { get; } = name;
}

/// <summary>Raised when the engine cannot be reached or refuses a request.</summary>
public class ContainerEngineException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Raised when an engine operation HostPanel bounded (an exec, a wait for a container, a pull that
/// stopped making progress) did not finish in time. The message says what may still be running.
/// </summary>
public sealed class EngineTimeoutException(string message, TimeSpan timeout, Exception? inner = null)
    : ContainerEngineException(message, inner)
{
    public TimeSpan Timeout { get; } = timeout;
}
