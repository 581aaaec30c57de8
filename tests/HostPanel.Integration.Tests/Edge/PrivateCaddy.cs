using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using HostPanel.Core.Edge;
using HostPanel.Infrastructure.Edge;
using HostPanel.Integration.Tests.TestWorld;

namespace HostPanel.Integration.Tests.Edge;

/// <summary>
/// A Caddy process of one test's own: its admin socket, HOME, XDG directories and storage in a
/// temporary directory, its servers on free loopback ports. Never the test world's Caddy. Disposing
/// kills it and deletes the directory.
/// </summary>
internal sealed class PrivateCaddy : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private static readonly HashSet<int> HandedOut = [];

    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;

    private PrivateCaddy(DirectoryInfo root)
    {
        Root = root.FullName;
        foreach (var directory in CaddyDirectories.Append(Certificates).Append(State))
        {
            Directory.CreateDirectory(directory);
        }

        Options = new CaddyOptions
        {
            AdminListen = "unix/" + Path.Combine(Root, "admin.sock"),
            HttpPort = FreePort(),
            HttpsPort = FreePort(),
            StorageDirectory = Path.Combine(Root, "storage"),
            ListenHost = "127.0.0.1",
        };
        LastConfigurationFile = Path.Combine(State, "caddy.json");
        Proxy = new CaddyEdgeProxy(new CaddyEdgeProxyOptions { Caddy = Options, LastConfigurationFile = LastConfigurationFile });
    }

    public string Root { get; }

    public CaddyOptions Options { get; }

    public CaddyEdgeProxy Proxy { get; }

    public string LastConfigurationFile { get; }

    /// <summary>Where tests keep certificate files (outside Caddy's own directories).</summary>
    public string Certificates => Path.Combine(Root, "certs");

    /// <summary>Caddy's HOME, XDG data/config/cache directories and storage: where Caddy may write.</summary>
    public IEnumerable<string> CaddyDirectories => new[] { "home", "data", "config", "cache", "storage" }.Select(d => Path.Combine(Root, d));

    public string HttpBase(string domain) => $"http://{domain}:{Options.HttpPort}";

    public string HttpsBase(string domain) => $"https://{domain}:{Options.HttpsPort}";

    /// <summary>Caddy's last lines of output, for failure messages.</summary>
    public string Log => string.Join('\n', _log);

    private string State => Path.Combine(Root, "state");

    /// <summary>Starts Caddy with a configuration holding only its admin API (as HostPanel renders it) and its storage.</summary>
    public static async Task<PrivateCaddy> StartAsync(CancellationToken ct)
    {
        var caddy = new PrivateCaddy(Directory.CreateTempSubdirectory("hp-edge-"));
        try
        {
            var initial = new JsonObject
            {
                ["admin"] = new JsonObject
                {
                    ["listen"] = caddy.Options.AdminListen,
                    ["origins"] = new JsonArray("localhost"),
                    ["config"] = new JsonObject { ["persist"] = false },
                },
                ["storage"] = new JsonObject { ["module"] = "file_system", ["root"] = caddy.Options.StorageDirectory },
            };
            var initialFile = Path.Combine(caddy.Root, "initial.json");
            await File.WriteAllTextAsync(initialFile, initial.ToJsonString(), ct);
            await caddy.RunAsync(initialFile, ct);
            return caddy;
        }
        catch
        {
            await caddy.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills Caddy (as a crash or a reboot would) and starts it again from <paramref name="configFile"/>.</summary>
    public async Task RestartFromAsync(string configFile, CancellationToken ct)
    {
        await StopAsync();
        File.Delete(Options.AdminSocketPath);
        await RunAsync(configFile, ct);
    }

    public async ValueTask DisposeAsync()
    {
        Proxy.Dispose();
        await StopAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private async Task RunAsync(string configFile, CancellationToken ct)
    {
        var start = new ProcessStartInfo("caddy")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Root,
        };
        foreach (var arg in new[] { "run", "--config", configFile })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = Path.Combine(Root, "home");
        start.Environment["XDG_DATA_HOME"] = Path.Combine(Root, "data");
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(Root, "config");
        start.Environment["XDG_CACHE_HOME"] = Path.Combine(Root, "cache");
        var process = Process.Start(start) ?? throw new InvalidOperationException("caddy did not start.");
        _process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var admin = World.UnixSocketClient(Options.AdminSocketPath);
        admin.Timeout = TimeSpan.FromSeconds(2);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"caddy exited with code {process.ExitCode}:\n{Log}");
            }

            if (File.Exists(Options.AdminSocketPath))
            {
                try
                {
                    using var response = await admin.GetAsync("/config/", ct);
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                }
            }

            if (deadline.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"caddy's admin socket did not answer within {StartTimeout.TotalSeconds} s:\n{Log}");
            }

            await Task.Delay(50, ct);
        }
    }

    private async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var stop = new CancellationTokenSource(StopTimeout);
            await process.WaitForExitAsync(stop.Token);
        }
        catch (InvalidOperationException)
        {
        }
        finally
        {
            process.Dispose();
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > 200)
        {
            _log.TryDequeue(out _);
        }
    }

    /// <summary>
    /// A loopback port free for TCP and UDP (Caddy's HTTPS server also listens for HTTP/3), never
    /// handed out twice in this test run.
    /// </summary>
    internal static int FreePort()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var tcp = new TcpListener(IPAddress.Loopback, 0);
            tcp.Start();
            var port = ((IPEndPoint)tcp.LocalEndpoint).Port;
            try
            {
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            }
            catch (SocketException)
            {
                continue;
            }
            finally
            {
                tcp.Stop();
            }

            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("No free loopback port found.");
    }
}
