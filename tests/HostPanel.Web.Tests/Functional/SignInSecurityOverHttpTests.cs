using HostPanel.Tests;
using System.Net;
using System.Runtime.Versioning;
using System.Text;
using System.Text.RegularExpressions;
using HostPanel.Core.Accounts;
using HostPanel.Core.Mail;
using HostPanel.Core.Organizations;
using HostPanel.Infrastructure.Data;
using HostPanel.Web.Tests.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace HostPanel.Web.Tests.Functional;

/// <summary>Two-step sign-in, lockout, limits, password reset and confirmation, on the real panel over HTTP.</summary>
[SupportedOSPlatform("linux")]
public sealed partial class SignInSecurityOverHttpTests
{
    // The limit on account forms is tested on its own; here a test sends more than ten a minute.
    private static readonly string[] Unlimited = ["--AccountFormsPerMinute", "1000"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task SetLockoutEndAsync(RunningPanel panel, AccountClient person, DateTimeOffset? end)
    {
        await using var scope = panel.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>();
        var user = (await users.FindByEmailAsync(person.Email))!;
        Assert.True((await users.SetLockoutEndDateAsync(user, end)).Succeeded);
    }

    private static string LocalTime(DateTimeOffset? at) =>
        TimeZoneInfo.ConvertTime(at!.Value, TimeZoneInfo.Local).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task AnAdministratorWithoutTwoStepSignInSetsItUpFirstThenSignsInWithCodes()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, Unlimited);
        using var alice = await AccountClient.CreateAsync(panel, "alice@example.org", hosterAdministrator: true);

        var signedIn = await alice.SignInAsync();
        Assert.Equal("/", AccountClient.Where(signedIn));

        // Every page leads to the set-up page until it is done.
        foreach (var page in new[] { "/", "/account/confirm" })
        {
            var gated = await alice.Http.GetAsync(page, Ct);
            Assert.Equal(HttpStatusCode.Redirect, gated.StatusCode);
            Assert.Equal("/account/2fa?ReturnUrl=" + Uri.EscapeDataString(page), AccountClient.Where(gated));
        }

        var setUp = RunningPanel.Text(await alice.Http.GetStringAsync("/account/2fa?ReturnUrl=%2F", Ct));
        Assert.Contains("Vous êtes administrateur : pour protéger le panneau, activez la connexion en deux étapes", setUp);
        Assert.Contains("<img id=\"twofactor-qr\" src=\"data:image/png;base64,", setUp);
        Assert.Contains("otpauth://totp/HostPanel:alice%40example.org?secret=", setUp);
        Assert.Contains("<label for=\"twofactor-code\">", setUp);

        // A wrong code is refused next to its field; the right one turns it on and shows 10 recovery codes once.
        var keyMatch = Regex.Match(setUp, "<code id=\"twofactor-key\" class=\"hp-key\">([a-z2-7 ]+)</code>");
        var stale = new Authenticator(keyMatch.Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()).Stale();
        var wrong = await alice.SendFormAsync("/account/2fa", "twofactor-enable", new Dictionary<string, string> { ["Input.Code"] = stale });
        var wrongText = await AccountClient.TextAsync(wrong);
        Assert.Contains("<div class=\"validation-message\">Ce code n'est pas le bon ou a déjà servi.", wrongText);
        Assert.False((await alice.UserAsync()).TwoFactorEnabled);

        var enabled = RunningPanel.Text(await alice.EnrolAsync());
        Assert.Contains("La connexion en deux étapes est activée.", enabled);
        Assert.Contains("Ils ne seront plus jamais affichés", enabled);
        Assert.True((await alice.UserAsync()).TwoFactorEnabled);
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.GetAsync("/", Ct)).StatusCode);

        // No secret of two-step sign-in is in the database file in clear.
        RawDatabase.AssertHoldsNone(
            await RawDatabase.ReadAfterCheckpointAsync(Path.Combine(panel.DataDirectory, "hostpanel.db"), Ct),
            [alice.Authenticator!.Key, .. alice.RecoveryCodes]);

        // The next sign-in asks for a code after the password; a wrong one counts as a failure.
        await alice.SignOutAsync();
        var first = await alice.SignInAsync();
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var second = AccountClient.Where(first)!;
        Assert.Equal("/signin/2fa?ReturnUrl=%2F&RememberMe=false", second);
        Assert.Equal(HttpStatusCode.Redirect, (await alice.Http.GetAsync("/", Ct)).StatusCode);

        var refused = await alice.SecondStepAsync(second, alice.Authenticator.Stale());
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Ce code n'est pas le bon ou a déjà servi.", await AccountClient.TextAsync(refused));
        Assert.Equal(1, (await alice.UserAsync()).AccessFailedCount);

        var code = alice.Authenticator.Next();
        var accepted = await alice.SecondStepAsync(second, code);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal("/", AccountClient.Where(accepted));
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.GetAsync("/", Ct)).StatusCode);
        Assert.Equal(0, (await alice.UserAsync()).AccessFailedCount);

        // A code works once: seen over a shoulder, it is no use a minute later.
        await alice.SignOutAsync();
        var again = await alice.SignInAsync();
        var replayed = await alice.SecondStepAsync(AccountClient.Where(again)!, code);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Contains("Ce code n'est pas le bon ou a déjà servi.", await AccountClient.TextAsync(replayed));

        var events = await alice.EventsAsync();
        Assert.Contains(events, e => e.Kind == SecurityEventKinds.TwoFactorEnabled);
        Assert.Equal(3, events.Count(e => e.Kind == SecurityEventKinds.TwoFactorFailed));
        Assert.Contains(events, e => e.Kind == SecurityEventKinds.SignedIn && e.Detail == "password and authenticator code");
        Assert.Contains(events, e => e.Kind == SecurityEventKinds.SignedOut);
        Assert.All(events, e => Assert.Equal("127.0.0.1", e.Address));
        Assert.All(events, e => Assert.DoesNotContain(code, e.Detail ?? "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARecoveryCodeSignsInOnceAndOnlyOnce()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, Unlimited);
        using var alice = await AccountClient.CreateAsync(panel, "alice@example.org", hosterAdministrator: true);
        await alice.SignInAsync();
        await alice.EnrolAsync();
        await alice.SignOutAsync();

        var first = await alice.SignInAsync();
        var used = alice.RecoveryCodes[3];
        var withCode = await alice.SecondStepAsync(AccountClient.Where(first)!, used.ToLowerInvariant());
        Assert.Equal(HttpStatusCode.Redirect, withCode.StatusCode);
        Assert.Equal("/account/2fa?ReturnUrl=%2F", AccountClient.Where(withCode));
        Assert.Contains("Codes de secours restants : 9.", RunningPanel.Text(await alice.Http.GetStringAsync("/account/2fa?ReturnUrl=%2F", Ct)));

        await alice.SignOutAsync();
        var second = await alice.SignInAsync();
        var reused = await alice.SecondStepAsync(AccountClient.Where(second)!, used);
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
        Assert.Contains("Ce code de secours n'est pas le bon ou a déjà servi", await AccountClient.TextAsync(reused));
        Assert.Equal(1, (await alice.UserAsync()).AccessFailedCount);

        var other = await alice.SecondStepAsync(AccountClient.Where(second)!, alice.RecoveryCodes[4]);
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);

        var events = await alice.EventsAsync();
        Assert.Equal(2, events.Count(e => e.Kind == SecurityEventKinds.RecoveryCodeUsed));
        Assert.Contains(events, e => e.Kind == SecurityEventKinds.TwoFactorFailed && e.Detail == "wrong recovery code");
        Assert.All(events, e => Assert.DoesNotContain(used, e.Detail ?? "", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountUntilATimeThenItOpensAgain()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, Unlimited);
        using var bob = await AccountClient.CreateAsync(panel, "bob@example.org");

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var wrong = await bob.SignInAsync("pas le bon mot de passe");
            Assert.Contains("Adresse e-mail ou mot de passe incorrect.", await AccountClient.TextAsync(wrong));
        }

        var fifth = await AccountClient.TextAsync(await bob.SignInAsync("pas le bon mot de passe"));
        var lockedUntil = (await bob.UserAsync()).LockoutEnd;
        Assert.NotNull(lockedUntil);
        Assert.InRange(lockedUntil.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        Assert.Contains($"Trop d'essais manqués : ce compte est bloqué jusqu'à {LocalTime(lockedUntil)}. Réessayez après cette heure", fifth);

        // Locked means locked, even with the right password.
        var right = await bob.SignInAsync();
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("ce compte est bloqué jusqu'à", await AccountClient.TextAsync(right));

        // An unknown address is answered like a wrong password, and never locked.
        using var nobody = new AccountClient(panel, "nobody@example.org", "quelque chose");
        Assert.Contains("Adresse e-mail ou mot de passe incorrect.", await AccountClient.TextAsync(await nobody.SignInAsync()));

        // Fifteen minutes later (here: the lock's end moved to the past), the right password works again.
        await SetLockoutEndAsync(panel, bob, DateTimeOffset.UtcNow.AddSeconds(-1));
        var after = await bob.SignInAsync();
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bob.Http.GetAsync("/", Ct)).StatusCode);

        var events = await bob.EventsAsync();
        Assert.Equal(4, events.Count(e => e.Kind == SecurityEventKinds.SignInFailed && e.Detail == "wrong password"));
        Assert.Single(events, e => e.Kind == SecurityEventKinds.LockedOut);
        Assert.Single(events, e => e.Kind == SecurityEventKinds.SignInFailed && e.Detail == "account locked");
        Assert.Single(events, e => e.Kind == SecurityEventKinds.SignedIn);
        var unknown = await panel.App.Services.GetRequiredService<ISecurityEventStore>().ListAsync(null, 100, Ct);
        Assert.Contains(unknown, e => e.UserId is null && e.Email == "nobody@example.org" && e.Kind == SecurityEventKinds.SignInFailed);
    }

    [Fact]
    public async Task WrongTwoStepCodesCountTowardsTheLockout()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, Unlimited);
        using var alice = await AccountClient.CreateAsync(panel, "alice@example.org", hosterAdministrator: true);
        await alice.SignInAsync();
        await alice.EnrolAsync();
        await alice.SignOutAsync();

        var first = await alice.SignInAsync();
        var second = AccountClient.Where(first)!;
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            Assert.Contains("Ce code n'est pas le bon", await AccountClient.TextAsync(await alice.SecondStepAsync(second, alice.Authenticator!.Stale())));
        }

        var fifth = await AccountClient.TextAsync(await alice.SecondStepAsync(second, alice.Authenticator!.Stale()));
        Assert.Contains("ce compte est bloqué jusqu'à " + LocalTime((await alice.UserAsync()).LockoutEnd), fifth);
        Assert.DoesNotContain("Ce code n'est pas le bon", fifth);

        // Neither a right code nor a recovery code gets through a lock.
        var code = await AccountClient.TextAsync(await alice.SecondStepAsync(second, alice.Authenticator.Next()));
        Assert.Contains("ce compte est bloqué jusqu'à", code);
        var recovery = await AccountClient.TextAsync(await alice.SecondStepAsync(second, alice.RecoveryCodes[0]));
        Assert.Contains("ce compte est bloqué jusqu'à", recovery);
        Assert.Equal(HttpStatusCode.Redirect, (await alice.Http.GetAsync("/", Ct)).StatusCode);

        var events = await alice.EventsAsync();
        Assert.Equal(5, events.Count(e => e.Kind == SecurityEventKinds.TwoFactorFailed));
        Assert.Single(events, e => e.Kind == SecurityEventKinds.LockedOut);
        Assert.Equal(2, events.Count(e => e.Kind == SecurityEventKinds.SignInFailed && e.Detail == "account locked (second step)"));
    }

    [Fact]
    public async Task OrganizationAdministratorsMustSetUpTwoStepSignInMembersNeedNot()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, Unlimited);
        using var carol = await AccountClient.CreateAsync(panel, "carol@example.org");
        using var dave = await AccountClient.CreateAsync(panel, "dave@example.org");
        var organization = await panel.App.Services.GetRequiredService<IOrganizationStore>().EnsureDefaultAsync(Ct);
        var memberships = panel.App.Services.GetRequiredService<IMembershipStore>();
        await memberships.SaveAsync(new Membership((await carol.UserAsync()).Id, organization.Id, OrganizationRole.Administrator, DateTimeOffset.UtcNow), Ct);
        await memberships.SaveAsync(new Membership((await dave.UserAsync()).Id, organization.Id, OrganizationRole.Member, DateTimeOffset.UtcNow), Ct);

        await carol.SignInAsync();
        var gated = await carol.Http.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, gated.StatusCode);
        Assert.Equal("/account/2fa?ReturnUrl=%2F", AccountClient.Where(gated));

        await dave.SignInAsync();
        Assert.Equal(HttpStatusCode.OK, (await dave.Http.GetAsync("/", Ct)).StatusCode);
        var optional = RunningPanel.Text(await dave.Http.GetStringAsync("/account/2fa", Ct));
        Assert.DoesNotContain("Vous êtes administrateur", optional);
        Assert.Contains("Activer la connexion en deux étapes", optional);
    }

    [Fact]
    public async Task AccountFormsAreLimitedPerAddressWithAPlainPage()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, "--AccountFormsPerMinute", "3");
        using var bob = await AccountClient.CreateAsync(panel, "bob@example.org");

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.Equal(HttpStatusCode.OK, (await bob.SignInAsync("pas le bon mot de passe")).StatusCode);
        }

        var limited = await bob.SignInAsync("pas le bon mot de passe");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("60", limited.Headers.RetryAfter?.ToString());
        var text = await AccountClient.TextAsync(limited);
        Assert.Contains("<html lang=\"fr\">", text);
        Assert.Contains("Trop de formulaires ont été envoyés depuis cette adresse en peu de temps. Attendez une minute, puis réessayez.", text);

        // The other account forms share the limit; showing a form does not count.
        using var other = panel.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/account/forgot", Ct)).StatusCode);
        var forgot = await other.PostAsync("/account/forgot", new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "forgot" }), Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, forgot.StatusCode);
        Assert.Equal(3, (await bob.UserAsync()).AccessFailedCount);
    }

    [Fact]
    public async Task APasswordResetLinkArrivesByMailWorksOnceAndEndsTheOtherSessions()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, Unlimited);
        using var alice = await AccountClient.CreateAsync(panel, "alice@example.org");
        using var stranger = panel.NewClient();

        // Without a mail server, the page says whom to ask instead.
        var unavailable = RunningPanel.Text(await stranger.GetStringAsync("/account/forgot", Ct));
        Assert.Contains("Ce panneau ne peut pas envoyer d'e-mails", unavailable);
        Assert.Contains("hostpanel admin recover", unavailable);

        await using var smtp = await PrivateSmtpServer.OpenAsync(Ct);
        await panel.App.Services.GetRequiredService<MailService>().SaveAsync(Caller.Server("root"), new MailProfileInput
        {
            Host = "127.0.0.1",
            Port = smtp.Port,
            Security = "none",
            FromAddress = "panel@example.org",
        }, Ct);

        // Alice is signed in on another computer, signed in to an app through the panel, and locked
        // out here after failures.
        await alice.SignInFullyAsync();
        var aliceId = (await alice.UserAsync()).Id;
        string appToken;
        await using (var scope = panel.App.Services.CreateAsyncScope())
        {
            var tokens = scope.ServiceProvider.GetRequiredService<OpenIddict.Abstractions.IOpenIddictTokenManager>();
            var created = await tokens.CreateAsync(new OpenIddict.Abstractions.OpenIddictTokenDescriptor
            {
                Subject = aliceId,
                Status = OpenIddict.Abstractions.OpenIddictConstants.Statuses.Valid,
                Type = OpenIddict.Abstractions.OpenIddictConstants.TokenTypeHints.RefreshToken,
                CreationDate = DateTimeOffset.UtcNow,
                ExpirationDate = DateTimeOffset.UtcNow.AddDays(1),
            }, Ct);
            appToken = (await tokens.GetIdAsync(created, Ct))!;
        }

        Assert.Equal(HttpStatusCode.OK, (await alice.Http.GetAsync("/", Ct)).StatusCode);
        using var here = new AccountClient(panel, alice.Email, AccountClient.Password);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await here.SignInAsync("pas le bon mot de passe");
        }

        Assert.NotNull((await alice.UserAsync()).LockoutEnd);

        // The same answer whether an account exists or not.
        async Task<string> AskAsync(string email) => await AccountClient.TextAsync(await here.SendFormAsync(
            "/account/forgot", "forgot", new Dictionary<string, string> { ["Input.Email"] = email }));
        var forUnknown = await AskAsync("nobody@example.org");
        var forAlice = await AskAsync("alice@example.org");
        const string Answer = "Si un compte existe avec cette adresse, un message vient de lui être envoyé avec un lien valable 1 heure.";
        Assert.Contains(Answer, forUnknown);
        Assert.Contains(Answer, forAlice);

        await smtp.WaitForAsync("/account/reset?user=", Ct);
        var received = smtp.Output;
        var message = Messages(received).Single();
        Assert.DoesNotContain("nobody@example.org", received);
        Assert.Equal("Votre nouveau mot de passe HostPanel", message.Subject);
        Assert.Equal("panel@example.org", message.From.Mailboxes.Single().Address);
        var body = message.TextBody ?? "";
        var link = ResetLink().Match(body);
        Assert.True(link.Success, body);
        Assert.StartsWith(panel.Address.ToString().TrimEnd('/') + "/account/reset?user=", link.Value, StringComparison.Ordinal);
        Assert.Contains("Le lien est valable 60 minutes", body);

        // The link leads to a form; Identity's password rules apply, next to the field.
        var path = new Uri(link.Value).PathAndQuery;
        var formPage = await here.Http.GetAsync(path, Ct);
        Assert.Equal("no-referrer", formPage.Headers.GetValues("Referrer-Policy").Single());
        var form = await AccountClient.TextAsync(formPage);
        Assert.Contains("Compte : alice@example.org.", form);
        Assert.Contains("<meta name=\"referrer\" content=\"no-referrer\"", form);
        var tooShort = await here.SendFormAsync(path, "reset", new Dictionary<string, string>
        {
            ["Input.Password"] = "court",
            ["Input.PasswordConfirmation"] = "court",
        });
        Assert.Contains("<div class=\"validation-message\">Ce mot de passe est trop court : il faut au moins 12 caractères.", await AccountClient.TextAsync(tooShort));

        const string NewPassword = "un tout nouveau mot de passe";
        var reset = await here.SendFormAsync(path, "reset", new Dictionary<string, string>
        {
            ["Input.Password"] = NewPassword,
            ["Input.PasswordConfirmation"] = NewPassword,
        });
        Assert.Contains("Votre mot de passe est changé. Les autres connexions à votre compte sont fermées.", await AccountClient.TextAsync(reset));

        // The app's sign-in through the panel is over too.
        await using (var scope = panel.App.Services.CreateAsyncScope())
        {
            var tokens = scope.ServiceProvider.GetRequiredService<OpenIddict.Abstractions.IOpenIddictTokenManager>();
            var found = await tokens.FindByIdAsync(appToken, Ct);
            Assert.Equal(OpenIddict.Abstractions.OpenIddictConstants.Statuses.Revoked, await tokens.GetStatusAsync(found!, Ct));
        }

        // The other computer's session is over, at its next request.
        var ended = await alice.Http.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Equal("/signin", ended.Headers.Location?.AbsolutePath);

        // The link worked once; the lock is gone; only the new password opens.
        Assert.Contains("Ce lien ne marche plus", RunningPanel.Text(await here.Http.GetStringAsync(path, Ct)));
        var user = await alice.UserAsync();
        Assert.Null(user.LockoutEnd);
        Assert.Equal(0, user.AccessFailedCount);
        Assert.Contains("Adresse e-mail ou mot de passe incorrect.", await AccountClient.TextAsync(await here.SignInAsync(AccountClient.Password)));
        Assert.Equal(HttpStatusCode.Redirect, (await here.SignInAsync(NewPassword)).StatusCode);

        var events = await alice.EventsAsync();
        Assert.Contains(events, e => e.Kind == SecurityEventKinds.PasswordResetRequested && e.Detail == "link sent by e-mail");
        Assert.Single(events, e => e.Kind == SecurityEventKinds.PasswordReset);
        var all = await panel.App.Services.GetRequiredService<ISecurityEventStore>().ListAsync(null, 200, Ct);
        Assert.Contains(all, e => e.Kind == SecurityEventKinds.PasswordResetRequested && e.Email == "nobody@example.org");
        var token = Uri.UnescapeDataString(link.Value[(link.Value.IndexOf("code=", StringComparison.Ordinal) + 5)..]);
        Assert.All(all, e => Assert.DoesNotContain(token, e.Detail ?? "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChangingTwoStepSignInNeedsAFreshConfirmationOfThePasswordAndACode()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, Unlimited);
        using var alice = await AccountClient.CreateAsync(panel, "alice@example.org", hosterAdministrator: true);
        await alice.SignInAsync();
        await alice.EnrolAsync();
        await alice.SignOutAsync();
        await alice.SignInFullyAsync();

        // Signed in is not enough: the page asks to confirm first and offers no change.
        var page = RunningPanel.Text(await alice.Http.GetStringAsync("/account/2fa", Ct));
        Assert.Contains("confirmez d'abord votre identité", page);
        Assert.Contains("href=\"/account/confirm?ReturnUrl=%2Faccount%2F2fa\"", page);
        Assert.DoesNotContain("Créer de nouveaux codes de secours", page);

        const string Confirm = "/account/confirm?ReturnUrl=%2Faccount%2F2fa";
        var confirmPage = RunningPanel.Text(await alice.Http.GetStringAsync(Confirm, Ct));
        Assert.Contains("<label for=\"confirm-password\">", confirmPage);
        Assert.Contains("<label for=\"confirm-code\">", confirmPage);

        var wrongPassword = await alice.SendFormAsync(Confirm, "confirm", new Dictionary<string, string>
        {
            ["Input.Password"] = "pas le bon mot de passe",
            ["Input.Code"] = alice.Authenticator!.Next(),
        });
        Assert.Contains("Ce mot de passe n'est pas le bon.", await AccountClient.TextAsync(wrongPassword));
        var wrongCode = await alice.SendFormAsync(Confirm, "confirm", new Dictionary<string, string>
        {
            ["Input.Password"] = AccountClient.Password,
            ["Input.Code"] = alice.Authenticator.Stale(),
        });
        Assert.Contains("Ce code n'est pas le bon", await AccountClient.TextAsync(wrongCode));
        Assert.Equal(2, (await alice.UserAsync()).AccessFailedCount);

        var confirmed = await alice.SendFormAsync(Confirm, "confirm", new Dictionary<string, string>
        {
            ["Input.Password"] = AccountClient.Password,
            ["Input.Code"] = alice.Authenticator.Next(),
        });
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal("/account/2fa", AccountClient.Where(confirmed));
        Assert.Equal(0, (await alice.UserAsync()).AccessFailedCount);

        // Now the changes are offered: new recovery codes replace the old ones.
        var renewed = await alice.SendFormAsync("/account/2fa", "twofactor-renew", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        var codes = AccountClient.Codes(await renewed.Content.ReadAsStringAsync(Ct));
        Assert.Equal(10, codes.Count);
        Assert.Empty(codes.Intersect(alice.RecoveryCodes));

        // Turning it off works, and an administrator is sent straight back to set it up again.
        var disabled = await alice.SendFormAsync("/account/2fa", "twofactor-disable", new Dictionary<string, string>());
        Assert.Contains("La connexion en deux étapes est désactivée", await AccountClient.TextAsync(disabled));
        Assert.False((await alice.UserAsync()).TwoFactorEnabled);
        var gated = await alice.Http.GetAsync("/", Ct);
        Assert.Equal("/account/2fa?ReturnUrl=%2F", AccountClient.Where(gated));

        var events = await alice.EventsAsync();
        Assert.Single(events, e => e.Kind == SecurityEventKinds.Reauthenticated);
        Assert.Single(events, e => e.Kind == SecurityEventKinds.RecoveryCodesRenewed);
        Assert.Single(events, e => e.Kind == SecurityEventKinds.TwoFactorDisabled);
    }

    private static List<MimeMessage> Messages(string received)
    {
        const string start = "---------- MESSAGE FOLLOWS ----------";
        const string end = "------------ END MESSAGE ------------";
        var messages = new List<MimeMessage>();
        var at = 0;
        while ((at = received.IndexOf(start, at, StringComparison.Ordinal)) >= 0)
        {
            var stop = received.IndexOf(end, at, StringComparison.Ordinal);
            var lines = received[(at + start.Length)..stop].TrimStart('\r', '\n').Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            if (lines.Count > 0 && lines[0].StartsWith("mail options:", StringComparison.Ordinal))
            {
                // aiosmtpd prints the MAIL FROM options and a blank line before the message.
                lines.RemoveRange(0, lines.IndexOf("") + 1);
            }

            var raw = string.Join("\r\n", lines);
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(raw));
            messages.Add(MimeMessage.Load(stream));
            at = stop;
        }

        return messages;
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/account/reset\?user=[^\s]+")]
    private static partial Regex ResetLink();
}
