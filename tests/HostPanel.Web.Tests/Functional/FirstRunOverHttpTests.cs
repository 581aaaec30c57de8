using System.Net;
using System.Runtime.Versioning;
using HostPanel.Infrastructure.Accounts;
using HostPanel.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Functional;

[SupportedOSPlatform("linux")]
public sealed class FirstRunOverHttpTests
{
    private const string Password = "une phrase assez longue";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<HostPanelUser>> UsersAsync(RunningPanel panel)
    {
        await using var scope = panel.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>().Users.ToListAsync(Ct);
    }

    private static FormUrlEncodedContent SetupForm(string antiforgery, string token, string email = "alice@example.org") =>
        new(new Dictionary<string, string>
        {
            ["_handler"] = "setup",
            ["__RequestVerificationToken"] = antiforgery,
            ["Input.SetupToken"] = token,
            ["Input.DisplayName"] = "Alice Martin",
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
            ["Input.PasswordConfirmation"] = Password,
        });

    [Fact]
    public async Task BlazorStartsOnlyAfterMudBlazorsScriptIsLoaded()
    {
        // Started by its own script after MudBlazor's: a slow download of MudBlazor's script can
        // no longer let the first interactive render run without it.
        await using var panel = await RunningPanel.StartAsync(Ct);
        using var client = panel.NewClient();

        var html = await client.GetStringAsync("/setup", Ct);

        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script src=\"([^\"]+)\"([^>]*)>").Select(m => (Src: m.Groups[1].Value, Attributes: m.Groups[2].Value)).ToList();
        var blazor = scripts.FindIndex(s => s.Src.Contains("_framework/blazor.web", StringComparison.Ordinal));
        var mud = scripts.FindIndex(s => s.Src.Contains("_content/MudBlazor/MudBlazor.min", StringComparison.Ordinal));
        var start = scripts.FindIndex(s => s.Src.Contains("js/start-blazor", StringComparison.Ordinal));
        Assert.True(blazor >= 0 && blazor < mud && mud < start, string.Join(", ", scripts.Select(s => s.Src)));
        Assert.Contains("autostart=\"false\"", scripts[blazor].Attributes, StringComparison.Ordinal);
        var starter = await client.GetStringAsync(scripts[start].Src, Ct);
        Assert.Contains("Blazor.start()", starter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInteractivePageSaysSoIfItNeverAnswersAndOffersAPlainReload()
    {
        // Sent with the server-rendered copy of an interactive page (CSS shows it after a delay, the
        // interactive render removes it); never with the plain forms, which need no connection.
        await using var panel = await RunningPanel.StartAsync(Ct, "--RequireTwoFactorForAdministrators", "false");
        using var client = panel.NewClient();
        var setup = await client.GetStringAsync("/setup", Ct);
        Assert.DoesNotContain("hp-not-live", setup, StringComparison.Ordinal);
        var token = (await File.ReadAllTextAsync(panel.SetupTokenFile, Ct)).Trim();
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync("/setup", SetupForm(RunningPanel.AntiforgeryToken(setup), token), Ct)).StatusCode);

        var page = await client.GetStringAsync("/operations?kind=install", Ct);
        var notice = System.Text.RegularExpressions.Regex.Match(page, "<p class=\"hp-not-live\"[^>]*>(.*?)</p>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(notice.Success, "the notice is missing from the interactive page");
        Assert.Contains("Cette page ne répond pas encore", RunningPanel.Text(notice.Groups[1].Value), StringComparison.Ordinal);
        Assert.Contains("<a href=\"/operations?kind=install\">Recharger la page</a>", notice.Groups[1].Value, StringComparison.Ordinal);
        var css = await client.GetStringAsync(System.Text.RegularExpressions.Regex.Match(page, "href=\"(/?app[^\"]*\\.css)\"").Groups[1].Value, Ct);
        Assert.Matches(@"\.hp-not-live \{[^}]*visibility: hidden;", css);
        Assert.Matches(@"\.hp-not-live \{[^}]*animation: hp-not-live-appears 0s linear 10s forwards;", css);
    }

    [Fact]
    public async Task TheFirstAdministratorIsCreatedThroughTheSetupFormOnly()
    {
        // The first run and plain sign-in; two-step sign-in for administrators is tested in SignInSecurityOverHttpTests.
        await using var panel = await RunningPanel.StartAsync(Ct, "--RequireTwoFactorForAdministrators", "false");
        using var client = panel.NewClient();

        var health = await client.GetAsync("/healthz", Ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", await health.Content.ReadAsStringAsync(Ct));

        // Before the first run every page leads to the first-run page.
        foreach (var page in new[] { "/", "/signin" })
        {
            var early = await client.GetAsync(page, Ct);
            Assert.Equal(HttpStatusCode.Redirect, early.StatusCode);
            Assert.Equal("/setup", early.Headers.Location?.OriginalString);
        }

        Assert.True(File.Exists(panel.SetupTokenFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(panel.SetupTokenFile));
        var token = (await File.ReadAllTextAsync(panel.SetupTokenFile, Ct)).Trim();

        var form = await client.GetStringAsync("/setup", Ct);
        Assert.Contains("<html lang=\"fr\">", form);
        Assert.Contains("Bienvenue dans HostPanel", RunningPanel.Text(form));
        var antiforgery = RunningPanel.AntiforgeryToken(form);

        // A wrong token: refused, clearly, and nothing created.
        var refused = await client.PostAsync("/setup", SetupForm(antiforgery, "pas-le-bon-" + token[..4]), Ct);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var refusedText = RunningPanel.Text(await refused.Content.ReadAsStringAsync(Ct));
        Assert.Contains("Ce code de mise en route n'est pas le bon. Aucun compte n'a été créé.", refusedText);
        Assert.DoesNotContain(token, refusedText);
        Assert.Empty(await UsersAsync(panel));
        Assert.True(File.Exists(panel.SetupTokenFile));

        // Without the anti-forgery token the form is not even considered.
        var forged = await panel.NewClient().PostAsync("/setup", SetupForm("forged", token), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Empty(await UsersAsync(panel));

        // The right token: the administrator exists, is signed in, and the token is gone.
        var accepted = await client.PostAsync("/setup", SetupForm(antiforgery, token), Ct);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal("/", accepted.Headers.Location?.AbsolutePath ?? accepted.Headers.Location?.OriginalString);
        var user = Assert.Single(await UsersAsync(panel));
        Assert.Equal("alice@example.org", user.Email);
        await using (var scope = panel.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>();
            Assert.True(await users.IsInRoleAsync(user, HostPanelRoles.HosterAdministrator));
        }

        Assert.False(File.Exists(panel.SetupTokenFile));

        // From now on the first-run page is out of reach.
        var after = await client.GetAsync("/setup", Ct);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/", after.Headers.Location?.OriginalString);
        var replay = await client.PostAsync("/setup", SetupForm(antiforgery, token, "mallory@example.org"), Ct);
        Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
        Assert.Single(await UsersAsync(panel));

        // The dashboard says, in French, that the engine does not answer.
        var dashboard = await client.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        var dashboardText = RunningPanel.Text(await dashboard.Content.ReadAsStringAsync(Ct));
        Assert.Contains("Le moteur Docker ne répond pas. Vérifiez qu'il est démarré.", dashboardText);
        Assert.Contains(panel.MissingEngineSocket, dashboardText);
        Assert.Contains("Alice Martin", dashboardText);
    }

    [Fact]
    public async Task SignOutSignInAndLanguageSwitchWorkWithPlainForms()
    {
        // The first run and plain sign-in; two-step sign-in for administrators is tested in SignInSecurityOverHttpTests.
        await using var panel = await RunningPanel.StartAsync(Ct, "--RequireTwoFactorForAdministrators", "false");
        using var client = panel.NewClient();
        var token = (await File.ReadAllTextAsync(panel.SetupTokenFile, Ct)).Trim();
        var antiforgery = RunningPanel.AntiforgeryToken(await client.GetStringAsync("/setup", Ct));
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync("/setup", SetupForm(antiforgery, token), Ct)).StatusCode);

        // English, chosen with the language switch, sticks through a cookie.
        var switched = await client.GetAsync("/culture?culture=en&returnUrl=%2F", Ct);
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/", switched.Headers.Location?.OriginalString);
        var english = await client.GetStringAsync("/", Ct);
        Assert.Contains("<html lang=\"en\">", english);
        Assert.Contains("The Docker engine does not answer. Check that it is running.", RunningPanel.Text(english));

        // The switch never sends anyone to another site.
        var offsite = await client.GetAsync("/culture?culture=en&returnUrl=https%3A%2F%2Fevil.example%2F", Ct);
        Assert.Equal("/", offsite.Headers.Location?.OriginalString);

        // Sign out (a form post with its anti-forgery token), then the dashboard asks to sign in.
        var signOut = await client.PostAsync("/signout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = RunningPanel.AntiforgeryToken(english),
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/signin", signOut.Headers.Location?.OriginalString);
        var locked = await client.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, locked.StatusCode);
        Assert.Equal("/signin", locked.Headers.Location?.AbsolutePath);

        // A wrong password is refused; the right one signs in and goes back where asked.
        var signInPage = await client.GetStringAsync("/signin?returnUrl=%2F", Ct);
        var signInToken = RunningPanel.AntiforgeryToken(signInPage);
        FormUrlEncodedContent SignIn(string password) => new(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = signInToken,
            ["Input.Email"] = "alice@example.org",
            ["Input.Password"] = password,
        });

        var wrong = await client.PostAsync("/signin?returnUrl=%2F", SignIn("pas le bon mot de passe"), Ct);
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("Wrong e-mail address or password.", RunningPanel.Text(await wrong.Content.ReadAsStringAsync(Ct)));

        var right = await client.PostAsync("/signin?returnUrl=%2F", SignIn(Password), Ct);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/", right.Headers.Location?.AbsolutePath ?? right.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/", Ct)).StatusCode);
    }
}
