namespace HostPanel.Core.Configuration;

/// <summary>
/// Settings shared by the panel and the CLI, bound from the root of the configuration:
/// appsettings.json in the data directory, then environment variables prefixed HOSTPANEL_
/// (HOSTPANEL_DOCKERENDPOINT, HOSTPANEL_URLS, …), then the command line.
/// </summary>
public sealed class HostPanelOptions
{
    public const string DefaultDataDirectory = "/var/lib/hostpanel";
    public const string DefaultDockerSocket = "unix:///var/run/docker.sock";
    public const string EnvironmentPrefix = "HOSTPANEL_";

    /// <summary>Where HostPanel keeps its database, key ring and settings.</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory;

    /// <summary>The app catalog folder; empty means the one shipped next to the program.</summary>
    public string? CatalogDirectory { get; set; }

    /// <summary>
    /// The container engine endpoint (unix:///…/docker.sock or tcp://127.0.0.1:2375). Empty means
    /// DOCKER_HOST, then the engine's default socket.
    /// </summary>
    public string? DockerEndpoint { get; set; }

    /// <summary>
    /// A small image with sh, find and cp, for HostPanel's own short jobs (copying volumes).
    /// Pinned like every image HostPanel runs.
    /// </summary>
    public string UtilityImage { get; set; } = "busybox:1.37.0";

    /// <summary>The hour (0–23, server time) of the nightly backups of every running app.</summary>
    public int BackupHour { get; set; } = 3;

    /// <summary>The day of the weekly restore drills (after that night's backups).</summary>
    public DayOfWeek DrillDay { get; set; } = DayOfWeek.Sunday;

    /// <summary>
    /// This server's public addresses (IPv4 and/or IPv6, comma-separated), the ones an app's
    /// domain must point to. Empty: the addresses of the machine's network interfaces.
    /// </summary>
    public string? PublicAddresses { get; set; }

    /// <summary>DNS servers to ask (host or host:port, comma-separated); empty: the system's.</summary>
    public string? DnsServers { get; set; }

    /// <summary>Let's Encrypt's production directory.</summary>
    public const string LetsEncrypt = "https://acme-v02.api.letsencrypt.org/directory";

    /// <summary>Let's Encrypt's staging directory (for trials: its certificates are not trusted by browsers).</summary>
    public const string LetsEncryptStaging = "https://acme-staging-v02.api.letsencrypt.org/directory";

    /// <summary>The ACME directory certificates are asked from.</summary>
    public string AcmeDirectory { get; set; } = LetsEncrypt;

    /// <summary>The e-mail address given to the certificate authority (optional).</summary>
    public string? AcmeContactEmail { get; set; }

    /// <summary>
    /// A PEM file of the only roots trusted for the ACME server's own HTTPS (a private CA, such as
    /// a test one); empty: the system's trust store.
    /// </summary>
    public string? AcmeTrustedRoots { get; set; }

    /// <summary>
    /// A PEM file of certificate authorities trusted for the mail server's TLS besides the
    /// system's trust store (a private relay, a test server); empty: the system's only. The
    /// certificate must still be for the server's name.
    /// </summary>
    public string? MailExtraTrustedCa { get; set; }

    /// <summary>The edge proxy's (Caddy's) admin API socket; empty: no proxy is driven.</summary>
    public string? ProxyAdminSocket { get; set; }

    /// <summary>The ports the proxy serves HTTP and HTTPS on.</summary>
    public int HttpPort { get; set; } = 80;

    public int HttpsPort { get; set; } = 443;

    /// <summary>
    /// The panel's public address (for example https://panel.velo-lyon.fr): the links in
    /// invitations and password resets, and the issuer of the single sign-on provider. Empty: no
    /// single sign-on for apps, and links are shown relative to the address the panel was reached at.
    /// </summary>
    public string? PanelUrl { get; set; }

    /// <summary>Where the edge proxy reaches the panel itself when it serves <see cref="PanelUrl"/>.</summary>
    public string PanelUpstream { get; set; } = "127.0.0.1:8080";

    /// <summary>How long an invitation link stays valid.</summary>
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    public string DatabasePath => Path.Combine(DataDirectory, "hostpanel.db");

    public string KeyRingDirectory => Path.Combine(DataDirectory, "keys");

    public string SettingsFile => Path.Combine(DataDirectory, "appsettings.json");

    public string ResolveCatalogDirectory() =>
        string.IsNullOrWhiteSpace(CatalogDirectory)
            ? Path.Combine(AppContext.BaseDirectory, "app-catalog")
            : Path.GetFullPath(CatalogDirectory);

    /// <summary>The endpoint to use: the configured one, else DOCKER_HOST, else the default socket.</summary>
    public string ResolveDockerEndpoint(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrWhiteSpace(DockerEndpoint))
        {
            return DockerEndpoint;
        }

        var fromEnv = environment("DOCKER_HOST");
        return string.IsNullOrWhiteSpace(fromEnv) ? DefaultDockerSocket : fromEnv;
    }
}
