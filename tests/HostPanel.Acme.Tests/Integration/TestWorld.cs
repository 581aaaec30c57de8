using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace HostPanel.Acme.Tests.Integration;

/// <summary>
/// The pieces of the local test world (scripts/testworld.sh) these tests use: Pebble, its DNS server
/// pebble-challtestsrv and Caddy. The tests run inside the world's network namespace; without it they
/// fail and say how to run them.
/// </summary>
internal static class TestWorld
{
    public static Uri AcmeDirectory => new(Require("HOSTPANEL_TEST_ACME_DIRECTORY"));

    public static string AcmeTlsCa => Require("HOSTPANEL_TEST_ACME_TLS_CA");

    public static string IssuerRootFile => Require("HOSTPANEL_TEST_ISSUER_ROOT");

    public static Uri DnsManagement => new(Require("HOSTPANEL_TEST_DNS_MANAGEMENT"));

    public static string CaddyAdminSocket
    {
        get
        {
            const string scheme = "unix://";
            var admin = Require("HOSTPANEL_TEST_CADDY_ADMIN");
            return admin.StartsWith(scheme, StringComparison.Ordinal)
                ? admin[scheme.Length..]
                : throw new InvalidOperationException($"HOSTPANEL_TEST_CADDY_ADMIN must be a unix socket, not {admin}.");
        }
    }

    public static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: integration tests need the test world. Run them with `scripts/testworld.sh up` then `scripts/testworld.sh exec -- <test command>`.");

    /// <summary>A domain under example.org no other test (or run) uses.</summary>
    public static string UniqueDomain(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)] + ".hp-acme-test.example.org";

    /// <summary>An HTTPS client that trusts only the given PEM CA (Pebble's own listener CA), nothing from the system.</summary>
    public static HttpClient TrustingOnly(string caPem)
    {
        var ca = X509Certificate2.CreateFromPem(caPem);
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is null)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
                },
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
    }

    /// <summary>A raw HTTP client on a Unix socket (Caddy's admin API).</summary>
    public static HttpClient UnixSocketClient(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://localhost"), Timeout = TimeSpan.FromSeconds(20) };
    }

    public static HttpClient PlainClient(Uri baseAddress) => new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(20) };
}
