using System.Runtime.Versioning;
using System.Text.Json;
using HostPanel.Core.Accounts;
using HostPanel.Web.Accounts;

namespace HostPanel.Web.Tests.Functional;

/// <summary>
/// The passkey script (wwwroot/js/passkeys.js) in a real browser: headless Chromium with a virtual
/// authenticator (the DevTools protocol's WebAuthn domain) registers a passkey on the passkeys page
/// and signs in with it on the sign-in page, through the buttons a person clicks. Fails where the
/// machine has no Chromium (scripts/test.sh installs it).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class PasskeysInABrowserTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Where to keep screenshots of the pages, when HOSTPANEL_SCREENSHOTS names a folder.</summary>
    private static async Task KeepScreenshotAsync(HeadlessChromium browser, string name)
    {
        if (Environment.GetEnvironmentVariable("HOSTPANEL_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await File.WriteAllBytesAsync(Path.Combine(folder, name + ".png"), await browser.ScreenshotAsync(Ct), Ct);
        }
    }

    private static string Js(string text) => JsonSerializer.Serialize(text);

    /// <summary>
    /// The panel's own static files (the script among them), from the source tree: the tests run
    /// the panel from their build output, which has the assets' manifest but not the files.
    /// </summary>
    private static string WebRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "HostPanel.sln")))
        {
            folder = folder.Parent;
        }

        Assert.NotNull(folder);
        return Path.Combine(folder.FullName, "src", "HostPanel.Web", "wwwroot");
    }

    [Fact]
    public async Task TheScriptRegistersAPasskeyAndSignsInWithIt()
    {
        await using var browser = await HeadlessChromium.StartAsync(Ct);
        // scripts/test.sh installs Debian's chromium: its absence is a broken test machine, not a reason to skip.
        Assert.True(browser is not null, "No Chromium on this machine (/usr/bin/chromium): install Debian's chromium package, as scripts/test.sh does.");
        await using var panel = await RunningPanel.StartAsync(Ct, "--AccountFormsPerMinute", "1000", "--webroot", WebRoot());
        using var bob = await AccountClient.CreateAsync(panel, "bob@example.org");

        // WebAuthn takes "localhost" as relying party (an IP address is none), and the panel listens on 127.0.0.1.
        var site = $"http://localhost:{panel.Address.Port}";
        // The source tree has the files but not their compressed copies: the browser asks for none.
        await browser.SendAsync("Network.enable", null, Ct);
        await browser.SendAsync("Network.setExtraHTTPHeaders", new { headers = new Dictionary<string, string> { ["Accept-Encoding"] = "identity" } }, Ct);
        await browser.SendAsync("WebAuthn.enable", new { enableUI = false }, Ct);
        await browser.SendAsync("WebAuthn.addVirtualAuthenticator", new
        {
            options = new
            {
                protocol = "ctap2",
                transport = "internal",
                hasResidentKey = true,
                hasUserVerification = true,
                isUserVerified = true,
                automaticPresenceSimulation = true,
            },
        }, Ct);

        // The sign-in page shows its passkey button once the script runs; the password form is the same as ever.
        await browser.NavigateAsync(site + "/signin", Ct);
        await browser.WaitForAsync("document.querySelector('hp-passkey') && !document.querySelector('hp-passkey').hidden", Ct);
        await KeepScreenshotAsync(browser, "signin");
        await browser.EvaluateAsync(
            $"""
            document.getElementById('signin-email').value = {Js(bob.Email)};
            document.getElementById('signin-password').value = {Js(AccountClient.Password)};
            document.getElementById('signin-email').form.requestSubmit();
            """, Ct);
        await browser.WaitForAsync("location.pathname === '/' && document.readyState === 'complete'", Ct);

        await browser.NavigateAsync(site + "/account/confirm?ReturnUrl=%2Faccount%2Fpasskeys", Ct);
        await browser.EvaluateAsync(
            $"""
            document.getElementById('confirm-password').value = {Js(AccountClient.Password)};
            document.getElementById('confirm-password').form.requestSubmit();
            """, Ct);
        await browser.WaitForAsync("location.pathname === '/account/passkeys' && document.querySelector('hp-passkey') && !document.querySelector('hp-passkey').hidden", Ct);
        Assert.True((await browser.EvaluateAsync("document.querySelector('[data-passkey-unsupported]').hidden", Ct))!.GetValue<bool>());

        await browser.EvaluateAsync(
            """
            document.getElementById('passkey-name').value = 'Chromium';
            document.querySelector('hp-passkey button').click();
            """, Ct);
        await browser.WaitForAsync("document.getElementById('passkeys-notice') && document.getElementById('passkeys-list').textContent.includes('Chromium')", Ct);
        await KeepScreenshotAsync(browser, "passkeys");
        Assert.Contains(await bob.EventsAsync(), e => e.Kind == PasskeyEventKinds.PasskeyAdded && e.Detail == "Chromium");

        // Signed out (no cookies left), the passkey alone signs in: one click, no address typed. The
        // page is left first: each authenticated request renews the session cookie, and one still
        // loading could bring it back after the cookies are cleared.
        await browser.NavigateAsync("about:blank", Ct);
        await browser.SendAsync("Network.clearBrowserCookies", null, Ct);
        await browser.NavigateAsync(site + "/signin", Ct);
        await browser.WaitForAsync("document.querySelector('hp-passkey') && !document.querySelector('hp-passkey').hidden", Ct);
        await browser.EvaluateAsync("document.querySelector('hp-passkey button').click()", Ct);
        await browser.WaitForAsync("location.pathname === '/' && document.readyState === 'complete'", Ct);
        Assert.Contains(await bob.EventsAsync(), e => e.Kind == SecurityEventKinds.SignedIn && e.Detail == "passkey");
    }
}
