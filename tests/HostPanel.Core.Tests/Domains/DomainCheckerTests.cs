using System.Net;
using HostPanel.Core.Domains;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Tests.Domains;

public sealed class DomainCheckerTests
{
    private static readonly IPAddress Here4 = IPAddress.Parse("203.0.113.5");
    private static readonly IPAddress Here6 = IPAddress.Parse("2001:db8::5");

    private sealed class Dns(Dictionary<string, IPAddress[]> records, bool down = false) : IDomainResolver
    {
        public List<string> Asked { get; } = [];

        public Task<IReadOnlyList<IPAddress>> ResolveAsync(string asciiName, CancellationToken ct = default)
        {
            Asked.Add(asciiName);
            return down
                ? throw new DomainLookupException("timed out")
                : Task.FromResult<IReadOnlyList<IPAddress>>(records.GetValueOrDefault(asciiName, []));
        }
    }

    private sealed class Server(params IPAddress[] addresses) : IServerAddresses
    {
        public Task<IReadOnlyList<IPAddress>> GetAsync(CancellationToken ct = default) => Task.FromResult<IReadOnlyList<IPAddress>>(addresses);
    }

    [Fact]
    public async Task ANameWhoseAddressesAreAllThisServersPointsHere()
    {
        var dns = new Dns(new() { ["cloud.velo.fr"] = [Here4, Here6] });

        var result = await new DomainChecker(dns, new Server(Here4, Here6)).CheckAsync(DomainName.Parse("Cloud.Velo.fr"), TestContext.Current.CancellationToken);

        Assert.True(result.PointsHere);
        Assert.Equal(["cloud.velo.fr"], dns.Asked);
        Assert.Equal(CoreText.Format("DomainPointsHere", "cloud.velo.fr", "203.0.113.5, 2001:db8::5"), result.Explanation);
    }

    [Fact]
    public async Task ANameWithoutAddressGetsTheRecordsToCreate()
    {
        var result = await new DomainChecker(new Dns([]), new Server(Here4, Here6)).CheckAsync(DomainName.Parse("cloud.velo.fr"), TestContext.Current.CancellationToken);

        Assert.Equal(DomainReadiness.NoAddress, result.Readiness);
        Assert.Equal(CoreText.Format("DomainHasNoAddress", "cloud.velo.fr", "A cloud.velo.fr → 203.0.113.5; AAAA cloud.velo.fr → 2001:db8::5"), result.Explanation);
    }

    [Fact]
    public async Task AnAddressOfAnotherMachineIsNamedEvenBesideOneOfOurs()
    {
        // An old AAAA record left at the registrar breaks validation over IPv6: it must be seen.
        var stale = IPAddress.Parse("2001:db8::99");
        var dns = new Dns(new() { ["cloud.velo.fr"] = [Here4, stale] });

        var result = await new DomainChecker(dns, new Server(Here4)).CheckAsync(DomainName.Parse("cloud.velo.fr"), TestContext.Current.CancellationToken);

        Assert.Equal(DomainReadiness.PointsElsewhere, result.Readiness);
        Assert.Equal(CoreText.Format("DomainPointsElsewhere", "cloud.velo.fr", "2001:db8::99", "A cloud.velo.fr → 203.0.113.5"), result.Explanation);
    }

    [Fact]
    public async Task AnInternationalNameIsLookedUpInPunycodeAndShownWithItsAccents()
    {
        var dns = new Dns([]);

        var result = await new DomainChecker(dns, new Server(Here4)).CheckAsync(DomainName.Parse("vélo.fr"), TestContext.Current.CancellationToken);

        Assert.Equal(["xn--vlo-bma.fr"], dns.Asked);
        Assert.Equal(CoreText.Format("DomainHasNoAddress", "vélo.fr", "A xn--vlo-bma.fr → 203.0.113.5"), result.Explanation);
    }

    [Fact]
    public async Task AWildcardIsCheckedThroughItsParentName()
    {
        var dns = new Dns(new() { ["velo.fr"] = [Here4] });

        var result = await new DomainChecker(dns, new Server(Here4)).CheckAsync(DomainName.Parse("*.velo.fr", allowWildcard: true), TestContext.Current.CancellationToken);

        Assert.True(result.PointsHere);
        Assert.Equal(["velo.fr"], dns.Asked);
    }

    [Fact]
    public async Task ADnsThatDoesNotAnswerIsUnknownNotAbsent()
    {
        var result = await new DomainChecker(new Dns([], down: true), new Server(Here4)).CheckAsync(DomainName.Parse("cloud.velo.fr"), TestContext.Current.CancellationToken);

        Assert.Equal(DomainReadiness.Unknown, result.Readiness);
        Assert.Equal(CoreText.Format("DomainLookupFailed", "cloud.velo.fr", "timed out"), result.Explanation);
    }

    [Fact]
    public async Task WithoutKnownServerAddressesTheRecordSaysWhichAddressToUse()
    {
        var result = await new DomainChecker(new Dns([]), new Server()).CheckAsync(DomainName.Parse("cloud.velo.fr"), TestContext.Current.CancellationToken);

        Assert.Equal(CoreText.Format("DomainHasNoAddress", "cloud.velo.fr", CoreText.Format("DomainRecordUnknownAddress", "cloud.velo.fr")), result.Explanation);
    }
}
