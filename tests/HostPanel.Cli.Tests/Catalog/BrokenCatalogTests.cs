using YamlDotNet.RepresentationModel;

namespace HostPanel.Cli.Tests.Catalog;

/// <summary>
/// The real catalog, broken on purpose one way at a time: `hostpanel catalog validate` must exit 1
/// and name the manifest file and the offending field.
/// </summary>
public class BrokenCatalogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Breakage(string App, string Field, Action<CatalogCopy> Break);

    private static YamlNode Node(string yaml) => Yaml.Parse(yaml);

    private static readonly Dictionary<string, Breakage> Cases = new()
    {
        // The file itself
        ["yaml-syntax-error"] = new("mastodon", "", c => c.EditText("mastodon", t => t.Replace("categories: [social, communication]", "categories: [social, communication", StringComparison.Ordinal))),
        ["empty-file"] = new("wordpress", "", c => c.EditText("wordpress", _ => "")),
        ["unknown-top-level-field"] = new("mastodon", "colour", c => c.Edit("mastodon", r => r.Set("colour", "blue"))),
        ["unknown-nested-field"] = new("mastodon", "services.web.colour", c => c.Edit("mastodon", r => r.Set("services.web.colour", "blue"))),
        ["wrong-schema"] = new("mastodon", "schema", c => c.Edit("mastodon", r => r.Set("schema", "hostpanel/app@2"))),
        ["missing-id"] = new("mastodon", "id", c => c.Edit("mastodon", r => r.Remove("id"))),
        ["malformed-id"] = new("mastodon", "id", c => c.Edit("mastodon", r => r.Set("id", "Mastodon!"))),
        ["id-differs-from-folder"] = new("mastodon", "id", c => c.Edit("mastodon", r => r.Set("id", "toot"))),
        ["duplicate-app-id"] = new("wordpress", "id", c => c.Edit("wordpress", r => r.Set("id", "mastodon"))),
        ["missing-french-description"] = new("mastodon", "description.fr", c => c.Edit("mastodon", r => r.Remove("description.fr"))),
        ["revision-zero"] = new("mastodon", "revision", c => c.Edit("mastodon", r => r.Set("revision", "0"))),
        ["unknown-category"] = new("mastodon", "categories[0]", c => c.Edit("mastodon", r => r.Set("categories[0]", "toys"))),
        ["website-not-https"] = new("mastodon", "upstream.website", c => c.Edit("mastodon", r => r.Set("upstream.website", "http://joinmastodon.org"))),
        ["bad-size"] = new("mastodon", "resources.ram_min", c => c.Edit("mastodon", r => r.Set("resources.ram_min", "2X"))),
        ["recommended-below-minimum"] = new("mastodon", "resources.ram_recommended", c => c.Edit("mastodon", r => { r.Set("resources.ram_min", "8G"); r.Set("resources.ram_recommended", "1G"); })),
        ["domain-changeable-missing"] = new("mastodon", "domain.changeable", c => c.Edit("mastodon", r => r.Remove("domain.changeable"))),

        // Questions
        ["unknown-question-type"] = new("mastodon", "questions[0].type", c => c.Edit("mastodon", r => r.Set("questions[0].type", "colour"))),
        ["duplicate-question-id"] = new("mastodon", "questions[1].id", c => c.Edit("mastodon", r => r.Set("questions[1].id", ((YamlScalarNode)r.Get("questions[0].id")).Value!))),
        ["choice-without-choices"] = new("mastodon", "questions[0].choices", c => c.Edit("mastodon", r => { r.Set("questions[0].type", "choice"); })),
        ["invalid-question-pattern"] = new("mastodon", "questions[0].pattern", c => c.Edit("mastodon", r => { r.Set("questions[0].type", "text"); r.Set("questions[0].pattern", "[unclosed"); r.Set("questions[0].pattern_error", Node("{ fr: Non, en: No }")); })),
        ["default-outside-the-choices"] = new("mastodon", "default", c => c.Edit("mastodon", r =>
            r.Append("questions", Node("{ id: extra, type: choice, label: { fr: Choix, en: Choice }, default: maybe, choices: [{ value: yes, label: { fr: Oui, en: Yes } }] }")))),

        // Secrets
        ["unknown-secret-generator"] = new("mastodon", "secrets.db_password.generator", c => c.Edit("mastodon", r => r.Set("secrets.db_password.generator", "random"))),
        ["alnum-without-length"] = new("mastodon", "secrets.db_password", c => c.Edit("mastodon", r => r.Set("secrets.db_password", Node("{ generator: alnum }")))),
        ["hex-measured-in-characters"] = new("mastodon", "secrets.db_password.length", c => c.Edit("mastodon", r => r.Set("secrets.db_password", Node("{ generator: hex, bytes: 16, length: 32 }")))),

        // Images
        ["image-without-tag"] = new("mastodon", "services.web.image", c => c.Edit("mastodon", r => r.Set("services.web.image", "ghcr.io/mastodon/mastodon"))),
        ["image-latest"] = new("mastodon", "services.redis.image", c => c.Edit("mastodon", r => r.Set("services.redis.image", "redis:latest"))),
        ["malformed-digest"] = new("mastodon", "services.web.digest", c => c.Edit("mastodon", r => r.Set("services.web.digest", "sha256:1234"))),

        // References
        ["undefined-secret"] = new("mastodon", "services.db.env.POSTGRES_PASSWORD", c => c.Edit("mastodon", r => r.Set("services.db.env.POSTGRES_PASSWORD", "${secrets.nope}"))),
        ["undefined-question"] = new("mastodon", "services.db.env.POSTGRES_USER", c => c.Edit("mastodon", r => r.Set("services.db.env.POSTGRES_USER", "${q.nope}"))),
        ["unknown-placeholder"] = new("mastodon", "services.db.env.POSTGRES_DB", c => c.Edit("mastodon", r => r.Set("services.db.env.POSTGRES_DB", "${home}"))),
        ["unterminated-placeholder"] = new("mastodon", "services.db.env.POSTGRES_DB", c => c.Edit("mastodon", r => r.Set("services.db.env.POSTGRES_DB", "${domain"))),
        ["undefined-output"] = new("mastodon", "services.db.env.POSTGRES_DB", c => c.Edit("mastodon", r => r.Set("services.db.env.POSTGRES_DB", "${outputs.nope}"))),
        ["undefined-volume"] = new("mastodon", "services.web.mounts[0].volume", c => c.Edit("mastodon", r => r.Set("services.web.mounts[0].volume", "ghost"))),
        ["unused-volume"] = new("mastodon", "volumes.spare", c => c.Edit("mastodon", r => r.Set("volumes.spare", Node("{ backup: files }")))),
        ["undefined-env-group"] = new("mastodon", "services.web.env_from[0]", c => c.Edit("mastodon", r => r.Set("services.web.env_from[0]", "ghost"))),
        ["depends-on-undefined-service"] = new("mastodon", "services.web.depends_on.ghost", c => c.Edit("mastodon", r => r.Set("services.web.depends_on.ghost", "started"))),
        ["depends-on-itself"] = new("mastodon", "services.web.depends_on.web", c => c.Edit("mastodon", r => r.Set("services.web.depends_on.web", "started"))),
        ["dependency-cycle"] = new("mastodon", "depends_on", c => c.Edit("mastodon", r => r.Set("services.db.depends_on", Node("{ web: started }")))),
        ["healthy-without-health-check"] = new("mastodon", "services.web.depends_on.db", c => c.Edit("mastodon", r => r.Remove("services.db.health"))),
        ["unknown-dependency-condition"] = new("mastodon", "services.web.depends_on.db", c => c.Edit("mastodon", r => r.Set("services.web.depends_on.db", "ready"))),
        ["egress-for-undefined-service"] = new("mastodon", "networks.egress[0]", c => c.Edit("mastodon", r => r.Set("networks.egress[0]", "ghost"))),
        ["egress-not-a-list"] = new("mastodon", "networks.egress", c => c.Edit("mastodon", r => r.Set("networks.egress", "web"))),

        // Routes and ports
        ["duplicate-route"] = new("mastodon", "routes[1].path", c => c.Edit("mastodon", r => r.Set("routes[1].path", "/api/v1/streaming/"))),
        ["route-to-undefined-service"] = new("mastodon", "routes[0].service", c => c.Edit("mastodon", r => r.Set("routes[0].service", "ghost"))),
        ["route-port-out-of-range"] = new("mastodon", "routes[1].port", c => c.Edit("mastodon", r => r.Set("routes[1].port", "70000"))),
        ["route-path-not-absolute"] = new("mastodon", "routes[1].path", c => c.Edit("mastodon", r => r.Set("routes[1].path", "home"))),
        ["port-range-backwards"] = new("mastodon", "ports[0].end", c => c.Edit("mastodon", r => r.Set("ports", Node("[{ name: media, service: web, port: 3000, end: 2000, protocol: udp }]")))),
        ["same-host-port-twice"] = new("mastodon", "ports[1].port", c => c.Edit("mastodon", r => r.Set("ports", Node("[{ name: a, service: web, port: 1935, protocol: tcp }, { name: b, service: web, port: 1935, protocol: tcp }]")))),
        ["port-zero"] = new("mastodon", "ports[0].port", c => c.Edit("mastodon", r => r.Set("ports", Node("[{ name: a, service: web, port: 0, protocol: tcp }]")))),
        ["unknown-protocol"] = new("mastodon", "ports[0].protocol", c => c.Edit("mastodon", r => r.Set("ports", Node("[{ name: a, service: web, port: 1935, protocol: sctp }]")))),

        // What an app may never do
        ["privileged"] = new("mastodon", "services.web.privileged", c => c.Edit("mastodon", r => r.Set("services.web.privileged", "true"))),
        ["host-pid"] = new("mastodon", "services.web.pid", c => c.Edit("mastodon", r => r.Set("services.web.pid", "host"))),
        ["host-ipc"] = new("mastodon", "services.web.ipc", c => c.Edit("mastodon", r => r.Set("services.web.ipc", "host"))),
        ["host-devices"] = new("mastodon", "services.web.devices", c => c.Edit("mastodon", r => r.Set("services.web.devices", Node("[/dev/sda]")))),
        ["bind-mount-of-a-host-path"] = new("mastodon", "services.web.mounts[0].source", c => c.Edit("mastodon", r => r.Set("services.web.mounts[0]", Node("{ source: /etc, path: /host-etc }")))),
        ["compose-style-volumes"] = new("mastodon", "services.web.volumes", c => c.Edit("mastodon", r => r.Set("services.web.volumes", Node("[\"/:/host\"]")))),
        ["capability-outside-allow-list"] = new("mastodon", "services.web.cap_add[0]", c => c.Edit("mastodon", r => r.Set("services.web.cap_add", Node("[SYS_ADMIN]")))),
        ["host-stack-capability-in-an-app"] = new("mastodon", "services.web.cap_add[0]", c => c.Edit("mastodon", r => r.Set("services.web.cap_add", Node("[NET_ADMIN]")))),
        ["host-network-in-an-app"] = new("mastodon", "services.web.network_mode", c => c.Edit("mastodon", r => r.Set("services.web.network_mode", "host"))),
        ["host-stack-without-its-rules"] = new("bigbluebutton-server", "host_stack", c => c.Edit("bigbluebutton-server", r => r.Remove("host_stack"))),
        ["host-stack-rules-in-an-app"] = new("bigbluebutton-server", "services.freeswitch.network_mode", c => c.Edit("bigbluebutton-server", r => { r.Remove("kind"); r.Remove("host_stack"); })),

        // Hooks
        ["hook-in-undefined-service"] = new("mastodon", "hooks.install[1].exec", c => c.Edit("mastodon", r => r.Set("hooks.install[1].exec", "ghost"))),
        ["hook-both-exec-and-job"] = new("mastodon", "hooks.install[1]", c => c.Edit("mastodon", r => r.Set("hooks.install[1].job", "web"))),
        ["hook-neither-exec-nor-job"] = new("mastodon", "hooks.install[1]", c => c.Edit("mastodon", r => r.Remove("hooks.install[1].exec"))),
        ["capture-without-group"] = new("mastodon", "hooks.install[1].capture.pattern", c => c.Edit("mastodon", r => r.Set("hooks.install[1].capture.pattern", "New password: \\S+"))),
        ["capture-invalid-regex"] = new("mastodon", "hooks.install[1].capture.pattern", c => c.Edit("mastodon", r => r.Set("hooks.install[1].capture.pattern", "(unclosed"))),
        ["image-choice-on-an-exec"] = new("mastodon", "hooks.install[1].image", c => c.Edit("mastodon", r => r.Set("hooks.install[1].image", "target"))),
        ["bad-duration"] = new("mastodon", "hooks.install[0].timeout", c => c.Edit("mastodon", r => r.Set("hooks.install[0].timeout", "15 minutes"))),

        // Upgrade, backup, SSO
        ["upgrade-path-not-ending-at-version"] = new("mastodon", "upgrade.path[2]", c => c.Edit("mastodon", r => r.Set("upgrade.path[2]", "4.7.3"))),
        ["upgrade-path-backwards"] = new("mastodon", "upgrade.path[1]", c => c.Edit("mastodon", r => r.Set("upgrade.path[1]", "4.4.0"))),
        ["upgrade-path-skips-a-major"] = new("nextcloud", "upgrade.path[1]", c => c.Edit("nextcloud", r => r.Remove("upgrade.path[1]"))),
        ["upgrade-path-skips-a-minor"] = new("mastodon", "upgrade.path[1]", c => c.Edit("mastodon", r => r.Remove("upgrade.path[1]"))),
        ["downgrade-promised"] = new("mastodon", "upgrade.downgrade", c => c.Edit("mastodon", r => r.Set("upgrade.downgrade", "true"))),
        ["dump-from-undefined-service"] = new("mastodon", "backup.databases[0].service", c => c.Edit("mastodon", r => r.Set("backup.databases[0].service", "ghost"))),
        ["database-volume-without-dump"] = new("mastodon", "backup.databases", c => c.Edit("mastodon", r => r.Remove("backup.databases"))),
        ["unknown-database-kind"] = new("mastodon", "backup.databases[0].kind", c => c.Edit("mastodon", r => r.Set("backup.databases[0].kind", "oracle"))),
        ["oidc-env-without-env"] = new("mastodon", "sso.env", c => c.Edit("mastodon", r => r.Remove("sso.env"))),
        ["oidc-without-redirect-uri"] = new("mastodon", "sso.redirect_uris", c => c.Edit("mastodon", r => r.Remove("sso.redirect_uris"))),
        ["manual-sso-without-instructions"] = new("wordpress", "sso.instructions", c => c.Edit("wordpress", r => r.Remove("sso.instructions"))),

        // Service details
        ["health-both-http-and-cmd"] = new("mastodon", "services.web.health", c => c.Edit("mastodon", r => r.Set("services.web.health.cmd", Node("[\"true\"]")))),
        ["health-port-out-of-range"] = new("mastodon", "services.web.health.http.port", c => c.Edit("mastodon", r => r.Set("services.web.health.http.port", "-1"))),
        ["bad-owner"] = new("mastodon", "volumes.system.owner", c => c.Edit("mastodon", r => r.Set("volumes.system.owner", "mastodon"))),
        ["template-not-in-the-app-folder"] = new("nextcloud", "services.app.files[0].template", c => c.Edit("nextcloud", r => r.Set("services.app.files[0].template", "files/missing.php"))),
        ["template-escaping-the-app-folder"] = new("nextcloud", "services.app.files[0].template", c => c.Edit("nextcloud", r => r.Set("services.app.files[0].template", "files/../../mastodon/manifest.yaml"))),
        ["not-a-boolean"] = new("mastodon", "domain.required", c => c.Edit("mastodon", r => r.Set("domain.required", "yes"))),
        ["postgres-18-data-in-the-old-folder"] = new("mastodon", "services.db.mounts", c => c.Edit("mastodon", r => r.Set("services.db.mounts[0].path", "/var/lib/postgresql/data"))),
        ["postgres-17-data-in-the-new-folder"] = new("peertube", "services.db.mounts", c => c.Edit("peertube", r => r.Set("services.db.mounts[0].path", "/var/lib/postgresql"))),
        ["tmpfs-not-absolute"] = new("mastodon", "services.web.tmpfs[0]", c => c.Edit("mastodon", r => r.Set("services.web.tmpfs", Node("[tmp]")))),
    };

    public static IEnumerable<TheoryDataRow<string>> CaseNames() => Cases.Keys.Select(k => new TheoryDataRow<string>(k));

    [Fact]
    public async Task TheRealCatalogIsValid()
    {
        using var copy = new CatalogCopy();

        var (code, output, error) = await copy.ValidateAsync(Ct);

        Assert.True(code == 0, error);
        Assert.Contains(copy.Root, output);
    }

    [Fact]
    public void AtLeastFortyDistinctBreakagesAreTried()
    {
        Assert.True(Cases.Count >= 40, $"{Cases.Count} cases");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task EachBreakageIsRefusedNamingTheFileAndTheField(string name)
    {
        var breakage = Cases[name];
        using var copy = new CatalogCopy();
        breakage.Break(copy);

        var (code, _, error) = await copy.ValidateAsync(Ct);

        Assert.Equal(1, code);
        var file = copy.ManifestOf(breakage.App);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, line => line.StartsWith(file + ":", StringComparison.Ordinal) && line.Contains(breakage.Field, StringComparison.Ordinal));
    }
}
