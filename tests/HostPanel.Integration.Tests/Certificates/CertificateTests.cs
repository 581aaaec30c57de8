using System.Net;
using System.Net.Http.Json;
using HostPanel.Core.Apps;
using HostPanel.Core.Certificates;
using HostPanel.Core.Edge;
using HostPanel.Core.Operations;
using HostPanel.Integration.Tests.Apps;
using HostPanel.Integration.Tests.TestWorld;
using Microsoft.Extensions.Time.Testing;

namespace HostPanel.Integration.Tests.Certificates;

/// <summary>
/// Certificates from the world's Pebble, validated over HTTP-01 through the world's Caddy, which
/// HostPanel configures; apps reached over HTTPS through it.
/// </summary>
[Collection(WorldEdgeCollection.Name)]
public sealed class CertificateTests : IAsyncDisposable
{
    private readonly Scratch _scratch = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _scratch.DisposeAsync();

    private static async Task<string> InstallAsync(Lifecycle life, string name, string domain)
    {
        var install = await life.Apps.InstallAsync(new InstallRequest("hello", Callers.Root) { Name = name, Domain = domain }, Ct);
        Assert.True(install.State == OperationState.Succeeded, $"{install.State}: {install.Outcome} {install.Detail}");
        return domain;
    }

    [Fact]
    public async Task AnInstalledAppIsServedOverHttpsWithAPebbleCertificateAndLeavesNothingWhenRemoved()
    {
        await using var life = await WorldEdge.StartAsync(_scratch.DataDirectory, Ct);
        var name = _scratch.Name("cert");
        var domain = await InstallAsync(life, name, $"{name}.example.org");

        var record = await life.Get<ICertificateStore>().FindAsync(domain, Ct);
        Assert.NotNull(record);
        Assert.Null(record.LastError);
        Assert.Contains("Pebble", record.Issuer, StringComparison.Ordinal);
        Assert.Equal(record.Serial, record.ServedSerial);
        Assert.Equal(record.Serial, await WorldEdge.ServedSerialAsync(domain, Ct));

        // As a person would check it, with curl and openssl inside the world.
        var curl = await WorldEdge.RunAsync("curl", Ct, "-sS", "--max-time", "20", "--cacert", World.IssuerRoot, "--resolve", $"{domain}:443:127.0.0.1", $"https://{domain}/");
        Assert.True(curl.Code == 0, curl.Stderr);
        Assert.Contains("HostPanel test web", curl.Stdout, StringComparison.Ordinal);
        var openssl = await WorldEdge.RunAsync("openssl", Ct, "s_client", "-connect", "127.0.0.1:443", "-servername", domain, "-showcerts");
        Assert.Matches(@"issuer=.*Pebble", openssl.Stdout);
        var redirect = await WorldEdge.RunAsync("curl", Ct, "-sS", "--max-time", "20", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "--resolve", $"{domain}:80:127.0.0.1", $"http://{domain}/read?x=1");
        Assert.Equal($"308 https://{domain}/read?x=1", redirect.Stdout);

        // HSTS on the HTTPS answers.
        using var https = WorldEdge.Https();
        using var page = await https.GetAsync($"https://{domain}/", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("max-age=", page.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);

        var remove = await life.Apps.RemoveAsync(name, Callers.Root, purge: true, confirmed: true, Ct);
        Assert.Equal(OperationState.Succeeded, remove.State);
        var running = await life.Get<IEdgeProxy>().ReadRunningConfigurationAsync(Ct);
        Assert.DoesNotContain(domain, running, StringComparison.Ordinal);
        Assert.Null(await life.Get<ICertificateStore>().FindAsync(domain, Ct));
        Assert.False(Directory.Exists(Path.Combine(life.Get<CertificateService>().Directory, domain)), "the certificate's files are deleted");
        var gone = await WorldEdge.RunAsync("curl", Ct, "-sS", "-k", "--max-time", "10", "--resolve", $"{domain}:443:127.0.0.1", $"https://{domain}/");
        Assert.NotEqual(0, gone.Code);
    }

    [Fact]
    public async Task AMovedAppIsServedAtItsNewAddressWithItsOwnCertificateAndTheOldOneGoes()
    {
        await using var life = await WorldEdge.StartAsync(_scratch.DataDirectory, Ct);
        var name = _scratch.Name("move");
        var old = await InstallAsync(life, name, $"{name}.example.org");
        var oldFolder = Path.Combine(life.Get<CertificateService>().Directory, old);
        Assert.True(Directory.Exists(oldFolder));

        var move = await life.Apps.ChangeDomainAsync(name, $"new-{name}.example.org", Callers.Root, Ct);
        Assert.True(move.State == OperationState.Succeeded, $"{move.State}: {move.Outcome} {move.Detail}");

        var domain = $"new-{name}.example.org";
        var record = (await life.Get<ICertificateStore>().FindAsync(domain, Ct))!;
        Assert.Null(record.LastError);
        Assert.Equal(record.Serial, await WorldEdge.ServedSerialAsync(domain, Ct));
        using var https = WorldEdge.Https();
        Assert.Contains("HostPanel test web", await https.GetStringAsync($"https://{domain}/", Ct), StringComparison.Ordinal);

        Assert.Null(await life.Get<ICertificateStore>().FindAsync(old, Ct));
        Assert.False(Directory.Exists(oldFolder));
        Assert.DoesNotContain($"\"{old}\"", await life.Get<IEdgeProxy>().ReadRunningConfigurationAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADamagedCertificateNeverKeepsTheOtherAppsFromBeingServedAndIsIssuedAgain()
    {
        await using var life = await WorldEdge.StartAsync(_scratch.DataDirectory, Ct);
        var brokenApp = _scratch.Name("broken");
        var healthyApp = _scratch.Name("fine");
        var broken = await InstallAsync(life, brokenApp, $"{brokenApp}.example.org");
        var healthy = await InstallAsync(life, healthyApp, $"{healthyApp}.example.org");
        var store = life.Get<ICertificateStore>();
        var damaged = (await store.FindAsync(broken, Ct))!;
        var other = (await store.FindAsync(healthy, Ct))!;
        await File.WriteAllTextAsync(damaged.KeyFile!, "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n", Ct);

        // The damaged pair is left out on its own; the other app keeps its certificate.
        var problems = await life.Get<EdgeSync>().SyncAsync(Ct);
        Assert.Contains(problems, p => p.Contains(broken, StringComparison.Ordinal));
        Assert.Equal(other.Serial, await WorldEdge.ServedSerialAsync(healthy, Ct));

        // The next round sees the damage and issues it again.
        var round = await life.Get<CertificateService>().RenewDueAsync(Ct);
        var repaired = Assert.Single(round, r => r.Domain == broken);
        Assert.Null(repaired.LastError);
        Assert.NotEqual(damaged.Serial, repaired.Serial);
        Assert.Equal(repaired.Serial, await WorldEdge.ServedSerialAsync(broken, Ct));
        Assert.Equal(other.Serial, Assert.Single(round, r => r.Domain == healthy).Serial);
        Assert.False(File.Exists(damaged.KeyFile), "the damaged files are deleted once replaced");
    }

    [Fact]
    public async Task APanelThatStopsAndStartsAgainNeverInterruptsTheApps()
    {
        var name = _scratch.Name("restart");
        var domain = $"{name}.example.org";
        string serial;
        await using (var life = await WorldEdge.StartAsync(_scratch.DataDirectory, Ct))
        {
            await InstallAsync(life, name, domain);
            serial = (await life.Get<ICertificateStore>().FindAsync(domain, Ct))!.Serial!;
        }

        // The panel is gone: the proxy keeps serving the app with its certificate.
        using var https = WorldEdge.Https();
        Assert.Contains("HostPanel test web", await https.GetStringAsync($"https://{domain}/", Ct), StringComparison.Ordinal);
        Assert.Equal(serial, await WorldEdge.ServedSerialAsync(domain, Ct));

        // It starts again and gives the proxy its configuration while requests go on.
        var statuses = new List<HttpStatusCode>();
        using var stop = new CancellationTokenSource();
        var traffic = Task.Run(async () =>
        {
            for (var i = 0; i < 200 && !stop.IsCancellationRequested; i++)
            {
                using var response = await https.GetAsync($"https://{domain}/", Ct);
                statuses.Add(response.StatusCode);
                await Task.Delay(25, Ct);
            }
        }, Ct);
        await using (var life = await WorldEdge.StartAsync(_scratch.DataDirectory, Ct))
        {
            Assert.Empty(await life.Get<EdgeSync>().SyncAsync(Ct));
            await Task.Delay(500, Ct);
        }

        await stop.CancelAsync();
        await traffic;
        Assert.True(statuses.Count >= 5, $"{statuses.Count} requests");
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(serial, await WorldEdge.ServedSerialAsync(domain, Ct));
    }

    [Fact]
    public async Task RenewalHappensAtItsTimeAndAReloadDropsNoRequest()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var life = await WorldEdge.StartAsync(_scratch.DataDirectory, Ct, clock);
        var name = _scratch.Name("renew");
        var domain = await InstallAsync(life, name, $"{name}.example.org");
        var certificates = life.Get<CertificateService>();
        var first = (await life.Get<ICertificateStore>().FindAsync(domain, Ct))!;
        Assert.NotNull(first.Serial);

        // Pebble has no renewal information: two thirds of the lifetime.
        var lifetime = first.NotAfter!.Value - first.NotBefore!.Value;
        Assert.InRange(first.NextRenewal!.Value - (first.NotBefore.Value + (lifetime * 2 / 3)), TimeSpan.FromSeconds(-2), TimeSpan.FromSeconds(2));

        clock.SetUtcNow(first.NextRenewal.Value - TimeSpan.FromMinutes(1));
        await certificates.RenewDueAsync(Ct);
        Assert.Equal(first.Serial, await WorldEdge.ServedSerialAsync(domain, Ct));

        // Requests go on during the renewal and its reload; a slow one is in flight across it.
        using var https = WorldEdge.Https();
        using var stop = new CancellationTokenSource();
        var slow = https.GetAsync($"https://{domain}/slow?4", Ct);
        var statuses = new List<HttpStatusCode>();
        var traffic = Task.Run(async () =>
        {
            for (var i = 0; i < 400 && !stop.IsCancellationRequested; i++)
            {
                using var response = await https.GetAsync($"https://{domain}/", Ct);
                statuses.Add(response.StatusCode);
                await Task.Delay(50, Ct);
            }
        }, Ct);
        await Task.Delay(500, Ct);
        clock.SetUtcNow(first.NextRenewal.Value + TimeSpan.FromMinutes(1));
        var renewed = Assert.Single(await certificates.RenewDueAsync(Ct));
        using var slowResponse = await slow;
        await stop.CancelAsync();
        await traffic;

        Assert.NotEqual(first.Serial, renewed.Serial);
        Assert.Null(renewed.LastError);
        Assert.Equal(renewed.Serial, renewed.ServedSerial);
        Assert.Equal(renewed.Serial, await WorldEdge.ServedSerialAsync(domain, Ct));
        Assert.Equal(HttpStatusCode.OK, slowResponse.StatusCode);
        Assert.Contains("answered after 4 s", await slowResponse.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.True(statuses.Count >= 5, $"{statuses.Count} requests during the renewal");
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task AFailingDomainKeepsItsCertificateAndErrorWhileOthersRenew()
    {
        // 192.0.2.9 counts as this server for HostPanel's own check, but nothing answers there:
        // Pebble's validation of a name pointing to it fails.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var life = await WorldEdge.StartAsync(_scratch.DataDirectory, Ct, clock, publicAddresses: "127.0.0.1,192.0.2.9");
        var failing = _scratch.Name("fail");
        var healthy = _scratch.Name("ok");
        var failingDomain = await InstallAsync(life, failing, $"{failing}.example.org");
        var healthyDomain = await InstallAsync(life, healthy, $"{healthy}.example.org");
        var store = life.Get<ICertificateStore>();
        var before = (await store.FindAsync(failingDomain, Ct))!;
        var otherBefore = (await store.FindAsync(healthyDomain, Ct))!;

        using var dns = new HttpClient { BaseAddress = new Uri(World.DnsManagement), Timeout = TimeSpan.FromSeconds(10) };
        (await dns.PostAsJsonAsync("/add-a", new { host = failingDomain + ".", addresses = new[] { "192.0.2.9" } }, Ct)).EnsureSuccessStatusCode();
        try
        {
            clock.SetUtcNow(new[] { before.NextRenewal!.Value, otherBefore.NextRenewal!.Value }.Max() + TimeSpan.FromMinutes(1));
            var results = await life.Get<CertificateService>().RenewDueAsync(Ct);

            var failed = Assert.Single(results, r => r.Domain == failingDomain);
            Assert.True(before.Serial == failed.Serial, $"The failing domain's certificate changed.\nBefore: {before}\nAfter: {failed}");
            Assert.NotNull(failed.LastError);
            Assert.Contains(failingDomain, failed.LastError, StringComparison.Ordinal);
            Assert.Equal(1, failed.Failures);
            Assert.Equal(clock.GetUtcNow() + TimeSpan.FromHours(1), failed.NextAttempt);
            Assert.Equal(before.Serial, await WorldEdge.ServedSerialAsync(failingDomain, Ct));

            var renewed = Assert.Single(results, r => r.Domain == healthyDomain);
            Assert.NotEqual(otherBefore.Serial, renewed.Serial);
            Assert.Null(renewed.LastError);
            Assert.Equal(renewed.Serial, await WorldEdge.ServedSerialAsync(healthyDomain, Ct));

            // Within the backoff, no new attempt.
            clock.Advance(TimeSpan.FromMinutes(30));
            var again = Assert.Single(await life.Get<CertificateService>().RenewDueAsync(Ct), r => r.Domain == failingDomain);
            Assert.Equal(1, again.Failures);

            // Still failing six days before expiry: the 7-day warning is recorded (once).
            clock.SetUtcNow(before.NotAfter!.Value - TimeSpan.FromDays(6));
            var warned = Assert.Single(await life.Get<CertificateService>().RenewDueAsync(Ct), r => r.Domain == failingDomain);
            Assert.Equal(2, warned.Failures);
            Assert.Equal(7, warned.WarnedDays);
            Assert.Equal(before.Serial, await WorldEdge.ServedSerialAsync(failingDomain, Ct));
        }
        finally
        {
            (await dns.PostAsJsonAsync("/clear-a", new { host = failingDomain + "." }, Ct)).EnsureSuccessStatusCode();
        }
    }
}
