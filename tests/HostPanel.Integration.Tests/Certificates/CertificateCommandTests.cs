using System.Text.Json;
using HostPanel.Integration.Tests.Apps;
using HostPanel.Integration.Tests.Cli;
using HostPanel.Integration.Tests.TestWorld;

namespace HostPanel.Integration.Tests.Certificates;

/// <summary>`hostpanel cert …` and `hostpanel proxy show` as typed, with the world's proxy and CA.</summary>
[Collection(WorldEdgeCollection.Name)]
public sealed class CertificateCommandTests : IAsyncDisposable
{
    private readonly Scratch _scratch = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["HOSTPANEL_PROXYADMINSOCKET"] = WorldEdge.AdminSocket,
        ["HOSTPANEL_ACMEDIRECTORY"] = World.AcmeDirectory,
        ["HOSTPANEL_ACMETRUSTEDROOTS"] = World.Require("HOSTPANEL_TEST_ACME_TLS_CA_FILE"),
    };

    public ValueTask DisposeAsync() => _scratch.DisposeAsync();

    private Task<HostPanelProcess.Run> HostPanelAsync(params string[] args) => HostPanelProcess.RunAsync(_scratch.DataDirectory, 1, Settings, Ct, args);

    [Fact]
    public async Task CertificatesAreListedRenewedOnDemandAndTheProxyConfigurationShown()
    {
        var name = _scratch.Name("cli");
        var domain = $"{name}.example.org";
        var install = await HostPanelAsync("app", "install", "hello", "--name", name, "--domain", domain);
        Assert.True(install.Code == 0, install.ToString());

        var list = await HostPanelAsync("cert", "list", "--json");
        Assert.True(list.Code == 0, list.ToString());
        using (var doc = JsonDocument.Parse(list.Stdout))
        {
            var row = Assert.Single(doc.RootElement.EnumerateArray());
            Assert.Equal(domain, row.GetProperty("domain").GetString());
            Assert.Contains("Pebble", row.GetProperty("issuer").GetString(), StringComparison.Ordinal);
            Assert.True(row.GetProperty("notAfter").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(30));
            Assert.True(row.GetProperty("nextRenewal").GetDateTimeOffset() < row.GetProperty("notAfter").GetDateTimeOffset());
            Assert.Equal(JsonValueKind.Null, row.GetProperty("lastError").ValueKind);
        }

        var before = await WorldEdge.ServedSerialAsync(domain, Ct);
        var renew = await HostPanelAsync("cert", "renew", domain);
        Assert.True(renew.Code == 0, renew.ToString());
        var after = await WorldEdge.ServedSerialAsync(domain, Ct);
        Assert.NotEqual(before, after);
        Assert.Contains(after, renew.Stdout, StringComparison.Ordinal);

        var show = await HostPanelAsync("proxy", "show");
        Assert.True(show.Code == 0, show.ToString());
        using (var config = JsonDocument.Parse(show.Stdout))
        {
            Assert.Contains(domain, show.Stdout, StringComparison.Ordinal);
            Assert.Contains("load_files", show.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("PRIVATE KEY", show.Stdout, StringComparison.Ordinal);
        }

        var unknown = await HostPanelAsync("cert", "renew", "nothing-here.example.org");
        Assert.True(unknown.Code == 1, unknown.ToString());
        Assert.Contains("nothing-here.example.org", unknown.Stderr, StringComparison.Ordinal);
    }
}
