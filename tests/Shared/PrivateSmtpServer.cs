using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HostPanel.Tests;

/// <summary>
/// A private aiosmtpd of one test (Debian's python3-aiosmtpd, which scripts/test.sh installs), on
/// a free loopback port: open, with a login (one user, one password) or with TLS (STARTTLS or
/// implicit) and a given certificate. What it receives is kept in <see cref="Output"/> (aiosmtpd's
/// debugging output: headers and bodies). Stopped (killed) when disposed.
/// </summary>
internal sealed class PrivateSmtpServer : IAsyncDisposable
{
    private const string Script = """
        import os, ssl, sys, threading
        from aiosmtpd.controller import Controller
        from aiosmtpd.handlers import Debugging
        from aiosmtpd.smtp import AuthResult, LoginPassword

        port, mode = int(sys.argv[1]), sys.argv[2]
        user = os.environ.get("SMTP_USER", "").encode()
        password = os.environ.get("SMTP_PASSWORD", "").encode()

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login == user and auth_data.password == password
            return AuthResult(success=ok, handled=False)

        options = dict(hostname="127.0.0.1", port=port)
        if mode == "open":
            pass
        elif mode == "login":
            options.update(authenticator=authenticator, auth_required=True, auth_require_tls=False)
        else:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(os.environ["SMTP_CERT"], os.environ["SMTP_KEY"])
            if mode == "starttls":
                options.update(tls_context=context, require_starttls=True)
            else:
                options.update(ssl_context=context)
        controller = Controller(Debugging(sys.stdout), **options)
        controller.start()
        print("ready", flush=True)
        sys.stdin.read()
        controller.stop()
        """;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Task _reading;

    private PrivateSmtpServer(Process process, int port)
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

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>A server that takes mail only after a login as <paramref name="user"/> with <paramref name="password"/> (no TLS).</summary>
    public static Task<PrivateSmtpServer> WithLoginAsync(string user, string password, CancellationToken ct) =>
        StartAsync("login", new Dictionary<string, string> { ["SMTP_USER"] = user, ["SMTP_PASSWORD"] = password }, ct);

    /// <summary>A server that takes any mail, with no login and no TLS.</summary>
    public static Task<PrivateSmtpServer> OpenAsync(CancellationToken ct) => StartAsync("open", [], ct);

    /// <summary>A server with TLS ("starttls" or "tls") and the certificate and key of these PEM files.</summary>
    public static Task<PrivateSmtpServer> WithTlsAsync(string mode, string certificateFile, string keyFile, CancellationToken ct) =>
        StartAsync(mode, new Dictionary<string, string> { ["SMTP_CERT"] = certificateFile, ["SMTP_KEY"] = keyFile }, ct);

    private static async Task<PrivateSmtpServer> StartAsync(string mode, Dictionary<string, string> environment, CancellationToken ct)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-u", "-c", Script, port.ToString(System.Globalization.CultureInfo.InvariantCulture), mode })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        var server = new PrivateSmtpServer(process, port);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!server.Output.Contains("ready", StringComparison.Ordinal))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"The test SMTP server ({mode}) did not start (it needs Debian's python3-aiosmtpd, which scripts/test.sh installs): {(process.HasExited ? await stderr : "timed out")}");
            }

            await Task.Delay(100, ct);
        }

        return server;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits (10 s at most) for a message holding <paramref name="token"/> and returns it.</summary>
    public Task<string> WaitForAsync(string token, CancellationToken ct) => WaitInAsync(() => Output, token, ct);

    /// <summary>
    /// Waits (at most <paramref name="timeout"/>, 10 s by default) for a message holding
    /// <paramref name="token"/> in what <paramref name="read"/> gives (aiosmtpd's output) and returns it.
    /// </summary>
    public static async Task<string> WaitInAsync(Func<string> read, string token, CancellationToken ct, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (Messages(read()).FirstOrDefault(m => m.Contains(token, StringComparison.Ordinal)) is { } message)
            {
                return message;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No message holding {token} reached the SMTP server.");
            }

            await Task.Delay(200, ct);
        }
    }

    private static IEnumerable<string> Messages(string log)
    {
        const string start = "---------- MESSAGE FOLLOWS ----------";
        const string end = "------------ END MESSAGE ------------";
        var at = 0;
        while ((at = log.IndexOf(start, at, StringComparison.Ordinal)) >= 0)
        {
            var stop = log.IndexOf(end, at, StringComparison.Ordinal);
            if (stop < 0)
            {
                yield break;
            }

            yield return log[at..stop];
            at = stop;
        }
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
