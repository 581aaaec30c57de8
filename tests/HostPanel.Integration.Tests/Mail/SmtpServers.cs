using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HostPanel.Integration.Tests.TestWorld;

namespace HostPanel.Integration.Tests.Mail;

/// <summary>Reads what the world's SMTP sink received (its log: aiosmtpd's debugging output).</summary>
internal static class SmtpSink
{
    /// <summary>
    /// Waits (at most <paramref name="timeout"/>, 10 s by default) for a message holding
    /// <paramref name="token"/> in the log and returns it, headers and body as received.
    /// </summary>
    public static Task<string> WaitForAsync(string token, CancellationToken ct, TimeSpan? timeout = null) =>
        WaitInAsync(() => ReadShared(World.SmtpLog), token, ct, timeout);

    public static async Task<string> WaitInAsync(Func<string> read, string token, CancellationToken ct, TimeSpan? timeout = null)
    {
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

    /// <summary>Whether a message holding <paramref name="token"/> is there now.</summary>
    public static bool Holds(string token) => ReadShared(World.SmtpLog).Contains(token, StringComparison.Ordinal);

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

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

/// <summary>
/// A private aiosmtpd of one test, on a free loopback port: with a login (one user, one
/// password) or with TLS (STARTTLS or implicit) and a certificate of a test CA. What it receives
/// is kept in <see cref="Output"/>. Stopped (killed) when disposed.
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
        if mode == "login":
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

    /// <summary>A server with TLS ("starttls" or "tls") and the certificate of <paramref name="certificates"/>.</summary>
    public static Task<PrivateSmtpServer> WithTlsAsync(string mode, TestCertificates certificates, CancellationToken ct) =>
        StartAsync(mode, new Dictionary<string, string> { ["SMTP_CERT"] = certificates.ServerCertificateFile, ["SMTP_KEY"] = certificates.ServerKeyFile }, ct);

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
                throw new InvalidOperationException($"The test SMTP server ({mode}) did not start: {(process.HasExited ? await stderr : "timed out")}");
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

    public Task<string> WaitForAsync(string token, CancellationToken ct) => SmtpSink.WaitInAsync(() => Output, token, ct);

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

/// <summary>A test certificate authority and a server certificate it signed for "localhost" only, as PEM files.</summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hp-mail-ca-").FullName;

    public TestCertificates()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=HostPanel test mail CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddHours(-1), now.AddDays(2));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var server = serverRequest.Create(ca, now.AddHours(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(12));

        File.WriteAllText(AuthorityFile, ca.ExportCertificatePem());
        File.WriteAllText(ServerCertificateFile, server.ExportCertificatePem());
        File.WriteAllText(ServerKeyFile, serverKey.ExportPkcs8PrivateKeyPem());
    }

    public string AuthorityFile => Path.Combine(_directory, "ca.pem");

    public string ServerCertificateFile => Path.Combine(_directory, "server.pem");

    public string ServerKeyFile => Path.Combine(_directory, "server.key");

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
