using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HostPanel.Web.Tests.Functional;

/// <summary>
/// A real SMTP server of the test's own (Debian's python3-aiosmtpd, which scripts/test.sh
/// installs, as the test world's SMTP sink) on a free loopback port, printing every message it
/// receives. Killed when disposed.
/// </summary>
public sealed class LocalSmtpServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import sys
        from aiosmtpd.controller import Controller
        from aiosmtpd.handlers import Debugging
        controller = Controller(Debugging(sys.stdout), hostname="127.0.0.1", port=int(sys.argv[1]))
        controller.start()
        print("ready", flush=True)
        sys.stdin.read()
        controller.stop()
        """;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Task _reading;

    private LocalSmtpServer(Process process, int port)
    {
        _process = process;
        Port = port;
        _reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        });
    }

    public int Port { get; }

    /// <summary>Everything received so far (aiosmtpd's debugging output: headers and bodies).</summary>
    public string Received
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<LocalSmtpServer> StartAsync(CancellationToken ct)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-u", "-c", Script, port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        var server = new LocalSmtpServer(process, port);
        var errors = process.StandardError.ReadToEndAsync(ct);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!server.Received.Contains("ready", StringComparison.Ordinal))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException(
                    "The test SMTP server did not start (it needs Debian's python3-aiosmtpd, which scripts/test.sh installs): "
                    + (process.HasExited ? await errors : "timed out"));
            }

            await Task.Delay(100, ct);
        }

        return server;
    }

    /// <summary>Waits (10 s at most) until a message holding <paramref name="text"/> arrived, and returns everything received.</summary>
    public async Task<string> WaitForAsync(string text, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!Received.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No message holding {text} reached the SMTP server. Received:\n{Received}");
            }

            await Task.Delay(100, ct);
        }

        return Received;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(CancellationToken.None);
        await _reading;
        _process.Dispose();
    }
}
