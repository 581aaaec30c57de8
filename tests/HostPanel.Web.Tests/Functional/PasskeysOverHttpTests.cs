using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using HostPanel.Core.Accounts;
using HostPanel.Infrastructure.Data;
using HostPanel.Web.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Functional;

/// <summary>
/// Passkeys on the real panel over HTTP, with <see cref="SoftwareAuthenticator"/> in the browser's
/// place: what the page's script would send, posted as it would.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class PasskeysOverHttpTests
{
    private static readonly string[] Unlimited = ["--AccountFormsPerMinute", "1000"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The origin a browser writes in the client data for pages of <paramref name="panel"/>.</summary>
    private static string Origin(RunningPanel panel) => panel.Address.GetLeftPart(UriPartial.Authority);

    /// <summary>What the script does first: asks for options with the anti-forgery token of <paramref name="page"/>.</summary>
    private static async Task<HttpResponseMessage> AskOptionsAsync(HttpClient http, string page, string endpoint)
    {
        var html = await http.GetStringAsync(page, Ct);
        return await http.PostAsync(endpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = RunningPanel.AntiforgeryToken(html),
        }), Ct);
    }

    private static async Task<string> OptionsAsync(HttpClient http, string page, string endpoint)
    {
        var response = await AskOptionsAsync(http, page, endpoint);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    /// <summary>Confirms the person's identity (password, and a code when they use an authenticator app), then comes back.</summary>
    private static async Task ConfirmAsync(AccountClient person, string returnUrl)
    {
        var fields = new Dictionary<string, string> { ["Input.Password"] = person.PasswordInUse };
        if (person.Authenticator is not null)
        {
            fields["Input.Code"] = person.Authenticator.Next();
        }

        var confirmed = await person.SendFormAsync("/account/confirm?ReturnUrl=" + Uri.EscapeDataString(returnUrl), "confirm", fields);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal(returnUrl, AccountClient.Where(confirmed));
    }

    /// <summary>Adds a passkey the way the page does: options from the server, the authenticator creates, the form carries it.</summary>
    private static async Task<HttpResponseMessage> AddPasskeyAsync(
        RunningPanel panel, AccountClient person, SoftwareAuthenticator key, string name, string? origin = null)
    {
        var options = await OptionsAsync(person.Http, "/account/passkeys", AccountPaths.PasskeyCreationOptions);
        return await person.SendFormAsync("/account/passkeys", "passkey-add", new Dictionary<string, string>
        {
            ["Add.Name"] = name,
            ["Add.CredentialJson"] = key.Create(options, origin ?? Origin(panel)),
            ["Add.Error"] = "",
        });
    }

    /// <summary>Signs in with a passkey the way the sign-in page does.</summary>
    private static async Task<HttpResponseMessage> SignInWithPasskeyAsync(
        RunningPanel panel, AccountClient person, SoftwareAuthenticator key, bool forgeSignature = false, bool verified = true)
    {
        var options = await OptionsAsync(person.Http, "/signin", AccountPaths.PasskeyRequestOptions);
        return await person.SendFormAsync("/signin?ReturnUrl=%2F", "signin-passkey", new Dictionary<string, string>
        {
            ["Passkey.CredentialJson"] = key.Get(options, Origin(panel), forgeSignature, verified),
            ["Passkey.Error"] = "",
        });
    }

    private static async Task<IList<UserPasskeyInfo>> StoredPasskeysAsync(RunningPanel panel, AccountClient person)
    {
        await using var scope = panel.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>();
        return await users.GetPasskeysAsync((await users.FindByEmailAsync(person.Email))!);
    }

    [Fact]
    public async Task APersonAddsAPasskeyAfterConfirmingThenSignsInWithItAlone()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, Unlimited);
        using var bob = await AccountClient.CreateAsync(panel, "bob@example.org");
        using var key = new SoftwareAuthenticator();
        await bob.SignInFullyAsync();

        // The security page leads to the passkeys; adding one needs a recent confirmation, as its options do.
        Assert.Contains("href=\"/account/passkeys?ReturnUrl=%2F\"", await bob.Http.GetStringAsync("/account/2fa", Ct));
        var before = RunningPanel.Text(await bob.Http.GetStringAsync("/account/passkeys", Ct));
        Assert.Contains("Vous n'avez encore aucune clé d'accès.", before);
        Assert.Contains("href=\"/account/confirm?ReturnUrl=%2Faccount%2Fpasskeys\"", before);
        Assert.DoesNotContain("<label for=\"passkey-name\">", before);
        Assert.Equal(HttpStatusCode.Forbidden, (await AskOptionsAsync(bob.Http, "/account/passkeys", AccountPaths.PasskeyCreationOptions)).StatusCode);
        await ConfirmAsync(bob, "/account/passkeys");

        // The form: a labelled name, and the passkey button hidden until the script shows it.
        var form = RunningPanel.Text(await bob.Http.GetStringAsync("/account/passkeys", Ct));
        Assert.Contains("<label for=\"passkey-name\">Nom de la clé</label>", form);
        Assert.Contains("<hp-passkey operation=\"create\" options=\"/account/passkeys/options\"", form);
        Assert.Contains("Pour ajouter une clé d'accès, il faut un navigateur récent avec JavaScript activé.", form);

        // The server's options: this panel as relying party, the person verified, a discoverable passkey.
        using (var creation = JsonDocument.Parse(await OptionsAsync(bob.Http, "/account/passkeys", AccountPaths.PasskeyCreationOptions)))
        {
            var root = creation.RootElement;
            Assert.Equal("127.0.0.1", root.GetProperty("rp").GetProperty("id").GetString());
            Assert.Equal("bob@example.org", root.GetProperty("user").GetProperty("name").GetString());
            Assert.Equal("required", root.GetProperty("authenticatorSelection").GetProperty("userVerification").GetString());
            Assert.Equal("required", root.GetProperty("authenticatorSelection").GetProperty("residentKey").GetString());
            Assert.Equal(180000, root.GetProperty("timeout").GetInt32());
            Assert.Contains(root.GetProperty("pubKeyCredParams").EnumerateArray(), p => p.GetProperty("alg").GetInt32() == -7);
        }

        // A name is needed, said next to its field; a passkey made for another site is refused.
        var unnamed = await AddPasskeyAsync(panel, bob, key, "");
        Assert.Contains("<div class=\"validation-message\">Donnez un nom à la clé d'accès.", await AccountClient.TextAsync(unnamed));
        using (var stranger = new SoftwareAuthenticator())
        {
            var phished = await AddPasskeyAsync(panel, bob, stranger, "Ailleurs", origin: "http://127.0.0.1.evil.example");
            Assert.Contains("La clé d'accès n'a pas pu être enregistrée.", await AccountClient.TextAsync(phished));
        }

        Assert.Empty(await StoredPasskeysAsync(panel, bob));

        var added = await AccountClient.TextAsync(await AddPasskeyAsync(panel, bob, key, "Téléphone"));
        Assert.Contains("La clé d'accès « Téléphone » est ajoutée.", added);
        Assert.Contains("<td>Téléphone</td>", added);
        Assert.Contains($"name=\"Remove.CredentialId\" value=\"{key.Id}\"", added);
        var stored = Assert.Single(await StoredPasskeysAsync(panel, bob));
        Assert.Equal("Téléphone", stored.Name);
        Assert.True(stored.IsUserVerified);

        // Another browser, no password: the sign-in page's passkey form, then the session works.
        using var elsewhere = new AccountClient(panel, bob.Email, AccountClient.Password);
        var page = RunningPanel.Text(await elsewhere.Http.GetStringAsync("/signin", Ct));
        Assert.Contains("<hp-passkey operation=\"get\" options=\"/signin/passkey/options\"", page);
        Assert.Contains("Se connecter avec une clé d'accès", page);
        using (var request = JsonDocument.Parse(await OptionsAsync(elsewhere.Http, "/signin", AccountPaths.PasskeyRequestOptions)))
        {
            Assert.Equal("127.0.0.1", request.RootElement.GetProperty("rpId").GetString());
            Assert.Equal("required", request.RootElement.GetProperty("userVerification").GetString());
        }

        var signedIn = await SignInWithPasskeyAsync(panel, elsewhere, key);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", AccountClient.Where(signedIn));
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.Http.GetAsync("/", Ct)).StatusCode);
        Assert.Equal(1u, Assert.Single(await StoredPasskeysAsync(panel, bob)).SignCount);

        var events = await bob.EventsAsync();
        Assert.Single(events, e => e.Kind == PasskeyEventKinds.PasskeyAdded && e.Detail == "Téléphone");
        Assert.Single(events, e => e.Kind == SecurityEventKinds.SignedIn && e.Detail == "passkey");
        Assert.All(events, e => Assert.Equal("127.0.0.1", e.Address));
    }

    [Fact]
    public async Task AForgedSignatureAnUnverifiedPersonAnUnknownPasskeyOrAReplayIsRefusedAndRecorded()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, Unlimited);
        using var bob = await AccountClient.CreateAsync(panel, "bob@example.org");
        using var key = new SoftwareAuthenticator();
        await bob.SignInFullyAsync();
        await ConfirmAsync(bob, "/account/passkeys");
        Assert.Equal(HttpStatusCode.OK, (await AddPasskeyAsync(panel, bob, key, "Clé USB")).StatusCode);
        Assert.Single(await StoredPasskeysAsync(panel, bob));

        using var browser = new AccountClient(panel, bob.Email, "");
        var forged = await SignInWithPasskeyAsync(panel, browser, key, forgeSignature: true);
        Assert.Equal(HttpStatusCode.OK, forged.StatusCode);
        Assert.Contains("Cette clé d'accès n'a pas été acceptée.", await AccountClient.TextAsync(forged));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync("/", Ct)).StatusCode);

        // The right key, touched but without its PIN or fingerprint: one factor, refused.
        var unverified = await SignInWithPasskeyAsync(panel, browser, key, verified: false);
        Assert.Contains("Cette clé d'accès n'a pas été acceptée.", await AccountClient.TextAsync(unverified));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync("/", Ct)).StatusCode);

        // Another passkey nobody registered here.
        using var unknown = new SoftwareAuthenticator();
        unknown.Create(await OptionsAsync(bob.Http, "/account/passkeys", AccountPaths.PasskeyCreationOptions), Origin(panel));
        var stranger = await SignInWithPasskeyAsync(panel, browser, unknown);
        Assert.Contains("Cette clé d'accès n'a pas été acceptée.", await AccountClient.TextAsync(stranger));

        // A credential sent without options asked for first (a replay of a captured one) has no challenge to match.
        var options = await OptionsAsync(browser.Http, "/signin", AccountPaths.PasskeyRequestOptions);
        var credential = key.Get(options, Origin(panel));
        var first = await browser.SendFormAsync("/signin", "signin-passkey", new Dictionary<string, string> { ["Passkey.CredentialJson"] = credential });
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        using var replayer = new AccountClient(panel, bob.Email, "");
        var replayed = await replayer.SendFormAsync("/signin", "signin-passkey", new Dictionary<string, string> { ["Passkey.CredentialJson"] = credential });
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Contains("Cette clé d'accès n'a pas été acceptée.", await AccountClient.TextAsync(replayed));
        Assert.Equal(HttpStatusCode.Redirect, (await replayer.Http.GetAsync("/", Ct)).StatusCode);

        // Refusals are recorded; as in Identity, they do not count towards the lockout.
        var events = await bob.EventsAsync();
        Assert.Equal(3, events.Count(e => e.Kind == SecurityEventKinds.SignInFailed && e.Detail == "passkey not accepted"));
        Assert.Equal(0, (await bob.UserAsync()).AccessFailedCount);
        var all = await panel.App.Services.GetRequiredService<ISecurityEventStore>().ListAsync(null, 200, Ct);
        Assert.Single(all, e => e.UserId is null && e.Kind == SecurityEventKinds.SignInFailed && e.Detail == "unknown passkey");

        // Cancelled in the browser: the page says so.
        var cancelled = await replayer.SendFormAsync("/signin", "signin-passkey", new Dictionary<string, string> { ["Passkey.Error"] = "cancelled" });
        Assert.Contains("La connexion avec une clé d'accès a été annulée", await AccountClient.TextAsync(cancelled));

        // A locked (or disabled) account stays closed to its passkey too.
        await using (var scope = panel.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>();
            Assert.True((await users.SetLockoutEndDateAsync((await users.FindByEmailAsync(bob.Email))!, DateTimeOffset.UtcNow.AddMinutes(10))).Succeeded);
        }

        var locked = await SignInWithPasskeyAsync(panel, replayer, key);
        Assert.Contains("ce compte est bloqué jusqu'à", await AccountClient.TextAsync(locked));
        Assert.Equal(HttpStatusCode.Redirect, (await replayer.Http.GetAsync("/", Ct)).StatusCode);
        Assert.Contains(await bob.EventsAsync(), e => e.Kind == SecurityEventKinds.SignInFailed && e.Detail == "account locked (passkey)");
    }

    [Fact]
    public async Task AnAdministratorWithAPasskeyButNoAuthenticatorAppIsNotSentToSetOneUp()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, Unlimited);
        using var alice = await AccountClient.CreateAsync(panel, "alice@example.org", hosterAdministrator: true);
        using var key = new SoftwareAuthenticator();
        await alice.SignInAsync();
        Assert.Equal("/account/2fa?ReturnUrl=%2F", AccountClient.Where(await alice.Http.GetAsync("/", Ct)));

        // The set-up page offers a passkey instead; the passkeys page and its options are open before two-step sign-in.
        var setUp = RunningPanel.Text(await alice.Http.GetStringAsync("/account/2fa?ReturnUrl=%2F", Ct));
        Assert.Contains("Vous pouvez aussi ajouter une clé d'accès à la place", setUp);
        var passkeys = await alice.Http.GetAsync("/account/passkeys?ReturnUrl=%2F", Ct);
        Assert.Equal(HttpStatusCode.OK, passkeys.StatusCode);
        Assert.Contains("ajoutez une clé d'accès ou activez la connexion en deux étapes", await AccountClient.TextAsync(passkeys));

        // Her first second step needs no confirmation (the confirmation page waits for one), as for the authenticator app.
        Assert.Contains("est ajoutée", await AccountClient.TextAsync(await AddPasskeyAsync(panel, alice, key, "Ordinateur")));

        // The rule is met: no more set-up page, in this session or the next.
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.GetAsync("/", Ct)).StatusCode);
        Assert.DoesNotContain("Vous êtes administrateur", RunningPanel.Text(await alice.Http.GetStringAsync("/account/2fa", Ct)));
        await alice.SignOutAsync();

        var withPasskey = await SignInWithPasskeyAsync(panel, alice, key);
        Assert.Equal("/", AccountClient.Where(withPasskey));
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.GetAsync("/", Ct)).StatusCode);
        await alice.SignOutAsync();

        // Her only second step is the passkey: the right password alone is one factor, refused.
        var passwordOnly = await alice.SignInAsync();
        Assert.Equal(HttpStatusCode.OK, passwordOnly.StatusCode);
        Assert.Contains("le mot de passe seul ne suffit pas", await AccountClient.TextAsync(passwordOnly));
        Assert.Equal(HttpStatusCode.Redirect, (await alice.Http.GetAsync("/", Ct)).StatusCode);

        var events = await alice.EventsAsync();
        Assert.Single(events, e => e.Kind == SecurityEventKinds.SignInFailed && e.Detail == "password alone: this account signs in with its passkey");
        Assert.Single(events, e => e.Kind == SecurityEventKinds.SignedIn && e.Detail == "passkey");

        // Passkey lost: root's `hostpanel admin recover` gives a new password and removes the passkeys,
        // so the password opens again (and leads to setting up a second step).
        await using (var scope = panel.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<MemberService>()
                .RecoverAdministratorAsync(Caller.Server("root"), alice.Email, "un mot de passe tout neuf", Ct);
        }

        Assert.Empty(await StoredPasskeysAsync(panel, alice));
        var recovered = await alice.SignInAsync("un mot de passe tout neuf");
        Assert.Equal(HttpStatusCode.Redirect, recovered.StatusCode);
        Assert.Equal("/account/2fa?ReturnUrl=%2F", AccountClient.Where(await alice.Http.GetAsync("/", Ct)));
    }

    [Fact]
    public async Task RemovingAPasskeyNeedsAFreshConfirmationAndEndsTheOtherSessions()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, Unlimited);
        using var bob = await AccountClient.CreateAsync(panel, "bob@example.org");
        using var key = new SoftwareAuthenticator();
        await bob.SignInFullyAsync();
        await ConfirmAsync(bob, "/account/passkeys");
        await AddPasskeyAsync(panel, bob, key, "Téléphone perdu");

        // On another computer, signed in with the passkey and not confirmed since.
        using var other = new AccountClient(panel, bob.Email, AccountClient.Password);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInWithPasskeyAsync(panel, other, key)).StatusCode);
        var remove = new Dictionary<string, string> { ["Remove.CredentialId"] = key.Id };
        var unconfirmed = await other.SendFormAsync("/account/passkeys", "passkey-remove", remove);
        Assert.Equal(HttpStatusCode.Redirect, unconfirmed.StatusCode);
        Assert.Equal("/account/confirm?ReturnUrl=%2Faccount%2Fpasskeys", AccountClient.Where(unconfirmed));
        Assert.Single(await StoredPasskeysAsync(panel, bob));

        await ConfirmAsync(other, "/account/passkeys");
        var removed = await AccountClient.TextAsync(await other.SendFormAsync("/account/passkeys", "passkey-remove", remove));
        Assert.Contains("La clé d'accès « Téléphone perdu » est retirée, et vos autres connexions sont fermées.", removed);
        Assert.Contains("Vous n'avez encore aucune clé d'accès.", removed);
        Assert.Empty(await StoredPasskeysAsync(panel, bob));

        // This session goes on; the first computer's is over; the passkey no longer signs in.
        Assert.Equal(HttpStatusCode.OK, (await other.Http.GetAsync("/", Ct)).StatusCode);
        Assert.Equal("/signin", (await bob.Http.GetAsync("/", Ct)).Headers.Location?.AbsolutePath);
        using var later = new AccountClient(panel, bob.Email, "");
        Assert.Contains("Cette clé d'accès n'a pas été acceptée.", await AccountClient.TextAsync(await SignInWithPasskeyAsync(panel, later, key)));

        var events = await bob.EventsAsync();
        Assert.Single(events, e => e.Kind == PasskeyEventKinds.PasskeyRemoved && e.Detail == "Téléphone perdu");
    }

    [Fact]
    public async Task ThePasskeyEndpointsCheckTheAntiforgeryTokenAndShareTheAccountFormsLimit()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, "--AccountFormsPerMinute", "3");
        using var bob = await AccountClient.CreateAsync(panel, "bob@example.org");

        var forged = await bob.Http.PostAsync(AccountPaths.PasskeyRequestOptions, new FormUrlEncodedContent([]), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AskOptionsAsync(bob.Http, "/signin", AccountPaths.PasskeyRequestOptions)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AskOptionsAsync(bob.Http, "/signin", AccountPaths.PasskeyRequestOptions)).StatusCode);
        var limited = await AskOptionsAsync(bob.Http, "/signin", AccountPaths.PasskeyRequestOptions);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("Attendez une minute", await AccountClient.TextAsync(limited));

        // The account forms share the same count.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await bob.SignInAsync()).StatusCode);
    }
}
