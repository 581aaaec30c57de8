using HostPanel.Core.Apps;
using HostPanel.Core.Accounts;
using System.Security.Cryptography.X509Certificates;
using HostPanel.Core.Backups;
using HostPanel.Core.Configuration;
using HostPanel.Core.Domains;
using HostPanel.Core.Edge;
using HostPanel.Core.Operations;
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
    InstanceLocks locks,
    TimeProvider time,
    IEdgeProxy? proxy = null,
    Handover.IAuditLog? audit = null)
{
    /// <summary>The lock of one domain's certificate is this followed by the domain.</summary>
    public const string LockPrefix = "certificate.";

    /// <summary>How long an HTTP-01 answer is served at most (a crash never leaves it for ever).</summary>
    public static readonly TimeSpan ChallengeLifetime = TimeSpan.FromMinutes(15);

    /// <summary>Where the certificates' files are kept, one folder per domain.</summary>
    public string Directory => Path.Combine(options.DataDirectory, "certs");

    /// <summary>Every certificate record, by domain (the panel's own schedules).</summary>
    public Task<IReadOnlyList<CertificateRecord>> ListAsync(CancellationToken ct = default) => certificates.ListAsync(ct);

    /// <summary>The certificates of the domains of the organizations the caller administers.</summary>
    public async Task<IReadOnlyList<CertificateRecord>> ListAsync(Caller caller, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var records = await certificates.ListAsync(ct).ConfigureAwait(false);
        var mine = (await domains.ListAsync(null, ct).ConfigureAwait(false))
            .Where(d => caller.RoleIn(d.OrganizationId) == OrganizationRole.Administrator)
            .Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        return [.. records.Where(r => mine.Contains(r.Domain))];
    }

    /// <summary>
    /// Renews the certificate of a domain served by an app of an organization the caller
    /// administers, now; a domain of another organization is answered like an unknown one.
    /// </summary>
    public async Task<CertificateRecord> RenewAsync(Caller caller, string? text, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var domain = DomainName.TryParse(text, allowWildcard: true, out var problem)
            ?? throw new AppRequestException("domain", problem!);
        if (await domains.FindAsync(domain.Ascii, ct).ConfigureAwait(false) is not { Instance: not null } record
            || caller.RoleIn(record.OrganizationId) != OrganizationRole.Administrator)
        {
            throw new AppRequestException("domain", CoreText.Format("CertNoApp", domain.Unicode));
        }

        var renewed = await EnsureAsync(domain.Ascii, force: true, ct).ConfigureAwait(false);
        await Handover.AuditTrail.RecordAsync(
            audit, caller, Handover.AuditActions.CertificateRenew, record.OrganizationId, domain.Unicode,
            renewed.LastError is null ? Handover.AuditResult.Succeeded : Handover.AuditResult.Failed, renewed.LastError, ct: ct).ConfigureAwait(false);
        return renewed;
    }

    /// <summary>
    /// Issues or renews the certificate of <paramref name="domain"/> when it is due (always when
    /// <paramref name="force"/>: a person asked). Never throws for a refusal or a failure: the
    /// record says what happened (<see cref="CertificateRecord.LastError"/>). One attempt per
    /// domain at a time, across HostPanel's processes.
    /// </summary>
    public Task<CertificateRecord> EnsureAsync(string domain, bool force = false, CancellationToken ct = default) =>
        locks.RunAsync(LockPrefix + domain, LockWait.Wait, () => EnsureHeldAsync(domain, force, ct), ct);

    private async Task<CertificateRecord> EnsureHeldAsync(string domain, bool force, CancellationToken ct)
    {
        var record = await certificates.FindAsync(domain, ct).ConfigureAwait(false) ?? new CertificateRecord { Domain = domain };
        var now = time.GetUtcNow();
        // Files that went missing or were damaged make the certificate due too (within the same backoff).
        var due = CertificatePolicy.Due(record, now) || (record.Serial is not null && !FilesPresent(record) && !(record.NextAttempt > now));
        if (!force && !due)
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

        IssuedCertificate issued;
        X509Certificate2? current = null;
        try
        {
            current = FilesPresent(record) ? X509Certificate2.CreateFromPem(File.ReadAllText(record.ChainFile!)) : null;
            issued = await authority.IssueAsync([name.Ascii], challenge, new EdgeAnswers(challenges, edge, time), current, ct).ConfigureAwait(false);
        }
        catch (CertificateAuthorityException e)
        {
            return await FailAsync(record, now, CoreText.Format("CertificateRefused", name.Unicode, authority.Name, e.Message), ct, e.RetryAfter).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Whatever else went wrong (the network, a time-out, the proxy) is this domain's
            // failure, recorded and backed off; the next domains go on.
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

            // Recorded at once: the certificate is ours even if what follows fails.
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
                ServedSerial = null,
            };
        }

        await certificates.SaveAsync(record, ct).ConfigureAwait(false);
        return await PublishAsync(record, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Renews every certificate that is due, one domain after the other, each on its own (a
    /// failure is recorded and the next domain goes on); the others are checked to be the ones
    /// the proxy serves (and the proxy given its configuration again when not); the expiry
    /// warnings due are recorded.
    /// </summary>
    public async Task<IReadOnlyList<CertificateRecord>> RenewDueAsync(CancellationToken ct = default)
    {
        var done = new List<CertificateRecord>();
        foreach (var domain in (await domains.ListAsync(null, ct).ConfigureAwait(false)).Where(d => d.Instance is not null))
        {
            var record = await EnsureAsync(domain.Name, ct: ct).ConfigureAwait(false);
            if (record.Serial is not null && record.ServedSerial != record.Serial && record.LastAttempt != time.GetUtcNow())
            {
                record = await PublishAsync(record, ct).ConfigureAwait(false);
            }

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

    /// <summary>The certificate of a domain no app uses any more: its record goes (its files once the proxy no longer names them: <see cref="DeleteUnusedFilesAsync"/>).</summary>
    public Task ForgetAsync(string domain, CancellationToken ct = default) => certificates.RemoveAsync(domain, ct);

    /// <summary>
    /// Deletes the certificate files no record names (older certificates, domains forgotten). To
    /// be called once the proxy was given a configuration without them.
    /// </summary>
    public async Task DeleteUnusedFilesAsync(CancellationToken ct = default)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return;
        }

        foreach (var folder in System.IO.Directory.EnumerateDirectories(Directory).ToList())
        {
            // Under the domain's lock, read afresh: an issuance in progress (here or in another
            // process) writes its files before it records them; its folder is left for later.
            var domain = Path.GetFileName(folder);
            try
            {
                await locks.RunAsync(LockPrefix + domain, LockWait.Fail, async () =>
                {
                    var record = await certificates.FindAsync(domain, ct).ConfigureAwait(false);
                    foreach (var file in System.IO.Directory.EnumerateFiles(folder).Where(f => f != record?.ChainFile && f != record?.KeyFile).ToList())
                    {
                        File.Delete(file);
                    }

                    if (!System.IO.Directory.EnumerateFileSystemEntries(folder).Any())
                    {
                        System.IO.Directory.Delete(folder);
                    }
                }, ct).ConfigureAwait(false);
            }
            catch (InstanceBusyException)
            {
            }
        }
    }

    /// <summary>The proxy given the configuration with this certificate, then the served serial compared and the older files deleted.</summary>
    private async Task<CertificateRecord> PublishAsync(CertificateRecord record, CancellationToken ct)
    {
        try
        {
            await edge.SyncAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            record = record with { LastError = CoreText.Format("CertificateNotServed", record.Domain, record.Serial, "-") + " " + e.Message };
            await certificates.SaveAsync(record, ct).ConfigureAwait(false);
            return record;
        }

        record = await VerifyServedAsync(record, ct).ConfigureAwait(false);
        await DeleteUnusedFilesAsync(ct).ConfigureAwait(false);
        return record;
    }

    private static bool FilesPresent(CertificateRecord record) => record.FilesUsable(out _);


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
            // Never longer than a week, and never past three days before the certificate expires.
            var latest = now + TimeSpan.FromDays(7);
            if (record.NotAfter is { } expiry && expiry - TimeSpan.FromDays(3) < latest)
            {
                latest = expiry - TimeSpan.FromDays(3);
            }

            failed = failed with { NextAttempt = later < latest ? later : (latest > failed.NextAttempt ? latest : failed.NextAttempt) };
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
