using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using HostPanel.Core.Configuration;
using HostPanel.Core.Engine;
using HostPanel.Infrastructure.Docker;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Integration.Tests.TestWorld;

/// <summary>
/// The local test world started by scripts/testworld.sh, as its `env` command describes it.
/// These tests run inside the world's network namespace; without it they fail and say how to run them.
/// </summary>
public static class World
{
    public static string DockerHost => Require("DOCKER_HOST");
    public static string Registry => Require("HOSTPANEL_TEST_REGISTRY");
    public static string WebImage => Require("HOSTPANEL_TEST_IMAGE_WEB");
    public static string AppImage => Require("HOSTPANEL_TEST_IMAGE_APP");
    public static string PostgresImage => Require("HOSTPANEL_TEST_IMAGE_POSTGRES");
    public static string AcmeDirectory => Require("HOSTPANEL_TEST_ACME_DIRECTORY");
    public static string AcmeTlsCa => Require("HOSTPANEL_TEST_ACME_TLS_CA");
    public static string IssuerRoot => Require("HOSTPANEL_TEST_ISSUER_ROOT");
    public static string CaddyAdmin => Require("HOSTPANEL_TEST_CADDY_ADMIN");

    /// <summary>pebble-challtestsrv's DNS server (host:port): every name resolves to 127.0.0.1 unless told otherwise.</summary>
    public static string Dns => Require("HOSTPANEL_TEST_DNS");

    /// <summary>pebble-challtestsrv's management API (add-a, clear-a, set-txt…).</summary>
    public static string DnsManagement => Require("HOSTPANEL_TEST_DNS_MANAGEMENT");
    public static string SftpHost => Require("HOSTPANEL_TEST_SFTP_HOST");
    public static int SftpPort => int.Parse(Require("HOSTPANEL_TEST_SFTP_PORT"), System.Globalization.CultureInfo.InvariantCulture);
    public static string SftpUser => Require("HOSTPANEL_TEST_SFTP_USER");
    public static string SftpKey => Require("HOSTPANEL_TEST_SFTP_KEY");
    public static string SftpKnownHosts => Require("HOSTPANEL_TEST_SFTP_KNOWN_HOSTS");

    /// <summary>The SFTP server's directory for tests, the same path locally and over SFTP.</summary>
    public static string SftpPath => Require("HOSTPANEL_TEST_SFTP_PATH");

    /// <summary>The SMTP sink (aiosmtpd: no TLS, no login), host:port.</summary>
    public static string Smtp => Require("HOSTPANEL_TEST_SMTP");

    public static string SmtpHost => Smtp[..Smtp.LastIndexOf(':')];

    public static int SmtpPort => int.Parse(Smtp[(Smtp.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Where the SMTP sink writes every message it receives, headers and body as received.</summary>
    public static string SmtpLog => Path.Combine(Require("HOSTPANEL_TESTWORLD_DIR"), "logs", "smtp.log");

    public static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: integration tests need the test world. Run them with `scripts/testworld.sh up` then `scripts/testworld.sh exec -- <test command>` (scripts/test.sh does both).");

    /// <summary>The real Docker adapter, pointed at the test world's engine.</summary>
    public static ServiceProvider Services(string? dockerEndpoint = null)
    {
        var services = new ServiceCollection();
        services.AddOptions<HostPanelOptions>().Configure(o => o.DockerEndpoint = dockerEndpoint ?? DockerHost);
        services.AddDockerEngine();
        return services.BuildServiceProvider();
    }

    /// <summary>A name no other test run uses, so runs never collide and leftovers are recognisable.</summary>
    public static string UniqueName(string prefix) => $"hp-test-{prefix}-{Guid.NewGuid():N}"[..(9 + prefix.Length + 12)];

    /// <summary>Labels of an object this test owns, as HostPanel would set them.</summary>
    public static Dictionary<string, string> Labels(string instance, string service = "web") => new(HostPanelLabels.Base())
    {
        [HostPanelLabels.Organization] = "test-org",
        [HostPanelLabels.Instance] = instance,
        [HostPanelLabels.Service] = service,
        [HostPanelLabels.Version] = "1",
    };

    /// <summary>
    /// A raw HTTP client on the engine's Unix socket, for setting up objects HostPanel must not own
    /// (the adapter itself refuses to create those).
    /// </summary>
    public static HttpClient RawEngine()
    {
        const string scheme = "unix://";
        var socket = DockerHost.StartsWith(scheme, StringComparison.Ordinal)
            ? DockerHost[scheme.Length..]
            : throw new InvalidOperationException($"DOCKER_HOST must be a unix socket for this test, not {DockerHost}.");
        return UnixSocketClient(socket);
    }

    public static HttpClient UnixSocketClient(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await s.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                return new NetworkStream(s, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://localhost"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>An HTTPS client that trusts only the given PEM CA (Pebble's own listener CA).</summary>
    public static HttpClient TrustingOnly(string caPem)
    {
        var ca = X509Certificate2.CreateFromPem(caPem);
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                if (cert is null)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(cert);
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string url, CancellationToken ct) =>
        await client.GetFromJsonAsync<JsonElement>(url, ct);
}
