using System.Text.Json.Nodes;
using HostPanel.Core.Apps.Execution;
using HostPanel.Core.Edge;
using HostPanel.Core.Engine;

namespace HostPanel.Core.Tests.Edge;

/// <summary>The panel's own address at the edge proxy, and in the apps' containers (single sign-on).</summary>
public class PanelSiteTests
{
    private static readonly CaddyOptions Options = new()
    {
        AdminListen = "unix//run/hostpanel/caddy-admin.sock",
        HttpPort = 80,
        HttpsPort = 443,
        StorageDirectory = "/var/lib/hostpanel/caddy",
    };

    [Theory]
    [InlineData("https://panel.velo-lyon.fr", "panel.velo-lyon.fr")]
    [InlineData("https://Panel.Velo-Lyon.fr/", "panel.velo-lyon.fr")]
    [InlineData("http://panel.velo-lyon.fr:8080/", "panel.velo-lyon.fr")]
    [InlineData("https://vélo.example/", "xn--vlo-bma.example")]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("panel.velo-lyon.fr", null)]
    [InlineData("https://192.0.2.10/", null)]
    [InlineData("http://[2001:db8::1]/", null)]
    [InlineData("http://localhost:8080/", null)]
    [InlineData("ftp://panel.velo-lyon.fr/", null)]
    public void ThePanelDomainIsTheAsciiHostOfItsAddress(string? panelUrl, string? expected)
    {
        Assert.Equal(expected, EdgeSync.PanelDomain(panelUrl));
    }

    [Fact]
    public void WithoutACertificateThePanelIsProxiedOverPlainHttp()
    {
        var site = EdgeSync.PanelSite("panel.velo-lyon.fr", "127.0.0.1:8080", null);
        var configuration = new EdgeConfiguration { Sites = [site] };
        Assert.Empty(configuration.Validate());

        var root = JsonNode.Parse(CaddyConfigRenderer.Render(configuration, Options))!;
        var http = Route(root, "http", "panel.velo-lyon.fr", https: false);
        Assert.NotNull(http);
        Assert.Contains("\"127.0.0.1:8080\"", http!.ToJsonString());
        Assert.Null(Route(root, "https", "panel.velo-lyon.fr", https: true));
        Assert.Null(root["apps"]!["tls"]);
    }

    [Fact]
    public void WithACertificateThePanelIsServedOverHttpsLikeAnApp()
    {
        var certificate = new EdgeCertificate("/var/lib/hostpanel/certs/panel.velo-lyon.fr/chain.pem", "/var/lib/hostpanel/certs/panel.velo-lyon.fr/key.pem");
        var site = EdgeSync.PanelSite("panel.velo-lyon.fr", "127.0.0.1:8080", certificate);
        Assert.Equal(EdgeSync.PanelSiteName, site.Instance);
        var route = Assert.Single(site.Routes);
        Assert.Equal("/", route.PathPrefix);
        Assert.True(route.WebSocket, "the panel's live pages keep a WebSocket open");

        var root = JsonNode.Parse(CaddyConfigRenderer.Render(new EdgeConfiguration { Sites = [site] }, Options))!;
        var https = Route(root, "https", "panel.velo-lyon.fr", https: true);
        Assert.NotNull(https);
        Assert.Contains("\"127.0.0.1:8080\"", https!.ToJsonString());
        Assert.Contains("chain.pem", root["apps"]!["tls"]!.ToJsonString());
        Assert.DoesNotContain("\"127.0.0.1:8080\"", Route(root, "http", "panel.velo-lyon.fr", https: false)?.ToJsonString() ?? "");
    }

    [Theory]
    [InlineData("https://panel.velo-lyon.fr/", "panel.velo-lyon.fr:host-gateway")]
    [InlineData("https://vélo.example", "xn--vlo-bma.example:host-gateway")]
    [InlineData(null, null)]
    [InlineData("https://192.0.2.10/", null)]
    public void ContainersReachThePanelByItsNameAtTheHost(string? panelUrl, string? expected)
    {
        var hosts = ContainerSpecBuilder.PanelHosts(panelUrl);
        Assert.Equal(expected is null ? [] : [expected], hosts);
        Assert.Empty(new ContainerSpec { Name = "hp-cloud-web", Image = "nextcloud:31", ExtraHosts = hosts }.Validate());
    }

    [Theory]
    [InlineData("panel.velo-lyon.fr:host-gateway", true)]
    [InlineData("panel:192.0.2.10", true)]
    [InlineData("panel:2001:db8::1", true)]
    [InlineData("panel.velo-lyon.fr", false)]
    [InlineData("pa nel:192.0.2.10", false)]
    [InlineData("panel:somewhere", false)]
    [InlineData(":host-gateway", false)]
    public void HostsEntriesAreNameAndAddress(string entry, bool valid)
    {
        var problems = new ContainerSpec { Name = "hp-cloud-web", Image = "nextcloud:31", ExtraHosts = [entry] }.Validate();
        Assert.Equal(valid, problems.Count == 0);
    }

    private static JsonObject? Route(JsonNode root, string server, string domain, bool https) =>
        root["apps"]!["http"]!["servers"]![server]!["routes"]!.AsArray()
            .Select(r => r!.AsObject())
            .SingleOrDefault(r => (string?)r["@id"] == CaddyConfigRenderer.SiteRouteId(domain, https));
}
