using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HostPanel.Integration.Tests.TestWorld;
using HostPanel.Tests;

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

    public static Task<string> WaitInAsync(Func<string> read, string token, CancellationToken ct, TimeSpan? timeout = null) =>
        PrivateSmtpServer.WaitInAsync(read, token, ct, timeout);

    /// <summary>Whether a message holding <paramref name="token"/> is there now.</summary>
    public static bool Holds(string token) => ReadShared(World.SmtpLog).Contains(token, StringComparison.Ordinal);

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
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
