using System.Net;
using System.Net.Http.Json;
using HostPanel.Core.Configuration;
using HostPanel.Core.Domains;
using HostPanel.Infrastructure.Domains;
using HostPanel.Integration.Tests.TestWorld;

namespace HostPanel.Integration.Tests.Domains;

/// <summary>DNS lookups and the domain check against the world's DNS server (pebble-challtestsrv).</summary>
public sealed class DnsResolverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DomainChecker Checker() =>
        new(new DnsResolver(new HostPanelOptions { DnsServers = World.Dns }), new ServerAddresses(new HostPanelOptions { PublicAddresses = "127.0.0.1" }));

    [Fact]
    public async Task ANameOfTheWorldPointsHere()
    {
        var name = $"{Guid.NewGuid():N}.example.org";

        var found = await new DnsResolver(new HostPanelOptions { DnsServers = World.Dns }).ResolveAsync(name, Ct);
        var check = await Checker().CheckAsync(DomainName.Parse(name), Ct);

        Assert.Equal([IPAddress.Loopback], found);
        Assert.True(check.PointsHere, check.Explanation);
    }

    [Fact]
    public async Task ANameMovedToAnotherMachineIsSeenAtOnceAndExplained()
    {
        var name = $"{Guid.NewGuid():N}.example.org";
        using var management = new HttpClient { BaseAddress = new Uri(World.DnsManagement), Timeout = TimeSpan.FromSeconds(10) };
        (await management.PostAsJsonAsync("/add-a", new { host = name + ".", addresses = new[] { "192.0.2.7" } }, Ct)).EnsureSuccessStatusCode();
        try
        {
            var check = await Checker().CheckAsync(DomainName.Parse(name), Ct);

            Assert.Equal(DomainReadiness.PointsElsewhere, check.Readiness);
            Assert.Equal([IPAddress.Parse("192.0.2.7")], check.Found);
            Assert.Contains($"A {name} → 127.0.0.1", check.Explanation, StringComparison.Ordinal);
        }
        finally
        {
            (await management.PostAsJsonAsync("/clear-a", new { host = name + "." }, Ct)).EnsureSuccessStatusCode();
        }

        Assert.True((await Checker().CheckAsync(DomainName.Parse(name), Ct)).PointsHere, "no cache: the cleared record is seen at once");
    }

    [Fact]
    public async Task ADnsServerThatDoesNotAnswerIsReportedAsSuch()
    {
        // Nothing listens on this loopback port: the lookup fails, it does not say "no address".
        var resolver = new DnsResolver(new HostPanelOptions { DnsServers = "127.0.0.1:9" });
        var checker = new DomainChecker(resolver, new ServerAddresses(new HostPanelOptions { PublicAddresses = "127.0.0.1" }));

        var check = await checker.CheckAsync(DomainName.Parse("cloud.example.org"), Ct);

        Assert.Equal(DomainReadiness.Unknown, check.Readiness);
    }

    [Fact]
    public async Task BadServerAndAddressSettingsAreNamed()
    {
        Assert.Contains("DnsServers", Assert.Throws<FormatException>(() => new DnsResolver(new HostPanelOptions { DnsServers = "dns.example.org" })).Message, StringComparison.Ordinal);
        Assert.Contains("PublicAddresses", (await Assert.ThrowsAsync<FormatException>(() => new ServerAddresses(new HostPanelOptions { PublicAddresses = "here" }).GetAsync(Ct))).Message, StringComparison.Ordinal);
    }
}
