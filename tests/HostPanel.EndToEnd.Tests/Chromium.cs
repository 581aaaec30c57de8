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

    /// <summary>The panel's address the browser was started with.</summary>
    public Uri Address { get; private init; } = null!;

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _traffic = new();

    private void Note(string line)
    {
        _traffic.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
        while (_traffic.Count > 200 && _traffic.TryDequeue(out _))
        {
        }
    }

    public static string ScreenshotDirectory => Path.Combine(RepositoryPaths.Root, "docs", "screenshots");

    public static Task<Chromium> StartAsync(Uri panel) => StartAsync(panel, []);

    /// <summary>
    /// Starts the browser trusting, beyond its own store, certificates whose chain holds one of
    /// <paramref name="trustedKeys"/> (base64 SHA-256 of a SubjectPublicKeyInfo).
    /// </summary>
    public static async Task<Chromium> StartAsync(Uri panel, IReadOnlyList<string> trustedKeys)
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
                .. trustedKeys.Count > 0 ? new[] { "--ignore-certificate-errors-spki-list=" + string.Join(',', trustedKeys) } : [],
            ],
        });
        context.SetDefaultTimeout(30_000);
        var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
        // What the browser saw, for the test's output when a step fails.
        var browser = new Chromium(playwright, context, profile, page) { Address = panel };
        page.Response += (_, response) => browser.Note($"{response.Status} {response.Request.Method} {response.Url}");
        page.RequestFailed += (_, request) =>
        {
            browser.Note($"failed {request.Method} {request.Url}: {request.Failure}");
            if (request.Failure?.Contains("ERR_NETWORK_CHANGED", StringComparison.Ordinal) == true)
            {
                Interlocked.Increment(ref browser._networkChanges);
            }
        };
        return browser;
    }

    /// <summary>
    /// Connects to the world's proxy for <paramref name="domain"/>, checks the certificate chain
    /// against the world's CA root only (as a visitor's browser checks against its store), and
    /// returns the keys of the certificates the server sent, for <see cref="StartAsync(Uri, IReadOnlyList{string})"/>.
    /// </summary>
    public static async Task<IReadOnlyList<string>> VerifiedServerKeysAsync(string domain, CancellationToken ct)
    {
        using var root = X509Certificate2.CreateFromPem(File.ReadAllText(WorldSettings.IssuerRoot));
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", 443, ct);
        var keys = new List<string>();
        string? problem = null;
        await using var tls = new System.Net.Security.SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
        {
            TargetHost = domain,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                if (certificate is null || (errors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                {
                    problem = $"the certificate does not name {domain} ({errors})";
                    return false;
                }

                using var build = CustomRootChain.Build(root, certificate, chain);
                if (build is null)
                {
                    problem = "the chain does not lead to the world's CA";
                    return false;
                }

                keys.AddRange(build.ChainElements.Select(e => Convert.ToBase64String(SHA256.HashData(e.Certificate.PublicKey.ExportSubjectPublicKeyInfo()))));
                return true;
            },
        }, ct).ConfigureAwait(false);
        Assert.True(problem is null, problem);
        return keys;
    }

    /// <summary>Opens a page of the panel and waits until it answers clicks (its live connection is up).</summary>
    public Task GoAsync(string path) => OpenAsync(() => Page.GotoAsync(path), path);

    /// <summary>Reloads the page shown and waits until it answers clicks.</summary>
    public Task ReloadAsync() => OpenAsync(() => Page.ReloadAsync(), "the reload");

    private async Task OpenAsync(Func<Task> open, string what)
    {
        try
        {
            await open();
        }
        catch (PlaywrightException failure) when (failure.Message.Contains("ERR_NETWORK_CHANGED", StringComparison.Ordinal))
        {
            // The page itself was dropped by a network change next to the browser (see WaitForLiveAsync): asked again once.
            Note($"{what} was dropped by a network change: asked again");
            await open();
        }

        await WaitForLiveAsync();
    }

    /// <summary>
    /// Waits until the page shown answers clicks: before that, what is typed may be lost. When the
    /// browser dropped a download because the machine's network changed (the test engine adds and
    /// removes container interfaces next to it), the page says it is not answering and offers a
    /// reload: that link is followed once, as a person would.
    /// </summary>
    public async Task WaitForLiveAsync()
    {
        var live = Assertions.Expect(Page.Locator("main[data-live=true]"));
        try
        {
            await live.ToHaveCountAsync(1, new() { Timeout = 30_000 });
        }
        catch (PlaywrightException) when (Volatile.Read(ref _networkChanges) > _networkChangesSeen)
        {
            _networkChangesSeen = Volatile.Read(ref _networkChanges);
            Note("the page did not come alive after the network changed: following its reload link");
            await Page.Locator(".hp-not-live a").ClickAsync(new() { Timeout = 10_000 });
            await live.ToHaveCountAsync(1, new() { Timeout = 30_000 });
        }
    }

    private int _networkChanges;
    private int _networkChangesSeen;

    /// <summary>
    /// A few lines on what the page showed: its address, whether it was live, the problems it
    /// stated, the network changes the browser met, and the last requests.
    /// </summary>
    public async Task<string> DescribeAsync()
    {
        var lines = new List<string> { $"The page: {Page.Url}" };
        try
        {
            var live = await Page.Locator("main[data-live=true]").CountAsync() > 0;
            var problems = await Page.Locator(".hp-problem").AllInnerTextsAsync();
            lines.Add($"live: {(live ? "yes" : "no")}; problems shown: {(problems.Count == 0 ? "none" : string.Join(" | ", problems.Select(p => p.ReplaceLineEndings(" "))))}");
        }
        catch (PlaywrightException e)
        {
            lines.Add($"unreadable: {e.Message.Split('\n')[0]}");
        }

        lines.Add($"network changes met: {Volatile.Read(ref _networkChanges)}; last requests: {string.Join(" · ", _traffic.TakeLast(3))}");
        return string.Join(Environment.NewLine, lines);
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
        // While a live page starts, Blazor renders the head again: the scan waits for the title.
        await Page.WaitForFunctionAsync("() => document.title.length > 0", null, new() { Timeout = 10_000 });
        var result = await Page.RunAxe();
        var grave = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(grave.Count == 0, $"{pageName}: " + string.Join("; ", grave.Select(Describe)));
    }

    private static string Describe(AxeResultItem violation) =>
        $"{violation.Id} ({violation.Impact}): {violation.Help} at {string.Join(", ", violation.Nodes.Select(n => n.Target?.ToString()))}";

    public async ValueTask DisposeAsync()
    {
        {
            // What the page showed last, for whoever reads a failure.
            var picture = Path.Combine(Path.GetTempPath(), $"hostpanel-e2e-{DateTime.UtcNow:HHmmss}.png");
            try
            {
                await Page.ScreenshotAsync(new PageScreenshotOptions { Path = picture, FullPage = true });
                TestContext.Current.TestOutputHelper?.WriteLine($"The page when the test ended: {picture} ({Page.Url})");
            }
            catch (PlaywrightException)
            {
                // The browser may be gone already.
            }
        }

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
