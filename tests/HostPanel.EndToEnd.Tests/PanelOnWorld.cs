using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Web;
using HostPanel.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.EndToEnd.Tests;

/// <summary>
/// The real panel (the application Program runs) on the test world: its Docker engine, its
/// registry's images, its Caddy (through the admin socket; ports 80 and 443 of the namespace),
/// Pebble as the ACME CA. It listens on http://127.0.0.1 on a port the system picks, with a
/// fresh data directory and its own copy of a test catalog, which a test moves to a newer one
/// to offer an update. Everything it installed is purged at the end, and the world's proxy gets
/// its first configuration back.
/// </summary>
public sealed class PanelOnWorld : IAsyncLifetime
{
    private WebApplication? _app;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("hp-e2e-data-").FullName;

    public string CatalogDirectory { get; } = Directory.CreateTempSubdirectory("hp-e2e-catalog-").FullName;

    public Uri Address { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public string SetupToken => File.ReadAllText(Path.Combine(DataDirectory, "setup-token")).Trim();

    public async ValueTask InitializeAsync()
    {
        UseCatalog(1);
        _app = HostPanelWebApplication.Create(
        [
            "--data-dir", DataDirectory,
            "--urls", "http://127.0.0.1:0",
            "--DockerEndpoint", WorldSettings.DockerHost,
            "--CatalogDirectory", CatalogDirectory,
            "--UtilityImage", WorldSettings.WebImage,
            "--DnsServers", WorldSettings.Dns,
            "--PublicAddresses", "127.0.0.1",
            "--ProxyAdminSocket", WorldSettings.CaddyAdminSocket,
            "--AcmeDirectory", WorldSettings.AcmeDirectory,
            "--AcmeTrustedRoots", WorldSettings.AcmeTlsCaFile,
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await _app.PrepareHostPanelAsync(TestContext.Current.CancellationToken);
        await _app.StartAsync(TestContext.Current.CancellationToken);
        Address = new Uri(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
    }

    /// <summary>Makes the panel's catalog the test catalog of <paramref name="version"/> (tests/catalog/N).</summary>
    public void UseCatalog(int version)
    {
        var source = RepositoryPaths.TestCatalog(version);
        foreach (var app in Directory.GetDirectories(source))
        {
            var target = Path.Combine(CatalogDirectory, Path.GetFileName(app));
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            CopyDirectory(app, target);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.GetDirectories(from))
        {
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await PurgeAppsAsync();
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        await RestoreProxyAsync();
        SqliteConnection.ClearAllPools();
        foreach (var directory in new[] { DataDirectory, CatalogDirectory })
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is not worth failing the run for.
            }
        }
    }

    /// <summary>Whatever a failed test left installed is purged, as root would with the CLI.</summary>
    private async Task PurgeAppsAsync()
    {
        var root = Caller.Server("e2e-cleanup");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var apps = _app!.Services.GetRequiredService<AppService>();
        foreach (var instance in await _app.Services.GetRequiredService<AccessControl>().AppsAsync(root, null, includeRemoved: true, deadline.Token))
        {
            try
            {
                await apps.RemoveAsync(instance.Name, root, purge: true, confirmed: true, deadline.Token);
            }
            catch (Exception e) when (e is AppRequestException or OperationCanceledException)
            {
                TestContext.Current.SendDiagnosticMessage($"cleanup of {instance.Name}: {e.Message}");
            }
        }
    }

    private static async Task RestoreProxyAsync()
    {
        var initial = Path.Combine(WorldSettings.Directory, "caddy", "initial.json");
        using var admin = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(WorldSettings.CaddyAdminSocket), ct);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        })
        { BaseAddress = new Uri("http://localhost"), Timeout = TimeSpan.FromSeconds(30) };
        using var content = new StringContent(await File.ReadAllTextAsync(initial), System.Text.Encoding.UTF8, "application/json");
        (await admin.PostAsync(new Uri("/load", UriKind.Relative), content)).EnsureSuccessStatusCode();
    }
}
