using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostPanel.Core.Edge;

namespace HostPanel.Integration.Tests.Edge;

/// <summary>Clients and certificates for the edge tests.</summary>
internal static class EdgeTestKit
{
    /// <summary>
    /// A handler that connects every host name to 127.0.0.1 (the port of the URL), sends the name
    /// as Host and SNI, accepts any server certificate and follows no redirect.
    /// </summary>
    public static SocketsHttpHandler LoopbackHandler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public static HttpClient LoopbackClient() => new(LoopbackHandler()) { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Writes a new self-signed certificate for <paramref name="domain"/> as PEM files
    /// <c>NAME.chain.pem</c> and <c>NAME.key.pem</c> in <paramref name="directory"/> (replacing
    /// them when they exist); returns the files and the certificate's serial number.
    /// </summary>
    public static (EdgeCertificate Files, string Serial) WriteCertificate(string directory, string name, string domain)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={domain}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(domain);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var files = new EdgeCertificate(Path.Combine(directory, $"{name}.chain.pem"), Path.Combine(directory, $"{name}.key.pem"));
        File.WriteAllText(files.ChainFile, certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(files.KeyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
        return (files, certificate.SerialNumber);
    }

    public static EdgeSite Site(string domain, string upstream, EdgeCertificate? certificate = null) => new()
    {
        Domain = domain,
        Instance = "test-" + domain.Split('.')[0],
        Routes = [new EdgeRoute { PathPrefix = "/", Upstream = upstream }],
        Certificate = certificate,
    };

    /// <summary>A deadline for one test, on top of the run's own cancellation.</summary>
    public static CancellationTokenSource Deadline(TimeSpan limit)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(limit);
        return cts;
    }
}
