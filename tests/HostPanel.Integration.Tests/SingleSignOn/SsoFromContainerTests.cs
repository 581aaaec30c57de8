using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using HostPanel.Core.Apps.Execution;
using HostPanel.Core.Engine;
using HostPanel.Integration.Tests.Docker;
using HostPanel.Web;
using HostPanel.Web.Hosting;
using Microsoft.AspNetCore.Builder;

namespace HostPanel.Integration.Tests.SingleSignOn;

/// <summary>
/// An app's container reaches the panel's single sign-on provider by the panel's own name: the
/// hosts entry HostPanel gives containers sends that name to the host, where the panel answers.
/// </summary>
public sealed class SsoFromContainerTests() : EngineTestScope("sso")
{
    private const string PanelHost = "panel.hostpanel.test";

    [Fact]
    public async Task AContainerFetchesTheDiscoveryDocumentByThePanelsName()
    {
        var data = Directory.CreateTempSubdirectory("hostpanel-sso-");
        OnCleanup(() =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
            return Task.CompletedTask;
        });

        // The panel listens on every address of the test namespace (the containers' gateway
        // among them); its engine endpoint leads nowhere: only its provider is used here.
        var port = FreePort();
        var panelUrl = $"http://{PanelHost}:{port}";
        var app = HostPanelWebApplication.Create(
        [
            "--data-dir", data.FullName,
            "--urls", $"http://0.0.0.0:{port}",
            "--PanelUrl", panelUrl,
            "--DockerEndpoint", "unix://" + Path.Combine(data.FullName, "no-docker.sock"),
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await app.PrepareHostPanelAsync(Ct);
        await app.StartAsync(Ct);
        OnCleanup(async () =>
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        });

        using (var local = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") })
        {
            using var document = JsonDocument.Parse(await local.GetStringAsync("/.well-known/openid-configuration", Ct));
            Assert.Equal(panelUrl + "/", document.RootElement.GetProperty("issuer").GetString());
        }

        // As HostPanel makes an app's containers: the panel's name in the hosts file.
        var hosts = ContainerSpecBuilder.PanelHosts(panelUrl);
        Assert.Equal([$"{PanelHost}:{ContainerSpec.HostGateway}"], hosts);
        // The request is kept open (sleep) until the panel answers: Kestrel drops a request whose
        // client has already closed its side.
        var request = $"(printf 'GET /.well-known/openid-configuration HTTP/1.0\\r\\nHost: {PanelHost}:{port}\\r\\n\\r\\n'; sleep 5) | nc -w 10 {PanelHost} {port}";
        var id = await StartAsync(WebSpec("probe") with { Command = ["sh", "-c", request], ExtraHosts = hosts });
        var exit = await Engine.Containers.WaitAsync(id, TimeSpan.FromSeconds(60), Ct);

        var output = new StringBuilder();
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await foreach (var line in Engine.Containers.LogsAsync(id, tail: -1, follow: false, stop.Token))
            {
                output.AppendLine(line.Text);
            }
        }

        var text = output.ToString();
        Assert.True(exit == 0, $"nc exited with {exit}: {text}");
        Assert.Contains("200 OK", text);
        Assert.Contains($"\"issuer\": \"{panelUrl}/\"", text);
        Assert.Contains($"\"token_endpoint\": \"{panelUrl}/connect/token\"", text);

        var inspected = await RawInspectAsync(id);
        Assert.Equal(hosts, inspected.GetProperty("HostConfig").GetProperty("ExtraHosts").EnumerateArray().Select(e => e.GetString()));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
