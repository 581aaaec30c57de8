using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace HostPanel.EndToEnd.Tests;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium, never a downloaded browser), headless, driven by
/// Playwright, speaking French like the panel's volunteers. Names of the test world resolve to
/// 127.0.0.1, and the world's CA (Pebble) is trusted by its key, so an app's HTTPS address opens
/// as it would for a visitor. Screenshots go to docs/screenshots, where the README shows them.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowserContext _context;
    private readonly string _profile;

    private Chromium(IPlaywright playwright, IBrowserContext context, string profile, IPage page)
    {
        _playwright = playwright;
        _context = context;
        _profile = profile;
        Page = page;
    }

    public IPage Page { get; }

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _traffic = new();

    private void Note(string line)
    {
        _traffic.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
        while (_traffic.Count > 200 && _traffic.TryDequeue(out _))
        {
        }
    }

    public static string ScreenshotDirectory => Path.Combine(RepositoryPaths.Root, "docs", "screenshots");

    public static async Task<Chromium> StartAsync(Uri panel)
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: scripts/test.sh installs Debian's chromium package.");
        var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateTempSubdirectory("hp-e2e-chromium-").FullName;
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Locale = "fr-FR",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            BaseURL = panel.ToString(),
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                // The world's DNS answers 127.0.0.1 for every name; the browser is told the same.
                "--host-resolver-rules=MAP *.example.org 127.0.0.1",
                "--ignore-certificate-errors-spki-list=" + PebbleRootKeyHash(),
            ],
        });
        context.SetDefaultTimeout(30_000);
        var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
        // What the browser saw, for the test's output when a step fails.
        var browser = new Chromium(playwright, context, profile, page);
        page.Response += (_, response) => browser.Note($"{response.Status} {response.Request.Method} {response.Url}");
        page.RequestFailed += (_, request) => browser.Note($"failed {request.Method} {request.Url}: {request.Failure}");
        return browser;
    }

    /// <summary>The base64 SHA-256 of the world's issuing root public key, as Chromium's SPKI list wants it.</summary>
    private static string PebbleRootKeyHash()
    {
        using var root = X509Certificate2.CreateFromPem(File.ReadAllText(WorldSettings.IssuerRoot));
        return Convert.ToBase64String(SHA256.HashData(root.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>Saves a screenshot of the whole page as docs/screenshots/NAME.png.</summary>
    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    /// <summary>Runs axe on the page and fails on any serious or critical violation, naming each.</summary>
    public async Task AssertAccessibleAsync(string pageName)
    {
        var result = await Page.RunAxe();
        var grave = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(grave.Count == 0, $"{pageName}: " + string.Join("; ", grave.Select(Describe)));
    }

    private static string Describe(AxeResultItem violation) =>
        $"{violation.Id} ({violation.Impact}): {violation.Help} at {string.Join(", ", violation.Nodes.Select(n => n.Target?.ToString()))}";

    public async ValueTask DisposeAsync()
    {
        // The test's output keeps the last requests, for whoever reads a failure.
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(Environment.NewLine, _traffic));
        await _context.DisposeAsync();
        _playwright.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a lock file for a moment.
        }
    }
}
