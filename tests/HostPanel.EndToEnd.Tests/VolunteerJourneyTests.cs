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

    /// <summary>How long the world may take for one operation (image pulls on a cold cache included).</summary>
    private static readonly TimeSpan OperationTime = TimeSpan.FromMinutes(5);

    private const string Domain = "notes-e2e.example.org";

    [Fact]
    public async Task A_volunteer_runs_an_app_from_install_to_removal_without_a_terminal()
    {
        await using var browser = await Chromium.StartAsync(_panel.Address);
        try
        {
            await JourneyAsync(browser);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            // A failed step's own message is long (Playwright adds the whole page): what the page
            // said comes first, in a few lines, so the end of a test run names the cause.
            throw new Xunit.Sdk.XunitException(await browser.DescribeAsync() + Environment.NewLine + "The step: " + failure.Message, failure);
        }
    }

    private async Task JourneyAsync(Chromium browser)
    {
        var page = browser.Page;

        // 1. The first administrator, two-step sign-in, then signing in again with a code.
        var key = await FirstRunAsync(browser);
        await page.Locator("form.hp-signout button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/signin**");
        await Assertions.Expect(page.Locator("#signin-email")).ToBeVisibleAsync();
        await EmergencyAccessIsOneClickFromTheForgottenPasswordAsync(browser);
        await SignInAsync(browser, key);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Tableau de bord");
        await browser.WaitForLiveAsync();
        // The page is live: Blazor's script runs and its styles are served.
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        Assert.Equal("rgb(255, 255, 255)", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.mud-appbar')).color"));
        await Assertions.Expect(page.Locator("#apps-empty")).ToBeVisibleAsync();
        await browser.AssertAccessibleAsync("empty dashboard");
        await APageThatCannotStartSaysSoAndItsReloadLinkWorksAsync(browser);

        // 2. From the catalog, install notes at an address, following the progress (and reloading on the way).
        var operation = await InstallFromCatalogAsync(browser);
        await FollowToTheEndAsync(browser, operation, "succeeded", reloadWhileRunning: true);

        // 3. Healthy on the dashboard, its certificate issued, its address served over HTTPS.
        await SeeHealthyOnTheDashboardAsync(browser);
        await OpenTheAppAsync();

        // 4. A member invited, a group, and the app kept to that group.
        await InviteAndRestrictAsync(browser);

        // 5. A backup, then version 2, then the broken version 3 rolled back with its reason.
        await browser.GoAsync("/apps/notes");
        await Assertions.Expect(page.Locator("#app-status")).ToBeVisibleAsync();
        await browser.AssertAccessibleAsync("app page");
        await browser.ScreenshotAsync("app");
        await StartAsync(page, "#app-backup-now", "#app-backups-feedback");
        await FollowFeedbackAsync(browser, "#app-backups-feedback", "succeeded");
        // The schedule backs a new app up within the minute too: its backup may follow ours.
        await Task.Delay(2000, TestContext.Current.CancellationToken);
        await WaitUntilIdleAsync(page);
        var backups = await BackupIdsAsync(page);
        Assert.NotEmpty(backups);

        // Proven restorable: asked from the page, or begun by the schedule first (it checks a new
        // backup within the minute) — either way the app ends up proven.
        await WaitUntilIdleAsync(page);
        await page.ClickAsync("#app-drill");
        await WaitUntilIdleAsync(page);
        await Assertions.Expect(page.Locator("#app-last-proven")).ToContainTextAsync("Restauration vérifiée le", new() { Timeout = (float)OperationTime.TotalMilliseconds });

        await UpdateAsync(browser, catalog: 2, expected: "succeeded");
        await Assertions.Expect(page.Locator("#app-version")).ToContainTextAsync("2");
        await UpdateAsync(browser, catalog: 3, expected: "rolledback");
        await Assertions.Expect(page.Locator("#app-last-update")).ToContainTextAsync("3");
        await Assertions.Expect(page.Locator("#app-last-update-reason")).Not.ToBeEmptyAsync();
        await Assertions.Expect(page.Locator("#app-version")).ToContainTextAsync("2");
        await browser.ScreenshotAsync("app-rolled-back");

        // 6. A backup restored, behind a typed confirmation and a fresh proof of identity. In
        //    place, only a backup of the version that runs can be restored (older data would
        //    not match it): the one made before trying version 3. Every backup was kept.
        var kept = await BackupIdsAsync(page);
        Assert.Superset(backups.ToHashSet(), kept.ToHashSet());
        Assert.True(kept.Count >= backups.Count + 2, $"{backups.Count} backups before the two updates, {kept.Count} after: each update's own backup was expected on top");
        var backup = await page.Locator("#app-backup-list tr[data-backup]:has(td:nth-child(2):text-is('2'))").First.GetAttributeAsync("data-backup");
        Assert.False(string.IsNullOrEmpty(backup));
        await RestoreAsync(browser, backup, key);

        // 7. Removed with its data, after typing its name.
        await RemoveAsync(browser, key);

        // 8. The operations page tells the whole story.
        await browser.GoAsync("/operations");
        await Assertions.Expect(page.Locator("#operations-table")).ToBeVisibleAsync();
        foreach (var state in new[] { "succeeded", "rolledback" })
        {
            Assert.True(await page.Locator($"#operations-table [data-state={state}]").CountAsync() > 0, $"no {state} operation listed");
        }

        await browser.AssertAccessibleAsync("operations");
        await browser.ScreenshotAsync("operations");
        await browser.GoAsync("/settings");
        await Assertions.Expect(page.Locator("#settings-page")).ToBeVisibleAsync();
        await browser.AssertAccessibleAsync("settings");
        await browser.ScreenshotAsync("settings");

        // 9. In English: the page and its language attribute follow the choice.
        await page.Locator("#settings-language form.hp-language button[value=en]").ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await browser.WaitForLiveAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Settings");
        await browser.AssertAccessibleAsync("settings in English");
    }

    /// <summary>
    /// Signed out, the forgotten password page leads to the recovery kit's emergency access (for
    /// when nobody can administer any more), which passes the scan too; then back to signing in.
    /// </summary>
    private static async Task EmergencyAccessIsOneClickFromTheForgottenPasswordAsync(Chromium browser)
    {
        var page = browser.Page;
        await page.ClickAsync("#signin-forgot");
        await page.ClickAsync("#forgot-emergency");
        await page.WaitForURLAsync("**/access/emergency");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Accès de secours avec le kit de secours");
        await Assertions.Expect(page.Locator("#emergency-shares")).ToBeVisibleAsync();
        await browser.AssertAccessibleAsync("emergency access");
        await browser.ScreenshotAsync("emergency-access");
        // Pages outside the panel itself never go live: opened as they are.
        await page.GotoAsync("/signin");
        await Assertions.Expect(page.Locator("#signin-email")).ToBeVisibleAsync();
    }

    /// <summary>
    /// A page whose starting script could not be downloaded (here refused by the browser once) never
    /// answers clicks: after a while it says so, and its reload link brings it to life.
    /// </summary>
    private static async Task APageThatCannotStartSaysSoAndItsReloadLinkWorksAsync(Chromium browser)
    {
        var page = browser.Page;
        const string starter = "**/js/start-blazor*.js";
        await page.RouteAsync(starter, route => route.AbortAsync("internetdisconnected"));
        await page.GotoAsync("/");
        var notice = page.Locator(".hp-not-live");
        await Assertions.Expect(notice).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(notice).ToContainTextAsync("Cette page ne répond pas encore");
        await Assertions.Expect(page.Locator("main[data-live=true]")).ToHaveCountAsync(0);

        await page.UnrouteAsync(starter);
        await notice.Locator("a").ClickAsync();
        await browser.WaitForLiveAsync();
        await Assertions.Expect(notice).ToHaveCountAsync(0);
        Assert.Equal(browser.Address, new Uri(page.Url));
        await Assertions.Expect(page.Locator("#apps-empty")).ToBeVisibleAsync();
    }

    private async Task<Guid> InstallFromCatalogAsync(Chromium browser)
    {
        var page = browser.Page;
        await page.ClickAsync("#apps-empty-catalog");
        await page.WaitForURLAsync("**/catalog");
        await Assertions.Expect(page.Locator("#catalog-app-notes")).ToBeVisibleAsync();
        await browser.AssertAccessibleAsync("catalog");
        await browser.ScreenshotAsync("catalog");

        await page.Locator("#catalog-app-notes a[href='/catalog/notes']").First.ClickAsync();
        await Assertions.Expect(page.Locator("#catalog-details")).ToBeVisibleAsync();
        await browser.AssertAccessibleAsync("app details");
        await page.ClickAsync("#catalog-install");

        await Assertions.Expect(page.Locator("#install-form")).ToBeVisibleAsync();
        await page.FillAsync("#install-domain", Domain);
        await browser.AssertAccessibleAsync("install wizard");
        await browser.ScreenshotAsync("install");
        for (var step = 0; step < 4 && !await page.Locator("#install-submit").IsVisibleAsync(); step++)
        {
            var title = await page.Locator("#install-step-title").InnerTextAsync();
            await page.ClickAsync("#install-next");
            await Assertions.Expect(page.Locator("#install-step-title")).Not.ToHaveTextAsync(title);
        }

        await Assertions.Expect(page.Locator("#install-summary")).ToContainTextAsync(Domain);
        await page.ClickAsync("#install-submit");
        await page.WaitForURLAsync("**/operations/*");
        return Guid.Parse(new Uri(page.Url).Segments[^1]);
    }

    /// <summary>Watches an operation's page until it ends in <paramref name="expected"/>; a reload on the way must find it still going.</summary>
    private static async Task FollowToTheEndAsync(Chromium browser, Guid operation, string expected, bool reloadWhileRunning)
    {
        var page = browser.Page;
        var state = page.Locator("#operation-state");
        if (reloadWhileRunning)
        {
            // Live progress: a step runs, then others are done, while the page stays.
            await Assertions.Expect(page.Locator("#operation-steps [data-state=running]").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await browser.ScreenshotAsync("install-progress");
            await browser.AssertAccessibleAsync("operation in progress");
            var before = await page.Locator("#operation-steps [data-state=done]").CountAsync();
            await browser.ReloadAsync();
            Assert.EndsWith(operation.ToString(), page.Url, StringComparison.Ordinal);
            await Assertions.Expect(state).ToHaveAttributeAsync("data-state", new System.Text.RegularExpressions.Regex("^(running|pending|succeeded)$"));
            Assert.True(await page.Locator("#operation-steps [data-state=done]").CountAsync() >= before, "the reloaded page shows fewer steps done than before");
        }

        await Assertions.Expect(state).ToHaveAttributeAsync("data-state", expected, new() { Timeout = (float)OperationTime.TotalMilliseconds });
    }

    private async Task SeeHealthyOnTheDashboardAsync(Chromium browser)
    {
        var page = browser.Page;
        await browser.GoAsync("/");
        var tile = page.Locator("#app-tile-notes");
        await Assertions.Expect(tile).ToHaveAttributeAsync("data-status", "running", new() { Timeout = 60_000 });
        await Assertions.Expect(tile.Locator(".hp-tile-address a")).ToHaveAttributeAsync("href", $"https://{Domain}/");

        // The certificate follows the install; the dashboard shows it once issued (it refreshes on its own).
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(2);
        while (await tile.Locator(".hp-tile-certificate").CountAsync() == 0 && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(2000, TestContext.Current.CancellationToken);
            await browser.ReloadAsync();
        }

        await Assertions.Expect(tile.Locator(".hp-tile-certificate")).ToBeVisibleAsync();
        await browser.AssertAccessibleAsync("dashboard");
        await browser.ScreenshotAsync("dashboard");
    }

    /// <summary>The app's address, opened by a visitor's browser over HTTPS with a certificate the world's CA issued.</summary>
    private async Task OpenTheAppAsync()
    {
        var keys = await Chromium.VerifiedServerKeysAsync(Domain, TestContext.Current.CancellationToken);
        await using var visitor = await Chromium.StartAsync(_panel.Address, keys);
        var response = await visitor.Page.GotoAsync($"https://{Domain}/");
        Assert.NotNull(response);
        Assert.True(response.Ok, $"https://{Domain}/ answered {response.Status}");
        var security = await response.SecurityDetailsAsync();
        Assert.Equal(Domain, security?.SubjectName);
    }

    private static async Task InviteAndRestrictAsync(Chromium browser)
    {
        var page = browser.Page;
        await browser.GoAsync("/people");
        await Assertions.Expect(page.Locator("#people-page")).ToBeVisibleAsync();
        await page.FillAsync("#group-name", "bureau");
        await page.ClickAsync("#group-add-submit");
        await Assertions.Expect(page.Locator("#group-bureau")).ToBeVisibleAsync();

        await page.FillAsync("#invite-email", "dominique@velo-lyon.example.org");
        await page.SelectOptionAsync("#invite-role", "member");
        await page.CheckAsync("#invite-group-bureau");
        await page.ClickAsync("#invite-submit");
        await Assertions.Expect(page.Locator("#invite-link")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/invitation/[A-Za-z0-9_-]+$"));
        await Assertions.Expect(page.Locator("#invitations-list")).ToContainTextAsync("dominique@velo-lyon.example.org");

        await page.CheckAsync("#access-groups-notes");
        await page.CheckAsync("#access-group-notes-bureau");
        await page.ClickAsync("#access-save-notes");
        await Assertions.Expect(page.Locator("#app-access-notes .app-access-current")).ToContainTextAsync("bureau");
        await browser.AssertAccessibleAsync("people");
        await browser.ScreenshotAsync("people");
    }

    /// <summary>
    /// Clicks <paramref name="button"/> until the work begins, as a person does when the page says
    /// another operation runs on the app (the schedule backs up and checks new apps on its own):
    /// waits for it to end and tries again, three times at most.
    /// </summary>
    private static async Task StartAsync(IPage page, string button, string feedback)
    {
        var begun = page.Locator($"{feedback} a[href^='/operations/']");
        var refused = page.Locator($"{feedback} .hp-problem");
        for (var attempt = 1; ; attempt++)
        {
            await page.ClickAsync(button);
            // A click clears the previous answer at once; the new one follows within the second.
            await Task.Delay(1000, TestContext.Current.CancellationToken);
            await Assertions.Expect(begun.Or(refused).First).ToBeVisibleAsync(new() { Timeout = 60_000 });
            if (await begun.IsVisibleAsync())
            {
                return;
            }

            Assert.True(attempt < 3, $"{button} was refused three times, last: {await refused.InnerTextAsync()}");
            await WaitForTheWorkThatHoldsTheAppAsync(page);
        }
    }

    /// <summary>Waits until a feedback block on the app page links to an operation, then follows it on its page and comes back.</summary>
    private static async Task FollowFeedbackAsync(Chromium browser, string feedback, string expected)
    {
        var page = browser.Page;
        var link = page.Locator($"{feedback} a[href^='/operations/']");
        await Assertions.Expect(link).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var href = await link.GetAttributeAsync("href");
        await browser.GoAsync(href!);
        await FollowToTheEndAsync(browser, Guid.Parse(href!["/operations/".Length..]), expected, reloadWhileRunning: false);
        await browser.GoAsync("/apps/notes");
        await Assertions.Expect(page.Locator("#app-status")).ToBeVisibleAsync();
    }

    /// <summary>The backups the app page lists, once it has read them.</summary>
    private static async Task<IReadOnlyList<string>> BackupIdsAsync(IPage page)
    {
        var rows = page.Locator("#app-backup-list tr[data-backup]");
        await Assertions.Expect(rows.First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        return [.. await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.backup)")];
    }

    /// <summary>
    /// After a refusal because other work holds the app (the schedule's backup or proof of restore):
    /// the page shows that work once it hears of it — unless it ended first — then its end is awaited.
    /// </summary>
    private static async Task WaitForTheWorkThatHoldsTheAppAsync(IPage page)
    {
        try
        {
            await Assertions.Expect(page.Locator("#app-running-operation")).Not.ToHaveCountAsync(0, new() { Timeout = 10_000 });
        }
        catch (PlaywrightException)
        {
            // Over before the page showed it.
        }

        await WaitUntilIdleAsync(page);
    }

    /// <summary>Waits until no operation runs on the app (the page follows them live).</summary>
    private static Task WaitUntilIdleAsync(IPage page) =>
        Assertions.Expect(page.Locator("#app-running-operation")).ToHaveCountAsync(0, new() { Timeout = (float)OperationTime.TotalMilliseconds });

    private async Task UpdateAsync(Chromium browser, int catalog, string expected)
    {
        var page = browser.Page;
        _panel.UseCatalog(catalog);
        await browser.GoAsync("/apps/notes");
        await WaitUntilIdleAsync(page);
        await Assertions.Expect(page.Locator("#app-update-available")).ToContainTextAsync(catalog.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await StartAsync(page, "#app-update-submit", "#app-update-feedback");
        await FollowFeedbackAsync(browser, "#app-update-feedback", expected);
    }

    private async Task RestoreAsync(Chromium browser, string backup, string key)
    {
        var page = browser.Page;
        await WaitUntilIdleAsync(page);
        await page.ClickAsync($"#app-restore-{backup}");
        await ConfirmIdentityIfAskedAsync(browser, "#app-restore-confirm", key);
        if (!await page.Locator("#app-restore-confirm").IsVisibleAsync())
        {
            await page.ClickAsync($"#app-restore-{backup}");
        }

        await Assertions.Expect(page.Locator("#app-restore-submit")).ToBeDisabledAsync();
        await page.FillAsync("#app-restore-confirm", "notes");
        await Assertions.Expect(page.Locator("#app-restore-submit")).ToBeEnabledAsync();
        await StartAsync(page, "#app-restore-submit", "#app-restore-feedback");
        await FollowFeedbackAsync(browser, "#app-restore-feedback", "succeeded");
    }

    private async Task RemoveAsync(Chromium browser, string key)
    {
        var page = browser.Page;
        await WaitUntilIdleAsync(page);
        await page.CheckAsync("#app-remove-purge");
        await ConfirmIdentityIfAskedAsync(browser, "#app-remove-confirm", key);
        if (!await page.Locator("#app-remove-confirm").IsVisibleAsync())
        {
            await page.CheckAsync("#app-remove-purge");
        }

        await Assertions.Expect(page.Locator("#app-remove-confirm")).ToBeVisibleAsync();
        await page.FillAsync("#app-remove-confirm", "notes");
        // The schedule may begin its own work on the app (a backup, a proof of restore) at any time:
        // then the removal is refused as busy, and a person waits and asks again.
        var refused = page.Locator("#app-remove-feedback .hp-problem");
        for (var attempt = 1; ; attempt++)
        {
            await WaitUntilIdleAsync(page);
            await page.ClickAsync("#app-remove-submit");
            // A click clears the previous answer at once; the new one follows within the second.
            await Task.Delay(1000, TestContext.Current.CancellationToken);
            await page.WaitForFunctionAsync("() => location.pathname === '/' || document.querySelector('#app-remove-feedback .hp-problem') !== null", null, new() { Timeout = 60_000 });
            if (new Uri(page.Url).AbsolutePath == "/")
            {
                break;
            }

            Assert.True(attempt < 3, $"The removal was refused three times, last: {await refused.InnerTextAsync()}");
            await WaitForTheWorkThatHoldsTheAppAsync(page);
        }

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Assertions.Expect(page.Locator("#app-tile-notes")).ToHaveCountAsync(0, new() { Timeout = (float)OperationTime.TotalMilliseconds });
    }

    /// <summary>When the page asks the person to prove who they are again, does it (password and code) and comes back.</summary>
    private async Task ConfirmIdentityIfAskedAsync(Chromium browser, string field, string key)
    {
        var page = browser.Page;
        var reauth = page.Locator($"{field}-reauth");
        await Assertions.Expect(page.Locator($"{field}, {field}-reauth").First).ToBeVisibleAsync();
        if (!await reauth.IsVisibleAsync())
        {
            return;
        }

        await reauth.ClickAsync();
        await page.WaitForURLAsync("**/account/confirm**");
        await page.FillAsync("#confirm-password", Password);
        if (await page.Locator("#confirm-code").IsVisibleAsync())
        {
            await page.FillAsync("#confirm-code", await FreshCodeAsync(key));
        }

        await page.Locator("form:has(#confirm-password) button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/apps/notes**");
        await browser.WaitForLiveAsync();
        await Assertions.Expect(page.Locator("#app-status")).ToBeVisibleAsync();
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
