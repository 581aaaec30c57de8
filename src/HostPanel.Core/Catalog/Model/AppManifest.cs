namespace HostPanel.Core.Catalog.Model;

public enum AppKind
{
    App,
    HostStack,
}

public enum Category
{
    Files,
    Office,
    Communication,
    Social,
    Video,
    Meetings,
    Website,
    Productivity,
    Media,
    Development,
    Security,
    Other,
}

public enum Architecture
{
    Amd64,
    Arm64,
}

/// <summary>One app of the catalog, as written in app-catalog/&lt;id&gt;/manifest.yaml.</summary>
[Doc("A HostPanel app manifest (hostpanel/app@1).")]
public sealed class AppManifest
{
    public const string SchemaId = "hostpanel/app@1";

    [RequiredField, Pattern(Patterns.Schema, Patterns.SchemaHint), Doc("Always hostpanel/app@1.")]
    public string Schema { get; set; } = "";

    [RequiredField, Pattern(Patterns.AppId, Patterns.AppIdHint), Doc("The app's id; equals its folder name.")]
    public string Id { get; set; } = "";

    [RequiredField, Doc("Display name.")]
    public string Name { get; set; } = "";

    [Doc("app (default) or host-stack (needs the host's network; installed only after confirmation).")]
    public AppKind? Kind { get; set; }

    [RequiredField, Pattern(Patterns.Version, Patterns.VersionHint), Doc("Upstream version.")]
    public string Version { get; set; } = "";

    [RequiredField, Bounds(1, 100000), Doc("Package revision: bump when the manifest changes, not the app.")]
    public int Revision { get; set; }

    [RequiredField]
    public Translated Description { get; set; } = new();

    [RequiredField, MinItems(1)]
    public List<Category> Categories { get; set; } = [];

    [RequiredField]
    public Upstream Upstream { get; set; } = new();

    public List<Architecture>? Architectures { get; set; }

    [RequiredField]
    public Resources Resources { get; set; } = new();

    [RequiredField]
    public DomainRules Domain { get; set; } = new();

    [Doc("Texts shown before install.")]
    public List<Translated>? Warnings { get; set; }

    public List<Question>? Questions { get; set; }

    [KeyPattern(Patterns.Name, Patterns.NameHint), Doc("Secrets generated once at install, stored encrypted, never regenerated.")]
    public OrderedDictionary<string, SecretSpec>? Secrets { get; set; }

    [KeyPattern(Patterns.Name, Patterns.NameHint), Doc("Named groups of environment variables; services use them with env_from.")]
    public OrderedDictionary<string, OrderedDictionary<string, string>>? Env { get; set; }

    [KeyPattern(Patterns.Name, Patterns.NameHint)]
    public OrderedDictionary<string, VolumeDefinition>? Volumes { get; set; }

    public NetworkRules? Networks { get; set; }

    [RequiredField, KeyPattern(Patterns.Name, Patterns.NameHint)]
    public OrderedDictionary<string, ServiceDefinition> Services { get; set; } = [];

    public List<RouteDefinition>? Routes { get; set; }

    public List<PortDefinition>? Ports { get; set; }

    public Hooks? Hooks { get; set; }

    [RequiredField]
    public UpgradeRules Upgrade { get; set; } = new();

    [RequiredField]
    public BackupRules Backup { get; set; } = new();

    [RequiredField]
    public SsoRules Sso { get; set; } = new();

    [Doc("Only for kind: host-stack.")]
    public HostStackRules? HostStack { get; set; }

    public AppKind EffectiveKind => Kind ?? AppKind.App;
}

public sealed class Upstream
{
    [RequiredField, Pattern(Patterns.Spdx, Patterns.SpdxHint)]
    public string License { get; set; } = "";

    [RequiredField, Pattern(Patterns.HttpsUrl, Patterns.HttpsUrlHint)]
    public string Website { get; set; } = "";

    [Pattern(Patterns.HttpsUrl, Patterns.HttpsUrlHint)]
    public string? Code { get; set; }

    [Pattern(Patterns.HttpsUrl, Patterns.HttpsUrlHint)]
    public string? Docs { get; set; }

    [Pattern(Patterns.HttpsUrl, Patterns.HttpsUrlHint)]
    public string? AdminDocs { get; set; }
}

public sealed class Resources
{
    [RequiredField]
    public ByteSize RamMin { get; set; }

    public ByteSize? RamRecommended { get; set; }

    [RequiredField]
    public ByteSize DiskMin { get; set; }

    [RequiredField, Bounds(0.1, 512)]
    public double CpuMin { get; set; }
}

public sealed class DomainRules
{
    [RequiredField, Doc("The app needs its own address.")]
    public bool Required { get; set; }

    [Doc("The app may live under a sub-path of a domain.")]
    public bool? PathAllowed { get; set; }

    [RequiredField, Doc("The app can move to another address after install.")]
    public bool Changeable { get; set; }

    public Translated? Warning { get; set; }
}

public enum QuestionType
{
    Text,
    Email,
    Username,
    Password,
    Boolean,
    Choice,
    Number,
    Url,
}

public sealed class Question
{
    [RequiredField, Pattern(Patterns.Name, Patterns.NameHint)]
    public string Id { get; set; } = "";

    [RequiredField]
    public QuestionType Type { get; set; }

    [RequiredField]
    public Translated Label { get; set; } = new();

    public Translated? Help { get; set; }

    public bool? Required { get; set; }

    [Doc("Default answer, written as text.")]
    public string? Default { get; set; }

    [Bounds(0, 10000)]
    public int? MinLength { get; set; }

    [Bounds(1, 10000)]
    public int? MaxLength { get; set; }

    [Doc(".NET regular expression the answer must match.")]
    public string? Pattern { get; set; }

    public Translated? PatternError { get; set; }

    public double? Min { get; set; }

    public double? Max { get; set; }

    public List<Choice>? Choices { get; set; }

    public bool IsRequired => Required ?? true;
}

public sealed class Choice
{
    [RequiredField]
    public string Value { get; set; } = "";

    [RequiredField]
    public Translated Label { get; set; } = new();
}

public enum SecretGeneratorKind
{
    [YamlValue("alnum")]
    Alnum,
    [YamlValue("hex")]
    Hex,
    [YamlValue("base64url")]
    Base64Url,
    [YamlValue("vapid-p256")]
    VapidP256,
}

public sealed class SecretSpec
{
    [RequiredField]
    public SecretGeneratorKind Generator { get; set; }

    [Bounds(8, 256), Doc("Characters, for alnum.")]
    public int? Length { get; set; }

    [Bounds(8, 256), Doc("Random bytes, for hex and base64url.")]
    public int? Bytes { get; set; }
}

public enum BackupClass
{
    Files,
    Database,
    Cache,
    None,
}

public sealed class VolumeDefinition
{
    [RequiredField]
    public BackupClass Backup { get; set; }

    [Pattern(Patterns.Owner, Patterns.OwnerHint)]
    public string? Owner { get; set; }
}

public sealed class NetworkRules
{
    [Doc("Services that may reach the internet.")]
    public List<string>? Egress { get; set; }
}
