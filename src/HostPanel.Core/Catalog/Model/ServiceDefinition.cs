namespace HostPanel.Core.Catalog.Model;

public enum DependencyCondition
{
    Started,
    Healthy,
    Completed,
}

public enum RestartMode
{
    UnlessStopped,
    OnFailure,
    No,
}

[ForbiddenKey("privileged", "privileged containers are never allowed: they own the whole server. Remove the field; use cap_add with an allowed capability if the app needs one.")]
[ForbiddenKey("pid", "sharing the host's process namespace (pid: host) is never allowed. Remove the field.")]
[ForbiddenKey("ipc", "sharing the host's IPC namespace (ipc: host) is never allowed. Remove the field.")]
[ForbiddenKey("devices", "host devices are never passed to apps. Remove the field.")]
[ForbiddenKey("security_opt", "security options cannot be relaxed by a manifest. Remove the field.")]
[ForbiddenKey("volumes", "services list their storage under 'mounts' (each a volume of this manifest), not 'volumes'.")]
[ForbiddenKey("ports", "published ports are declared in the top-level 'ports' list, not in a service.")]
[ForbiddenKey("cap_drop", "capabilities are already minimal; remove cap_drop.")]
public sealed class ServiceDefinition
{
    [RequiredField, Doc("registry/name:tag — a tag is required, never latest.")]
    public string Image { get; set; } = "";

    [Pattern("^sha256:[a-f0-9]{64}$", "sha256: followed by 64 lowercase hex characters")]
    public string? Digest { get; set; }

    public List<string>? Command { get; set; }

    public List<string>? Entrypoint { get; set; }

    [Pattern("^[A-Za-z0-9_.-]{1,32}(:[A-Za-z0-9_.-]{1,32})?$", "UID[:GID] or a user name (for example 33:33 or www-data)")]
    public string? User { get; set; }

    [Pattern(Patterns.AbsolutePath, Patterns.AbsolutePathHint)]
    public string? WorkingDir { get; set; }

    [Doc("Env groups merged in order before env.")]
    public List<string>? EnvFrom { get; set; }

    [KeyPattern(Patterns.EnvVar, Patterns.EnvVarHint)]
    public OrderedDictionary<string, string>? Env { get; set; }

    public List<MountDefinition>? Mounts { get; set; }

    public List<FileDefinition>? Files { get; set; }

    public HealthCheck? Health { get; set; }

    [KeyPattern(Patterns.Name, Patterns.NameHint)]
    public OrderedDictionary<string, DependencyCondition>? DependsOn { get; set; }

    public Limits? Limits { get; set; }

    public List<string>? CapAdd { get; set; }

    public ByteSize? ShmSize { get; set; }

    public List<string>? Tmpfs { get; set; }

    public bool? ReadOnly { get; set; }

    public Duration? StopGrace { get; set; }

    [Pattern(Patterns.Signal, Patterns.SignalHint)]
    public string? StopSignal { get; set; }

    [KeyPattern("^(nofile|nproc|memlock|core|stack)$", "one of nofile, nproc, memlock, core, stack")]
    public OrderedDictionary<string, Ulimit>? Ulimits { get; set; }

    [Doc("Only 'host', and only in a host-stack app.")]
    public string? NetworkMode { get; set; }

    public RestartMode? Restart { get; set; }
}

[ForbiddenKey("source", "bind mounts of host paths are never allowed: mount a volume of this manifest with 'volume'.")]
[ForbiddenKey("host_path", "bind mounts of host paths are never allowed: mount a volume of this manifest with 'volume'.")]
[ForbiddenKey("bind", "bind mounts of host paths are never allowed: mount a volume of this manifest with 'volume'.")]
public sealed class MountDefinition
{
    [RequiredField, Pattern(Patterns.Name, Patterns.NameHint), Doc("A volume declared under the top-level volumes.")]
    public string Volume { get; set; } = "";

    [RequiredField, Pattern(Patterns.AbsolutePath, Patterns.AbsolutePathHint)]
    public string Path { get; set; } = "";

    public bool? ReadOnly { get; set; }

    [Pattern("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$", "a relative folder inside the volume, without '..'")]
    public string? Subpath { get; set; }
}

public sealed class FileDefinition
{
    [RequiredField, Pattern("^files/[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$", "a file under the app's files/ folder (for example files/nginx.conf)")]
    public string Template { get; set; } = "";

    [RequiredField, Pattern(Patterns.AbsolutePath, Patterns.AbsolutePathHint)]
    public string Path { get; set; } = "";

    [Pattern(Patterns.FileMode, Patterns.FileModeHint)]
    public string? Mode { get; set; }

    [Pattern(Patterns.Owner, Patterns.OwnerHint)]
    public string? Owner { get; set; }
}

public sealed class HealthCheck
{
    public HttpProbe? Http { get; set; }

    public List<string>? Cmd { get; set; }

    public Duration? Interval { get; set; }

    public Duration? Timeout { get; set; }

    [Bounds(1, 1000)]
    public int? Retries { get; set; }

    public Duration? StartPeriod { get; set; }
}

public sealed class HttpProbe
{
    [RequiredField, Bounds(1, 65535)]
    public int Port { get; set; }

    [RequiredField, Pattern(Patterns.HttpPath, Patterns.HttpPathHint)]
    public string Path { get; set; } = "";

    [Bounds(100, 599)]
    public int? ExpectStatus { get; set; }

    public string? ExpectBody { get; set; }
}

public sealed class Limits
{
    public ByteSize? Memory { get; set; }

    [Bounds(0.01, 512)]
    public double? Cpus { get; set; }

    [Bounds(16, 4194304)]
    public int? Pids { get; set; }
}

public sealed class Ulimit
{
    [RequiredField, Bounds(0, 1073741824)]
    public long Soft { get; set; }

    [RequiredField, Bounds(0, 1073741824)]
    public long Hard { get; set; }
}
