using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using HostPanel.Core.Certificates;
using HostPanel.Core.Configuration;
using HostPanel.Core.Domains;
using HostPanel.Core.Edge;
using HostPanel.Integration.Tests.Apps;
using HostPanel.Integration.Tests.TestWorld;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Integration.Tests.Certificates;

/// <summary>
/// Tests that drive the world's own Caddy (on ports 80 and 443, where Pebble validates) take
/// turns, and its first configuration is loaded back after them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WorldEdgeCollection : ICollectionFixture<WorldEdge>
{
    public const string Name = "world-edge";
}

public sealed class WorldEdge : IAsyncLifetime
{
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        var initial = Path.Combine(World.Require("HOSTPANEL_TESTWORLD_DIR"), "caddy", "initial.json");
        using var admin = World.UnixSocketClient(AdminSocket);
        using var content = new StringContent(await File.ReadAllTextAsync(initial), System.Text.Encoding.UTF8, "application/json");
        (await admin.PostAsync("/load", content)).EnsureSuccessStatusCode();
    }

    public static string AdminSocket => World.CaddyAdmin["unix://".Length..];

    /// <summary>HostPanel with the world's proxy and CA; <paramref name="clock"/>, when given, is the certificates' clock.</summary>
    internal static Task<Lifecycle> StartAsync(string dataDirectory, CancellationToken ct, TimeProvider? clock = null, string publicAddresses = "127.0.0.1") =>
        Lifecycle.StartAsync(dataDirectory, 1, ct, o =>
        {
            o.ProxyAdminSocket = AdminSocket;
            o.AcmeDirectory = World.AcmeDirectory;
            o.AcmeTrustedRoots = World.Require("HOSTPANEL_TEST_ACME_TLS_CA_FILE");
            o.PublicAddresses = publicAddresses;
        }, services =>
        {
            if (clock is not null)
            {
                services.AddSingleton(sp => ActivatorUtilities.CreateInstance<CertificateService>(sp, clock));
            }
        });

    /// <summary>The serial of the certificate the world's proxy serves for <paramref name="domain"/> (SNI), trusting only Pebble's root.</summary>
    public static async Task<string> ServedSerialAsync(string domain, CancellationToken ct)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", 443, ct);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = domain, RemoteCertificateValidationCallback = (_, _, _, _) => true }, ct);
        return X509CertificateLoader.LoadCertificate(tls.RemoteCertificate!.GetRawCertData()).SerialNumber;
    }

    /// <summary>An HTTPS client for the world's proxy that trusts only Pebble's issuing root and resolves every name to 127.0.0.1.</summary>
    public static HttpClient Https()
    {
        using var root = X509Certificate2.CreateFromPem(File.ReadAllText(World.IssuerRoot));
        var trusted = X509CertificateLoader.LoadCertificate(root.RawData);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.Zero,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync("127.0.0.1", context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
        {
            if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return false;
            }

            using var built = CustomRootChain.Build(trusted, certificate, chain);
            return built is not null;
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Runs a program (curl, openssl) with a bounded time; returns its exit code and output.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string program, CancellationToken ct, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
