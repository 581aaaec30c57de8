using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HostPanel.Acme;
using HostPanel.Core.Certificates;
using HostPanel.Core.Configuration;
using HostPanel.Core.Domains;
using HostPanel.Core.Secrets;

namespace HostPanel.Infrastructure.Certificates;

/// <summary>
/// The certificate authority through HostPanel's own ACME client: Let's Encrypt by default
/// (<see cref="HostPanelOptions.AcmeDirectory"/>), one account per directory whose key is kept
/// encrypted in the secret store.
/// </summary>
public sealed class AcmeCertificateAuthority(HostPanelOptions options, ISecretStore secrets, TimeProvider time) : ICertificateAuthority, IDisposable
{
    /// <summary>The secret store's owner of the ACME account keys.</summary>
    public const string SecretOwner = "acme";

    private readonly Lazy<HttpClient> _http = new(() => CreateHttpClient(options));
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AcmeClient? _client;

    public string Name => options.AcmeDirectory;

    public async Task<IssuedCertificate> IssueAsync(IReadOnlyList<string> names, ChallengeKind challenge, IChallengeAnswers answers, X509Certificate2? replaces, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(answers);
        if (challenge != ChallengeKind.Http01)
        {
            throw new CertificateAuthorityException("DNS-01 validation needs a DNS provider, and none is configured on this server: use HTTP-01 for this domain, or create the TXT record by hand with the manual provider.");
        }

        return await CallAsync(async client =>
        {
            var directory = await client.GetDirectoryAsync(ct).ConfigureAwait(false);
            var issueOptions = new AcmeIssueOptions
            {
                // "replaces" only where the CA has renewal information (RFC 9773).
                Replaces = replaces is not null && directory.RenewalInfo is not null ? AcmeRenewal.GetCertId(replaces) : null,
            };
            AcmeCertificate certificate;
            try
            {
                certificate = await client.IssueAsync(names, new Responder(answers, names[0]), issueOptions, ct).ConfigureAwait(false);
            }
            catch (AcmeProblemException e) when (issueOptions.Replaces is not null && e.Type == AcmeErrorTypes.AlreadyReplaced)
            {
                // The certificate was replaced already (an earlier renewal whose result was lost):
                // a plain order then.
                certificate = await client.IssueAsync(names, new Responder(answers, names[0]), new AcmeIssueOptions(), ct).ConfigureAwait(false);
            }

            using (certificate)
            {
                return new IssuedCertificate(certificate.ChainPem, certificate.PrivateKeyPem, X509CertificateLoader.LoadCertificate(certificate.Certificate.RawData));
            }
        }, ct).ConfigureAwait(false);
    }

    public async Task<DateTimeOffset> RenewalTimeAsync(X509Certificate2 certificate, CancellationToken ct = default)
    {
        try
        {
            return await CallAsync(client => client.GetRenewalTimeAsync(certificate, ct), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The CA's renewal information could not be read: the usual share of the lifetime.
            return AcmeRenewal.FallbackRenewalTime(certificate);
        }
    }

    public void Dispose()
    {
        if (_http.IsValueCreated)
        {
            _http.Value.Dispose();
        }

        _gate.Dispose();
    }

    private async Task<T> CallAsync<T>(Func<AcmeClient, Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await call(await ClientAsync(ct).ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (AcmeProblemException e)
        {
            throw new CertificateAuthorityException(e.Detail ?? e.Message, e.Type, e.RetryAfter, e);
        }
        catch (AcmeException e)
        {
            throw new CertificateAuthorityException(e.Message, null, null, e);
        }
        catch (HttpRequestException e)
        {
            throw new CertificateAuthorityException($"{options.AcmeDirectory} could not be reached ({e.Message}).", null, null, e);
        }
    }

    /// <summary>The client with this directory's account, created at the first use.</summary>
    private async Task<AcmeClient> ClientAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_client is not null)
            {
                return _client;
            }

            var name = "account-key-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(options.AcmeDirectory)))[..16];
            var stored = (await secrets.GetAllAsync(SecretOwner, ct).ConfigureAwait(false)).GetValueOrDefault(name);
            var key = stored is null ? AcmeAccountKey.Generate() : AcmeAccountKey.ImportPkcs8(Convert.FromBase64String(stored));
            var client = new AcmeClient(_http.Value, new Uri(options.AcmeDirectory), key, new AcmeClientOptions { TimeProvider = time });

            // With a known key, newAccount returns the existing account.
            var contact = string.IsNullOrWhiteSpace(options.AcmeContactEmail) ? [] : new[] { options.AcmeContactEmail };
            await client.CreateAccountAsync(contact, termsOfServiceAgreed: true, ct).ConfigureAwait(false);
            if (stored is null)
            {
                await secrets.SetAsync(SecretOwner, name, Convert.ToBase64String(key.ExportPkcs8()), ct).ConfigureAwait(false);
            }

            _client = client;
            return client;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static HttpClient CreateHttpClient(HostPanelOptions options)
    {
        var handler = new SocketsHttpHandler { UseProxy = true, ConnectTimeout = TimeSpan.FromSeconds(15) };
        if (!string.IsNullOrWhiteSpace(options.AcmeTrustedRoots))
        {
            // A private CA (a test CA such as Pebble): trust only the roots in that file.
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(options.AcmeTrustedRoots);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return (errors & ~System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors) == System.Net.Security.SslPolicyErrors.None
                    && chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
            };
        }

        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
    }

    private sealed class Responder(IChallengeAnswers answers, string domain) : IHttp01Responder
    {
        public Task PublishAsync(string token, string keyAuthorization, CancellationToken cancellationToken) =>
            answers.PublishAsync(domain, token, keyAuthorization, cancellationToken);

        public Task WithdrawAsync(string token, CancellationToken cancellationToken) => answers.WithdrawAsync(token, cancellationToken);
    }
}
