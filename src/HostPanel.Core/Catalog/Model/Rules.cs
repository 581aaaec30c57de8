namespace HostPanel.Core.Catalog.Model;

public sealed class RouteDefinition
{
    [RequiredField, Pattern(Patterns.RoutePath, Patterns.RoutePathHint)]
    public string Path { get; set; } = "";

    [RequiredField, Pattern(Patterns.Name, Patterns.NameHint)]
    public string Service { get; set; } = "";

    [RequiredField, Bounds(1, 65535)]
    public int Port { get; set; }

    public bool? Websocket { get; set; }

    public bool? Buffering { get; set; }

    public ByteSize? MaxBody { get; set; }

    public Duration? Timeout { get; set; }
}

public enum Protocol
{
    Tcp,
    Udp,
}

public sealed class PortDefinition
{
    [RequiredField, Pattern(Patterns.Name, Patterns.NameHint)]
    public string Name { get; set; } = "";

    [RequiredField, Pattern(Patterns.Name, Patterns.NameHint)]
    public string Service { get; set; } = "";

    [RequiredField, Bounds(1, 65535)]
    public int Port { get; set; }

    [Bounds(1, 65535), Doc("Last port of a range.")]
    public int? End { get; set; }

    [RequiredField]
    public Protocol Protocol { get; set; }

    public bool? Optional { get; set; }

    public Translated? Description { get; set; }
}

public sealed class Hooks
{
    public List<HookStep>? Install { get; set; }

    public List<HookStep>? PreUpgrade { get; set; }

    public List<HookStep>? PostUpgrade { get; set; }

    public List<HookStep>? PreBackup { get; set; }

    public List<HookStep>? PostBackup { get; set; }

    public List<HookStep>? PostRestore { get; set; }

    public IEnumerable<(string Moment, List<HookStep> Steps)> All()
    {
        if (Install is not null) yield return ("install", Install);
        if (PreUpgrade is not null) yield return ("pre_upgrade", PreUpgrade);
        if (PostUpgrade is not null) yield return ("post_upgrade", PostUpgrade);
        if (PreBackup is not null) yield return ("pre_backup", PreBackup);
        if (PostBackup is not null) yield return ("post_backup", PostBackup);
        if (PostRestore is not null) yield return ("post_restore", PostRestore);
    }
}

public enum JobImage
{
    Current,
    Target,
}

/// <summary>One step of a hook: an exec in a running service, or a one-off job container.</summary>
public sealed class HookStep
{
    [Pattern(Patterns.Name, Patterns.NameHint), Doc("Run inside this running service.")]
    public string? Exec { get; set; }

    [Pattern(Patterns.Name, Patterns.NameHint), Doc("Run a one-off container from this service's definition.")]
    public string? Job { get; set; }

    [Doc("For jobs: the image of the current version or of the target version (default).")]
    public JobImage? Image { get; set; }

    [RequiredField, MinItems(1)]
    public List<string> Cmd { get; set; } = [];

    [Pattern("^[A-Za-z0-9_.-]{1,32}(:[A-Za-z0-9_.-]{1,32})?$", "UID[:GID] or a user name")]
    public string? User { get; set; }

    [KeyPattern(Patterns.EnvVar, Patterns.EnvVarHint)]
    public OrderedDictionary<string, string>? Env { get; set; }

    public Duration? Timeout { get; set; }

    public Translated? Description { get; set; }

    public Capture? Capture { get; set; }

    public bool? IgnoreFailure { get; set; }
}

public sealed class Capture
{
    [RequiredField, Pattern(Patterns.Name, Patterns.NameHint)]
    public string Output { get; set; } = "";

    [RequiredField, Doc(".NET regular expression; its first group is kept.")]
    public string Pattern { get; set; } = "";
}

public enum UpgradePolicy
{
    EveryMajor,
    EveryMinor,
    Any,
}

public sealed class UpgradeRules
{
    [RequiredField]
    public UpgradePolicy Policy { get; set; }

    [Doc("Versions passed through, oldest first; the last equals version.")]
    public List<string>? Path { get; set; }

    [KeyPattern(Patterns.Version, Patterns.VersionHint)]
    public OrderedDictionary<string, Translated>? Notes { get; set; }

    public bool? Downgrade { get; set; }
}

public enum DatabaseKind
{
    Postgres,
    Mariadb,
    Redis,
    Sqlite,
}

public sealed class BackupRules
{
    public List<DatabaseDump>? Databases { get; set; }

    [Doc("The app is put in maintenance by the pre_backup hooks.")]
    public bool? Maintenance { get; set; }

    [Doc("What a restore drill compares between the app and its restored copy.")]
    public BackupProbe? Probe { get; set; }
}

/// <summary>
/// A command whose output tells whether a restored copy holds the same data (a row count, the
/// newest entry): the restore drill runs it in the app and in the copy and compares.
/// </summary>
public sealed class BackupProbe
{
    [RequiredField, Pattern(Patterns.Name, Patterns.NameHint), Doc("Run inside this service.")]
    public string Service { get; set; } = "";

    [RequiredField, MinItems(1), Doc("Exec in the service; its standard output must be the same in the restored copy.")]
    public List<string> Cmd { get; set; } = [];

    [KeyPattern(Patterns.EnvVar, Patterns.EnvVarHint)]
    public OrderedDictionary<string, string>? Env { get; set; }

    public Translated? Description { get; set; }
}

public sealed class DatabaseDump
{
    [RequiredField, Pattern(Patterns.Name, Patterns.NameHint)]
    public string Name { get; set; } = "";

    [RequiredField, Pattern(Patterns.Name, Patterns.NameHint)]
    public string Service { get; set; } = "";

    [RequiredField]
    public DatabaseKind Kind { get; set; }

    [RequiredField, MinItems(1), Doc("Exec in the service; stdout is the dump.")]
    public List<string> Dump { get; set; } = [];

    [RequiredField, MinItems(1), Doc("Exec in the service; stdin is the dump.")]
    public List<string> Restore { get; set; } = [];

    [Pattern("^[A-Za-z0-9_.-]{1,32}(:[A-Za-z0-9_.-]{1,32})?$", "UID[:GID] or a user name")]
    public string? User { get; set; }

    [KeyPattern(Patterns.EnvVar, Patterns.EnvVarHint), Doc("Environment of the dump and restore commands (for example PGPASSWORD).")]
    public OrderedDictionary<string, string>? Env { get; set; }
}

public enum SsoMode
{
    OidcEnv,
    OidcCommand,
    Manual,
    None,
}

public sealed class SsoRules
{
    [RequiredField]
    public SsoMode Mode { get; set; }

    public List<string>? RedirectUris { get; set; }

    public List<string>? Scopes { get; set; }

    [Doc("The app sends PKCE (RFC 7636) with its sign-in requests; the provider then requires it from this app's client. Default true; false only for an app that cannot send it.")]
    public bool? Pkce { get; set; }

    public List<string>? Services { get; set; }

    [KeyPattern(Patterns.EnvVar, Patterns.EnvVarHint)]
    public OrderedDictionary<string, string>? Env { get; set; }

    public List<HookStep>? Steps { get; set; }

    public Translated? Instructions { get; set; }
}

public sealed class HostStackRules
{
    [RequiredField]
    public Translated Confirmation { get; set; } = new();

    [RequiredField]
    public Preflight Preflight { get; set; } = new();
}

public sealed class Preflight
{
    [RequiredField]
    public ByteSize RamMin { get; set; }

    [RequiredField, Bounds(1, 512)]
    public double CpuMin { get; set; }

    [RequiredField]
    public ByteSize DiskMin { get; set; }

    public bool? PublicIpv4 { get; set; }

    public List<PortRange>? FreePorts { get; set; }
}

public sealed class PortRange
{
    [RequiredField, Bounds(1, 65535)]
    public int Port { get; set; }

    [Bounds(1, 65535)]
    public int? End { get; set; }

    [RequiredField]
    public Protocol Protocol { get; set; }
}
