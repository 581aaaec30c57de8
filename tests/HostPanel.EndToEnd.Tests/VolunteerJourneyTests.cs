using Microsoft.Playwright;

namespace HostPanel.EndToEnd.Tests;

/// <summary>
/// What a volunteer does in the panel, in one browser, on the real panel and the real test
/// world, in French: the first administrator's account and two-step sign-in, then the work of
/// every day. Each step leaves a screenshot of its page and passes an accessibility scan.
/// </summary>
public sealed class VolunteerJourneyTests : IClassFixture<PanelOnWorld>
{
    private const string Email = "camille@velo-lyon.example.org";
    private const string Password = "Une selle de vélo bien réglée 42";

    private readonly PanelOnWorld _panel;
    private long _lastCodeStep;

    public VolunteerJourneyTests(PanelOnWorld panel) => _panel = panel;

    [Fact]
    public async Task A_volunteer_sets_up_the_panel_and_signs_in_with_two_step_sign_in()
    {
        await using var browser = await Chromium.StartAsync(_panel.Address);
        var page = browser.Page;

        var key = await FirstRunAsync(browser);
        await page.Locator("form.hp-signout button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/signin**");
        await Assertions.Expect(page.Locator("#signin-email")).ToBeVisibleAsync();

        await SignInAsync(browser, key);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Tableau de bord");
        // The page is live: Blazor's script runs and its styles are served.
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        Assert.Equal("rgb(255, 255, 255)", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.mud-appbar')).color"));
        await browser.ScreenshotAsync("dashboard");
        await browser.AssertAccessibleAsync("dashboard");
    }

    /// <summary>The first administrator, with the setup token the server wrote; two-step sign-in enrolled at once. Returns the authenticator key.</summary>
    private async Task<string> FirstRunAsync(Chromium browser)
    {
        var page = browser.Page;
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/setup**");
        await browser.AssertAccessibleAsync("setup");
        await page.FillAsync("#setup-token", _panel.SetupToken);
        await page.FillAsync("#setup-display-name", "Camille");
        await page.FillAsync("#setup-email", Email);
        await page.FillAsync("#setup-password", Password);
        await page.FillAsync("#setup-password-confirmation", Password);
        await page.Locator("form:has(#setup-token) button[type=submit]").ClickAsync();

        // Administrators enrol two-step sign-in before anything else.
        await page.WaitForURLAsync("**/account/2fa**");
        var key = (await page.Locator("#twofactor-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal);
        await browser.ScreenshotAsync("two-step-sign-in");
        await browser.AssertAccessibleAsync("two-step sign-in enrolment");
        await page.FillAsync("#twofactor-code", await FreshCodeAsync(key));
        await page.Locator("form:has(#twofactor-code) button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#twofactor-recovery-codes")).ToBeVisibleAsync();
        await page.ClickAsync("#twofactor-continue");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Tableau de bord");
        return key;
    }

    private async Task SignInAsync(Chromium browser, string key)
    {
        var page = browser.Page;
        await browser.ScreenshotAsync("sign-in");
        await browser.AssertAccessibleAsync("sign-in");
        await page.FillAsync("#signin-email", Email);
        await page.FillAsync("#signin-password", Password);
        await page.Locator("form:has(#signin-email) button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/signin/2fa**");
        await page.FillAsync("#signin-2fa-code", await FreshCodeAsync(key));
        await page.Locator("form:has(#signin-2fa-code) button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
    }

    /// <summary>A code of a time step not used yet (a code is accepted once): waits for the next step when needed, 31 s at most.</summary>
    private async Task<string> FreshCodeAsync(string key)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(31);
        while (Totp.StepAt(DateTimeOffset.UtcNow) <= _lastCodeStep && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }

        _lastCodeStep = Totp.StepAt(DateTimeOffset.UtcNow);
        return Totp.Code(key, _lastCodeStep);
    }
}
