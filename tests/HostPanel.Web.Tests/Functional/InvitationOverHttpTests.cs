using System.Net;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using HostPanel.Core.Accounts;
using HostPanel.Core.Organizations;
using HostPanel.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HostPanel.Web.Tests.Functional;

/// <summary>The invitation page (<c>/invitation/{secret}</c>) on the real panel over HTTP.</summary>
[SupportedOSPlatform("linux")]
public sealed partial class InvitationOverHttpTests
{
    private const string OrganizationId = "jardins";
    private const string OrganizationName = "Les Jardins partagés";

    // The limit on account forms is tested on its own; here a test may send many forms a minute.
    private static readonly string[] Unlimited = ["--AccountFormsPerMinute", "1000"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Caller Root => Caller.Server("test");

    /// <summary>An organization with a display name of its own, and a hoster administrator (the first run is done).</summary>
    private static async Task<AccountClient> PrepareAsync(RunningPanel panel)
    {
        var owner = await AccountClient.CreateAsync(panel, "owner-admin@example.org", hosterAdministrator: true);
        await panel.App.Services.GetRequiredService<IOrganizationStore>()
            .AddAsync(new Organization(OrganizationId, OrganizationName, DateTimeOffset.UtcNow), Ct);
        return owner;
    }

    /// <summary>Invites <paramref name="email"/>; returns the link's path and its secret.</summary>
    private static async Task<(string Path, string Secret)> InviteAsync(RunningPanel panel, string email, OrganizationRole role, params string[] groups)
    {
        var sent = await panel.App.Services.GetRequiredService<MemberService>().InviteAsync(Root, OrganizationId, email, role, groups, Ct);
        var path = new Uri(new Uri("http://panel.invalid"), sent.Link).AbsolutePath;
        Assert.StartsWith(MemberService.InvitationPath, path, StringComparison.Ordinal);
        return (path, path[MemberService.InvitationPath.Length..]);
    }

    private static Dictionary<string, string> NewAccount(string name, string password, string? confirmation = null) => new()
    {
        ["Input.DisplayName"] = name,
        ["Input.Password"] = password,
        ["Input.PasswordConfirmation"] = confirmation ?? password,
    };

    private static async Task<HostPanelUser?> FindUserAsync(RunningPanel panel, string email)
    {
        await using var scope = panel.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>().FindByEmailAsync(email);
    }

    /// <summary>The secret is written nowhere in the page, except in a form's action (the page's own address).</summary>
    private static void AssertSecretOnlyInFormActions(string html, string path, string secret)
    {
        var rest = FormAction().Replace(html, action => WebUtility.HtmlDecode(action.Groups[1].Value) == path ? "" : action.Value);
        Assert.DoesNotContain(secret, rest, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(secret), rest, StringComparison.Ordinal);
    }

    /// <summary>
    /// The page for a link that does not work, without the state Blazor appends to every page
    /// (encrypted, so different in every response, even for the same address).
    /// </summary>
    private static async Task<string> InvalidPageAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Demandez une nouvelle invitation à un administrateur", RunningPanel.Text(html));
        if (path.Length > MemberService.InvitationPath.Length + 20)
        {
            Assert.DoesNotContain(path[MemberService.InvitationPath.Length..], html, StringComparison.Ordinal);
        }

        return FrameworkState().Replace(html, "");
    }

    /// <summary>One line of what the invitation is (organization, address, role, end of validity).</summary>
    private static string Detail(string text, string id)
    {
        var match = Regex.Match(text, "<dd id=\"" + id + "\"[^>]*>([^<]*)</dd>");
        Assert.True(match.Success, $"the page shows no {id}");
        return match.Groups[1].Value;
    }

    private static string UnknownLink() => MemberService.InvitationPath + AccessTokenFormat.NewSecret();

    [Fact]
    public async Task ANewPersonCreatesTheirAccountJoinsWithTheRoleAndGroupsAndTheLinkThenNoLongerWorks()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, Unlimited);
        using var owner = await PrepareAsync(panel);
        var members = panel.App.Services.GetRequiredService<MemberService>();
        await members.AddGroupAsync(Root, OrganizationId, "benevoles", "Les bénévoles", Ct);
        await members.AddGroupAsync(Root, OrganizationId, "bureau", "Le bureau", Ct);
        var (link, secret) = await InviteAsync(panel, "bob@example.org", OrganizationRole.Member, "benevoles");
        var invitation = await members.FindInvitationAsync(secret, Ct);
        Assert.NotNull(invitation);

        using var bob = new AccountClient(panel, "bob@example.org", AccountClient.Password);
        var page = await bob.Http.GetAsync(link, Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(page.Headers.CacheControl?.NoStore);
        var html = await page.Content.ReadAsStringAsync(Ct);
        var text = RunningPanel.Text(html);
        Assert.Contains("Invitation à rejoindre Les Jardins partagés", text);
        Assert.Equal("Les Jardins partagés", Detail(text, "invitation-organization"));
        Assert.Equal("bob@example.org", Detail(text, "invitation-email"));
        Assert.Equal("membre", Detail(text, "invitation-role"));
        var expires = TimeZoneInfo.ConvertTime(invitation.ExpiresAt, TimeZoneInfo.Local);
        Assert.Equal($"{expires.ToString("D", System.Globalization.CultureInfo.GetCultureInfo("fr"))} à {expires:HH:mm}", Detail(text, "invitation-expires"));
        Assert.DoesNotContain("deux étapes", text);
        Assert.Matches("<label for=\"invitation-name\"[^>]*>Votre nom, tel que les autres le verront</label>", text);
        Assert.Contains("<label for=\"invitation-password\"", text);
        Assert.Contains("<label for=\"invitation-password-confirmation\"", text);
        Assert.Contains("Créer mon compte et rejoindre Les Jardins partagés", text);
        AssertSecretOnlyInFormActions(html, link, secret);

        var accepted = await bob.SendFormAsync(link, "invitation-accept", NewAccount("Bob Martin", AccountClient.Password));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal("/", AccountClient.Where(accepted));

        // Signed in at once, with the name chosen; a member needs no two-step sign-in.
        var home = await bob.Http.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("Bob Martin", await AccountClient.TextAsync(home));

        var user = await bob.UserAsync();
        Assert.Equal("Bob Martin", user.DisplayName);
        var membership = await panel.App.Services.GetRequiredService<IMembershipStore>().FindAsync(user.Id, OrganizationId, Ct);
        Assert.NotNull(membership);
        Assert.Equal(OrganizationRole.Member, membership.Role);
        Assert.Equal(["benevoles"], await panel.App.Services.GetRequiredService<IGroupStore>().GroupsOfAsync(user.Id, OrganizationId, Ct));

        var events = await bob.EventsAsync();
        Assert.Single(events, e => e.Kind == SecurityEventKinds.InvitationAccepted);
        Assert.Single(events, e => e.Kind == SecurityEventKinds.SignedIn && e.Detail == "new account from an invitation" && e.Address == "127.0.0.1");
        Assert.All(events, e => Assert.DoesNotContain(secret, e.Detail ?? "", StringComparison.Ordinal));

        // The link has served: it now says what an unknown link says, word for word.
        Assert.Null(await members.FindInvitationAsync(secret, Ct));
        using var stranger = panel.NewClient();
        var used = await InvalidPageAsync(stranger, link);
        Assert.Equal(await InvalidPageAsync(stranger, UnknownLink()), used);
        Assert.Equal(used, await InvalidPageAsync(stranger, MemberService.InvitationPath + "abc"));
        await InvalidPageAsync(bob.Http, link);

        // Sent again, the form creates nothing more: back to the page as it is now.
        var again = await bob.Http.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string>(NewAccount("Bob", AccountClient.Password))
        {
            ["_handler"] = "invitation-accept",
            ["__RequestVerificationToken"] = RunningPanel.AntiforgeryToken(await bob.Http.GetStringAsync("/account/2fa", Ct)),
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(link, AccountClient.Where(again));
        Assert.Equal("Bob Martin", (await bob.UserAsync()).DisplayName);
    }

    [Fact]
    public async Task AShortPasswordOrAMissingNameIsShownNextToItsFieldAndCreatesNothing()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, Unlimited);
        using var owner = await PrepareAsync(panel);
        var (link, secret) = await InviteAsync(panel, "bob@example.org", OrganizationRole.Member);
        using var bob = new AccountClient(panel, "bob@example.org", AccountClient.Password);

        var tooShort = await bob.SendFormAsync(link, "invitation-accept", NewAccount("Bob Martin", "court"));
        Assert.Equal(HttpStatusCode.OK, tooShort.StatusCode);
        var html = await tooShort.Content.ReadAsStringAsync(Ct);
        var text = RunningPanel.Text(html);
        Assert.Contains("Votre compte n'a pas été créé.", text);
        Assert.Matches(
            "<input id=\"invitation-password\"[^>]*>\\s*<small id=\"invitation-password-help\"[^>]*>[^<]*</small>\\s*<div class=\"validation-message\">Ce mot de passe est trop court : il faut au moins 12 caractères.</div>",
            text);
        Assert.Contains("value=\"Bob Martin\"", text);
        Assert.DoesNotContain("value=\"court\"", text);
        AssertSecretOnlyInFormActions(html, link, secret);

        var noName = RunningPanel.Text(await (await bob.SendFormAsync(link, "invitation-accept", NewAccount(" ", "court"))).Content.ReadAsStringAsync(Ct));
        Assert.Matches("<small id=\"invitation-name-help\"[^>]*>[^<]*</small>\\s*<div class=\"validation-message\">Indiquez votre nom, tel que les autres le verront.</div>", noName);
        Assert.Contains("Ce mot de passe est trop court", noName);

        var mismatch = RunningPanel.Text(await (await bob.SendFormAsync(link, "invitation-accept",
            NewAccount("Bob Martin", AccountClient.Password, AccountClient.Password + "x"))).Content.ReadAsStringAsync(Ct));
        Assert.Matches(
            "<input id=\"invitation-password-confirmation\"[^>]*>\\s*<div class=\"validation-message\">Les deux mots de passe ne sont pas identiques.</div>",
            mismatch);

        var tooLong = RunningPanel.Text(await (await bob.SendFormAsync(link, "invitation-accept",
            NewAccount(new string('a', 101), AccountClient.Password))).Content.ReadAsStringAsync(Ct));
        Assert.Matches("<small id=\"invitation-name-help\"[^>]*>[^<]*</small>\\s*<div class=\"validation-message\">Indiquez votre nom", tooLong);

        Assert.Null(await FindUserAsync(panel, "bob@example.org"));
        Assert.NotNull(await panel.App.Services.GetRequiredService<MemberService>().FindInvitationAsync(secret, Ct));
        Assert.Empty(await panel.App.Services.GetRequiredService<IMembershipStore>().ForOrganizationAsync(OrganizationId, Ct));
    }

    [Fact]
    public async Task AnExpiredInvitationSaysExactlyWhatAnUnknownLinkSays()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, [.. Unlimited, "--InvitationLifetime", "00:00:02"]);
        using var owner = await PrepareAsync(panel);
        using var bob = new AccountClient(panel, "bob@example.org", AccountClient.Password);

        // The page is shown once first, so that the first rendering's warm-up does not eat the two seconds.
        await InvalidPageAsync(bob.Http, UnknownLink());
        var (link, _) = await InviteAsync(panel, "bob@example.org", OrganizationRole.Member);
        var invited = DateTimeOffset.UtcNow;
        var shown = await bob.Http.GetStringAsync(link, Ct);
        Assert.Contains("Créer mon compte", RunningPanel.Text(shown));

        await Task.Delay(invited.AddSeconds(2.5) - DateTimeOffset.UtcNow, Ct);
        var expired = await InvalidPageAsync(bob.Http, link);
        Assert.Equal(await InvalidPageAsync(bob.Http, UnknownLink()), expired);
        Assert.DoesNotContain("Créer mon compte", RunningPanel.Text(expired));

        // The form of the page shown before the end creates nothing: it leads to the page as it is now.
        var late = await bob.Http.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string>(NewAccount("Bob", AccountClient.Password))
        {
            ["_handler"] = "invitation-accept",
            ["__RequestVerificationToken"] = RunningPanel.AntiforgeryToken(shown),
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, late.StatusCode);
        Assert.Equal(link, AccountClient.Where(late));
        Assert.Equal(expired, await InvalidPageAsync(bob.Http, link));
        Assert.Null(await FindUserAsync(panel, "bob@example.org"));
    }

    [Fact]
    public async Task SomeoneWithAnAccountSignsInFirstThenJoinsWithAButton()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, Unlimited);
        using var owner = await PrepareAsync(panel);
        using var carol = await AccountClient.CreateAsync(panel, "carol@example.org");
        var (link, secret) = await InviteAsync(panel, "carol@example.org", OrganizationRole.Member);

        var page = await carol.Http.GetAsync(link, Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Ct);
        var text = RunningPanel.Text(html);
        Assert.Contains("Un compte existe déjà pour l'adresse carol@example.org. Connectez-vous avec ce compte", text);
        Assert.DoesNotContain("invitation-name", text);
        AssertSecretOnlyInFormActions(html, link, secret);

        // Not a new account: the creation form, sent by hand, only leads back to the page.
        var created = await carol.Http.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string>(NewAccount("Carol", "une autre phrase assez longue"))
        {
            ["_handler"] = "invitation-accept",
            ["__RequestVerificationToken"] = RunningPanel.AntiforgeryToken(html),
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(link, AccountClient.Where(created));

        var toSignIn = await carol.SendFormAsync(link, "invitation-signin", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
        Assert.Equal("/signin?ReturnUrl=" + Uri.EscapeDataString(link), AccountClient.Where(toSignIn));

        var signedIn = await carol.SignInAsync(returnUrl: link);
        Assert.Equal(link, AccountClient.Where(signedIn));

        var joinPage = await carol.Http.GetAsync(link, Ct);
        var joinHtml = await joinPage.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Rejoindre Les Jardins partagés", RunningPanel.Text(joinHtml));
        AssertSecretOnlyInFormActions(joinHtml, link, secret);

        var joined = await carol.SendFormAsync(link, "invitation-join", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
        Assert.Equal("/", AccountClient.Where(joined));
        var user = await carol.UserAsync();
        Assert.Equal(OrganizationRole.Member, (await panel.App.Services.GetRequiredService<IMembershipStore>().FindAsync(user.Id, OrganizationId, Ct))?.Role);
        Assert.Single(await carol.EventsAsync(), e => e.Kind == SecurityEventKinds.InvitationAccepted);
        Assert.Equal("carol", user.DisplayName);
        await InvalidPageAsync(carol.Http, link);
    }

    [Fact]
    public async Task SomeoneSignedInWithAnotherAddressIsToldWhichOneAndMaySignOut()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, Unlimited);
        using var owner = await PrepareAsync(panel);
        using var dave = await AccountClient.CreateAsync(panel, "dave@example.org");
        var (link, secret) = await InviteAsync(panel, "erin@example.org", OrganizationRole.Member);
        await dave.SignInFullyAsync();

        var page = await dave.Http.GetAsync(link, Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Cette invitation est pour l'adresse erin@example.org, mais vous êtes connecté avec le compte dave@example.org.", RunningPanel.Text(html));
        AssertSecretOnlyInFormActions(html, link, secret);

        // Joining with the wrong account: the form, sent by hand, only leads back to the page.
        var join = await dave.Http.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "invitation-join",
            ["__RequestVerificationToken"] = RunningPanel.AntiforgeryToken(html),
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, join.StatusCode);
        Assert.Equal(link, AccountClient.Where(join));
        Assert.Null(await panel.App.Services.GetRequiredService<IMembershipStore>().FindAsync((await dave.UserAsync()).Id, OrganizationId, Ct));

        var signedOut = await dave.SendFormAsync(link, "invitation-signout", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(link, AccountClient.Where(signedOut));
        Assert.Equal(HttpStatusCode.Redirect, (await dave.Http.GetAsync("/", Ct)).StatusCode);
        Assert.Contains(await dave.EventsAsync(), e => e.Kind == SecurityEventKinds.SignedOut);

        var after = RunningPanel.Text(await dave.Http.GetStringAsync(link, Ct));
        Assert.Contains("Créer mon compte et rejoindre Les Jardins partagés", after);
    }

    [Fact]
    public async Task AnInvitedAdministratorIsSentToSetUpTwoStepSignInAfterAccepting()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, Unlimited);
        using var owner = await PrepareAsync(panel);
        var (link, _) = await InviteAsync(panel, "fanny@example.org", OrganizationRole.Administrator);
        using var fanny = new AccountClient(panel, "fanny@example.org", AccountClient.Password);

        var text = RunningPanel.Text(await fanny.Http.GetStringAsync(link, Ct));
        Assert.Equal("administrateur", Detail(text, "invitation-role"));
        Assert.Contains("vous devrez ensuite activer la connexion en deux étapes", text);

        var accepted = await fanny.SendFormAsync(link, "invitation-accept", NewAccount("Fanny", AccountClient.Password));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal("/", AccountClient.Where(accepted));

        var gated = await fanny.Http.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, gated.StatusCode);
        Assert.Equal("/account/2fa?ReturnUrl=%2F", AccountClient.Where(gated));
        var setUp = RunningPanel.Text(await fanny.Http.GetStringAsync("/account/2fa?ReturnUrl=%2F", Ct));
        Assert.Contains("Vous êtes administrateur : pour protéger le panneau, activez la connexion en deux étapes", setUp);
        var user = await fanny.UserAsync();
        Assert.Equal(OrganizationRole.Administrator, (await panel.App.Services.GetRequiredService<IMembershipStore>().FindAsync(user.Id, OrganizationId, Ct))?.Role);
    }

    [Fact]
    public async Task ThePageWorksBeforeTheFirstRunAndInEnglishWithoutPuttingTheSecretInThePage()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, Unlimited);
        await panel.App.Services.GetRequiredService<IOrganizationStore>()
            .AddAsync(new Organization(OrganizationId, OrganizationName, DateTimeOffset.UtcNow), Ct);
        var (link, secret) = await InviteAsync(panel, "bob@example.org", OrganizationRole.Member);
        using var bob = panel.NewClient();

        // No administrator yet: every other page is the first-run page, not this one.
        Assert.Equal("/setup", AccountClient.Where(await bob.GetAsync("/", Ct)));
        var html = await bob.GetStringAsync(link, Ct);
        Assert.Contains("Créer mon compte et rejoindre Les Jardins partagés", RunningPanel.Text(html));

        // The language switch comes back to the page itself, and the secret stays out of the page.
        Assert.Contains("<form method=\"get\" action=\"\" class=\"hp-language\"", html);
        AssertSecretOnlyInFormActions(html, link, secret);
        var switched = await bob.GetAsync(link + "?culture=en", Ct);
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal(link, AccountClient.Where(switched));
        var english = RunningPanel.Text(await bob.GetStringAsync(link, Ct));
        Assert.Contains("Create my account and join Les Jardins partagés", english);
        Assert.Equal("member", Detail(english, "invitation-role"));
        var invalid = await bob.GetAsync(UnknownLink(), Ct);
        Assert.Contains("Ask an administrator of the organization for a new invitation", RunningPanel.Text(await invalid.Content.ReadAsStringAsync(Ct)));

        // Other pages keep their usual switch.
        Assert.Contains("<input type=\"hidden\" name=\"returnUrl\" value=\"/setup\"", await bob.GetStringAsync("/setup", Ct));
    }

    [Fact]
    public async Task TheInvitationFormsAreLimitedLikeTheOtherAccountForms()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, "--AccountFormsPerMinute", "2");
        using var owner = await PrepareAsync(panel);
        var (link, _) = await InviteAsync(panel, "bob@example.org", OrganizationRole.Member);
        using var bob = new AccountClient(panel, "bob@example.org", AccountClient.Password);

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            Assert.Equal(HttpStatusCode.OK, (await bob.SendFormAsync(link, "invitation-accept", NewAccount("Bob", "court"))).StatusCode);
        }

        var refused = await bob.SendFormAsync(link, "invitation-accept", NewAccount("Bob", AccountClient.Password));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("id=\"too-many\"", await refused.Content.ReadAsStringAsync(Ct));
        Assert.Null(await FindUserAsync(panel, "bob@example.org"));

        // Showing the page is never limited.
        Assert.Equal(HttpStatusCode.OK, (await bob.Http.GetAsync(link, Ct)).StatusCode);
    }

    [Fact]
    public async Task RequestsAreNotLoggedWithTheirAddressAtTheDefaultLevels()
    {
        // Even with everything else at Information, ASP.NET Core's request logging (which would
        // write the invitation link's path) stays at Warning, as the panel's appsettings.json says.
        await using var panel = await RunningPanel.StartAsync(Ct, "--Logging:LogLevel:Default", "Information");
        var loggers = panel.App.Services.GetRequiredService<ILoggerFactory>();
        Assert.True(loggers.CreateLogger("HostPanel.Web.Accounts.SecurityAudit").IsEnabled(LogLevel.Information));
        foreach (var category in new[] { "Microsoft.AspNetCore.Hosting.Diagnostics", "Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware", "Microsoft.AspNetCore.Routing.EndpointMiddleware" })
        {
            Assert.False(loggers.CreateLogger(category).IsEnabled(LogLevel.Information), category);
        }
    }

    [GeneratedRegex("<!--Blazor-Server-Component-State:[^>]*-->")]
    private static partial Regex FrameworkState();

    [GeneratedRegex("\\saction=\"([^\"]*)\"")]
    private static partial Regex FormAction();
}
