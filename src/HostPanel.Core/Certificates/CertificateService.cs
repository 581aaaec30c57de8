using System.Security.Cryptography.X509Certificates;
using HostPanel.Core.Backups;
using HostPanel.Core.Configuration;
using HostPanel.Core.Domains;
using HostPanel.Core.Edge;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Certificates;

/// <summary>
/// Certificates of the apps' domains: issued when a domain gets an app, renewed when due, one
/// domain at a time so that one failing never holds the others back; after a failure the
/// certificate in use keeps being served and the next attempt waits (at most one a day). After
/// every change, the certificate the proxy really serves is fetched and its serial compared.
/// </summary>
public sealed class CertificateService(
    ICertificateStore certificates,
    IDomainStore domains,
    DomainChecker checker,
    ICertificateAuthority authority,
    IChallengeStore challenges,
    EdgeSync edge,
    HostPanelOptions options,
    TimeProvider time,
    IEdgeProxy? proxy = null)
{
    /// <summary>How long an HTTP-01 answer is served at most (a crash never leaves it for ever).</summary>
    public static readonly TimeSpan ChallengeLifetime = TimeSpan.FromMinutes(15);

    /// <summary>Where the certificates' files are kept, one folder per domain.</summary>
    public string Directory => Path.Combine(options.DataDirectory, "certs");

    /// <summary>Every certificate record, by domain.</summary>
    public Task<IReadOnlyList<CertificateRecord>> ListAsync(CancellationToken ct = default) => certificates.ListAsync(ct);

    /// <summary>
    /// Issues or renews the certificate of <paramref name="domain"/> when it is due (always when
    /// <paramref name="force"/>: a person asked). Never throws for a refusal: the record says
    /// what happened (<see cref="CertificateRecord.LastError"/>).
    /// </summary>
    public async Task<CertificateRecord> EnsureAsync(string domain, bool force = false, CancellationToken ct = default)
    {
        var record = await certificates.FindAsync(domain, ct).ConfigureAwait(false) ?? new CertificateRecord { Domain = domain };
        var now = time.GetUtcNow();
        if (!force && !CertificatePolicy.Due(record, now))
        {
            return record;
        }

        var known = await domains.FindAsync(domain, ct).ConfigureAwait(false);
        var challenge = known?.Challenge ?? ChallengeKind.Http01;
        var name = DomainName.Parse(domain, allowWildcard: challenge == ChallengeKind.Dns01);
        if (challenge == ChallengeKind.Http01)
        {
            // A validation that cannot succeed only spends the CA's limits: check the DNS first.
            var check = await checker.CheckAsync(name, ct).ConfigureAwait(false);
            if (!check.PointsHere)
            {
                return await FailAsync(record, now, CoreText.Format("CertificateDnsNotReady", name.Unicode, check.Explanation), ct).ConfigureAwait(false);
            }
        }

        X509Certificate2? current = null;
        IssuedCertificate issued;
        try
        {
            current = record.ChainFile is { } chain && File.Exists(chain) ? X509Certificate2.CreateFromPem(File.ReadAllText(chain)) : null;
            issued = await authority.IssueAsync([name.Ascii], challenge, new EdgeAnswers(challenges, edge, time), current, ct).ConfigureAwait(false);
        }
        catch (CertificateAuthorityException e)
        {
            // A rate limit says when to ask again: never sooner.
            return await FailAsync(record, now, CoreText.Format("CertificateRefused", name.Unicode, authority.Name, e.Message), ct, e.RetryAfter).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException or Edge.EdgeProxyException)
        {
            return await FailAsync(record, now, CoreText.Format("CertificateRefused", name.Unicode, authority.Name, e.Message), ct).ConfigureAwait(false);
        }
        finally
        {
            current?.Dispose();
        }

        using (issued.Leaf)
        {
            var (chainFile, keyFile) = await WriteFilesAsync(domain, issued, ct).ConfigureAwait(false);
            var renewal = await authority.RenewalTimeAsync(issued.Leaf, ct).ConfigureAwait(false);
            record = record with
            {
                ChainFile = chainFile,
                KeyFile = keyFile,
                Serial = issued.Leaf.SerialNumber,
                Issuer = issued.Leaf.Issuer,
                NotBefore = issued.Leaf.NotBefore.ToUniversalTime(),
                NotAfter = issued.Leaf.NotAfter.ToUniversalTime(),
                NextRenewal = renewal,
                LastAttempt = now,
                LastError = null,
                Failures = 0,
                NextAttempt = null,
                WarnedDays = 0,
            };
        }

        await certificates.SaveAsync(record, ct).ConfigureAwait(false);
        await edge.SyncAsync(ct).ConfigureAwait(false);
        record = await VerifyServedAsync(record, ct).ConfigureAwait(false);
        DeleteOldFiles(domain, record);
        return record;
    }

    /// <summary>
    /// Renews every certificate that is due, one domain after the other, each on its own (a
    /// failure is recorded and the next domain goes on); gives the expiry warnings due.
    /// </summary>
    public async Task<IReadOnlyList<CertificateRecord>> RenewDueAsync(CancellationToken ct = default)
    {
        var done = new List<CertificateRecord>();
        foreach (var domain in (await domains.ListAsync(null, ct).ConfigureAwait(false)).Where(d => d.Instance is not null))
        {
            var record = await EnsureAsync(domain.Name, ct: ct).ConfigureAwait(false);
            var warning = CertificatePolicy.WarningDue(record, time.GetUtcNow());
            if (warning > 0)
            {
                record = record with { WarnedDays = warning };
                await certificates.SaveAsync(record, ct).ConfigureAwait(false);
            }

            done.Add(record);
        }

        return done;
    }

    /// <summary>The certificate of a domain no app uses any more: its record and files go.</summary>
    public async Task ForgetAsync(string domain, CancellationToken ct = default)
    {
        await certificates.RemoveAsync(domain, ct).ConfigureAwait(false);
        var folder = Path.Combine(Directory, domain);
        if (System.IO.Directory.Exists(folder))
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Compares the serial the proxy serves for the domain with the one expected; a difference is recorded as the error.</summary>
    public async Task<CertificateRecord> VerifyServedAsync(CertificateRecord record, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (proxy is null || record.Serial is null)
        {
            return record;
        }

        string? served;
        try
        {
            using var certificate = await proxy.GetServedCertificateAsync(record.Domain, ct).ConfigureAwait(false);
            served = certificate?.SerialNumber;
        }
        catch (Exception e) when (e is EdgeProxyException or IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException)
        {
            served = null;
        }

        record = record with
        {
            ServedSerial = served,
            ServedCheckedAt = time.GetUtcNow(),
            LastError = served == record.Serial ? record.LastError : CoreText.Format("CertificateNotServed", record.Domain, record.Serial, served ?? "-"),
        };
        await certificates.SaveAsync(record, ct).ConfigureAwait(false);
        return record;
    }

    private async Task<CertificateRecord> FailAsync(CertificateRecord record, DateTimeOffset now, string error, CancellationToken ct, DateTimeOffset? retryAfter = null)
    {
        var failed = CertificatePolicy.Failed(record, now, error);
        if (retryAfter is { } later && later > failed.NextAttempt)
        {
            failed = failed with { NextAttempt = later };
        }

        await certificates.SaveAsync(failed, ct).ConfigureAwait(false);
        return failed;
    }

    private async Task<(string Chain, string Key)> WriteFilesAsync(string domain, IssuedCertificate issued, CancellationToken ct)
    {
        // New files beside the ones in use, named by serial: the proxy keeps serving the old
        // certificate until the new one is loaded; a crash in between leaves both intact.
        var folder = Path.Combine(Directory, domain);
        PrivateFiles.CreateDirectory(Directory);
        PrivateFiles.CreateDirectory(folder);
        var serial = issued.Leaf.SerialNumber;
        var chain = Path.Combine(folder, serial + ".crt");
        var key = Path.Combine(folder, serial + ".key");
        foreach (var (path, text) in new[] { (key, issued.PrivateKeyPem), (chain, issued.ChainPem) })
        {
            var temporary = path + ".tmp";
            await using (var file = PrivateFiles.Create(temporary))
            await using (var writer = new StreamWriter(file))
            {
                await writer.WriteAsync(text.AsMemory(), ct).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }

        return (chain, key);
    }

    private void DeleteOldFiles(string domain, CertificateRecord record)
    {
        var folder = Path.Combine(Directory, domain);
        foreach (var file in System.IO.Directory.EnumerateFiles(folder))
        {
            if (file != record.ChainFile && file != record.KeyFile)
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>HTTP-01 answers served by the edge proxy: recorded, then the proxy reloaded.</summary>
    private sealed class EdgeAnswers(IChallengeStore challenges, EdgeSync edge, TimeProvider time) : IChallengeAnswers
    {
        public async Task PublishAsync(string domain, string token, string keyAuthorization, CancellationToken ct = default)
        {
            await challenges.AddAsync(new PendingChallenge(token, keyAuthorization, domain, time.GetUtcNow() + ChallengeLifetime), ct).ConfigureAwait(false);
            await edge.SyncAsync(ct).ConfigureAwait(false);
        }

        public async Task WithdrawAsync(string token, CancellationToken ct = default)
        {
            await challenges.RemoveAsync(token, ct).ConfigureAwait(false);
            await edge.SyncAsync(ct).ConfigureAwait(false);
        }
    }
}
