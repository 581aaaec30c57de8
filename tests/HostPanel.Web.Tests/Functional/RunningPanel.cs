using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using HostPanel.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Functional;

/// <summary>
/// The real panel (the same application Program runs) on Kestrel at http://127.0.0.1 on a port
/// the system picks, with a temporary data directory and an engine endpoint where nothing listens.
/// </summary>
public sealed partial class RunningPanel : IAsyncDisposable
{
    private readonly TempDataDirectory _data;

    private RunningPanel(TempDataDirectory data, WebApplication app, Uri address)
    {
        _data = data;
        App = app;
        Address = address;
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public string DataDirectory => _data.Path;

    public string SetupTokenFile => _data.SetupTokenFile;

    public string MissingEngineSocket => Path.Combine(_data.Path, "no-docker.sock");

    /// <summary>Starts the panel; <paramref name="settings"/> are more command-line settings ("--Name", "value", …).</summary>
    public static async Task<RunningPanel> StartAsync(CancellationToken ct, params string[] settings)
    {
        var data = new TempDataDirectory();
        var app = HostPanelWebApplication.Create(
        [
            "--data-dir", data.Path,
            "--urls", "http://127.0.0.1:0",
            // Takes precedence over DOCKER_HOST and HOSTPANEL_DOCKERENDPOINT, whatever the machine has.
            "--DockerEndpoint", "unix://" + Path.Combine(data.Path, "no-docker.sock"),
            "--Logging:LogLevel:Default", "Warning",
            .. settings,
        ]);
        try
        {
            await app.PrepareHostPanelAsync(ct);
            await app.StartAsync(ct);
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
                .Addresses.Single();
            return new RunningPanel(data, app, new Uri(address));
        }
        catch
        {
            await app.DisposeAsync();
            data.Dispose();
            throw;
        }
    }

    /// <summary>A browser-like client: keeps cookies, does not follow redirects, so tests see them.</summary>
    public HttpClient NewClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromSeconds(30),
        };

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    /// <summary>The anti-forgery token a server-rendered form carries.</summary>
    public static string AntiforgeryToken(string html)
    {
        var match = AntiforgeryField().Match(html);
        Assert.True(match.Success, "the page has no anti-forgery field");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>The page as text a person reads (the server encodes accented letters as entities).</summary>
    public static string Text(string html) => WebUtility.HtmlDecode(html);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        _data.Dispose();
    }
}
