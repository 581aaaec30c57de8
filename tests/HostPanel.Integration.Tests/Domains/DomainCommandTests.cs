using System.Text.Json;
using HostPanel.Core.Apps;
using HostPanel.Core.Domains;
using HostPanel.Core.Organizations;
using HostPanel.Integration.Tests.Apps;
using HostPanel.Integration.Tests.Cli;

namespace HostPanel.Integration.Tests.Domains;

/// <summary>`hostpanel domain …` as typed, and the walls between organizations.</summary>
public sealed class DomainCommandTests : IAsyncDisposable
{
    private readonly Scratch _scratch = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _scratch.DisposeAsync();

    private Task<HostPanelProcess.Run> HostPanelAsync(params string[] args) => HostPanelProcess.RunAsync(_scratch.DataDirectory, 1, Ct, args);

    [Fact]
    public async Task AddListAndCheckADomain()
    {
        var add = await HostPanelAsync("domain", "add", "Cloud.Vélo-Lyon.example.org");
        Assert.True(add.Code == 0, add.ToString());
        Assert.Contains("cloud.vélo-lyon.example.org", add.Stdout, StringComparison.Ordinal);
        Assert.Contains("points to this server", add.Stdout, StringComparison.Ordinal);

        var wildcard = await HostPanelAsync("domain", "add", "*.velo-lyon.example.org", "--dns-01");
        Assert.True(wildcard.Code == 0, wildcard.ToString());

        var list = await HostPanelAsync("domain", "list", "--json");
        Assert.True(list.Code == 0, list.ToString());
        using var doc = JsonDocument.Parse(list.Stdout);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(["*.velo-lyon.example.org", "cloud.xn--vlo-lyon-b1a.example.org"], rows.Select(r => r.GetProperty("domain").GetString()));
        Assert.Equal(["dns-01", "http-01"], rows.Select(r => r.GetProperty("challenge").GetString()));
        Assert.All(rows, r => Assert.Equal("default", r.GetProperty("org").GetString()));

        var check = await HostPanelAsync("domain", "check", "cloud.vélo-lyon.example.org", "--json");
        Assert.True(check.Code == 0, check.ToString());
        using var checkDoc = JsonDocument.Parse(check.Stdout);
        Assert.True(checkDoc.RootElement.GetProperty("pointsHere").GetBoolean());
        Assert.Equal(["127.0.0.1"], checkDoc.RootElement.GetProperty("found").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("", "Give an address")]
    [InlineData("https://cloud.example.org/", "not a domain name")]
    [InlineData("192.0.2.7", "is an IP address")]
    [InlineData("cloud_1.example.org", "(_)")]
    [InlineData("*.example.org", "wildcard")]
    [InlineData("localhost", "not a full name")]
    [InlineData("cloud.example.invalid", "not a domain name")]
    public async Task BadDomainsAreRefusedWithAPlainMessage(string typed, string expected)
    {
        var run = await HostPanelAsync("domain", "add", typed);

        Assert.True(run.Code == 1, run.ToString());
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        var list = await HostPanelAsync("domain", "list", "--json");
        Assert.Equal("[]", list.Stdout.Trim());
    }

    [Fact]
    public async Task TooLongNamesAreRefused()
    {
        var label = new string('a', 64);
        var longLabel = await HostPanelAsync("domain", "add", $"{label}.example.org");
        Assert.True(longLabel.Code == 1, longLabel.ToString());
        Assert.Contains("longer than 63 characters", longLabel.Stderr, StringComparison.Ordinal);

        var part = new string('b', 63);
        var tooLong = await HostPanelAsync("domain", "add", $"{part}.{part}.{part}.{part}");
        Assert.True(tooLong.Code == 1, tooLong.ToString());
        Assert.Contains("the limit is 253", tooLong.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADomainOfOneOrganizationCanNeitherBeTakenNorSeenByAnother()
    {
        await using var life = await Lifecycle.StartAsync(_scratch.DataDirectory, 1, Ct);
        await life.Organizations.AddAsync(new Organization("atelier", "Atelier vélo", DateTimeOffset.UtcNow), Ct);
        await life.Organizations.AddAsync(new Organization("edition", "Éditions", DateTimeOffset.UtcNow), Ct);
        var domains = life.Get<DomainService>();

        await domains.AddAsync(Callers.Root, "cloud.velo.example.org", "atelier", ct: Ct);
        Assert.Equal("atelier", (await domains.AddAsync(Callers.Root, "cloud.velo.example.org", "atelier", ct: Ct)).OrganizationId);

        var taken = await Assert.ThrowsAsync<AppRequestException>(() => domains.AddAsync(Callers.Root, "CLOUD.velo.example.org.", "edition", ct: Ct));
        Assert.Equal("domain", taken.Field);
        Assert.DoesNotContain("atelier", taken.Message, StringComparison.OrdinalIgnoreCase);
        await Assert.ThrowsAsync<AppRequestException>(() => domains.AttachAsync("cloud.velo.example.org", "files", "edition", Ct));
        Assert.Empty(await domains.ListAsync(Callers.Root, "edition", Ct));
        Assert.Single(await domains.ListAsync(Callers.Root, "atelier", Ct));
    }
}
