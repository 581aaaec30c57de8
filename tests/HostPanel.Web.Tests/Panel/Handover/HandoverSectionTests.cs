using Bunit;
using HostPanel.Core.Accounts;
using HostPanel.Core.Handover;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using HostPanel.Infrastructure.Data;
using HostPanel.Tests;
using HostPanel.Web.Components.Pages.Continuity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Panel.Handover;

/// <summary>The handover section of the Continuity page, in each of its states, on the real handover service and SQLite.</summary>
public sealed class HandoverSectionTests : PanelPageContext
{
    private const string Org = Organization.DefaultId;
    private const string Alice = "alice@velo.example";
    private const string Bob = "bob@velo.example";
    private const string Password = "correct horse battery staple 1";

    public HandoverSectionTests()
    {
        UseCulture("fr");

        // The recovery kit's state comes from its own feature; the section does not read it.
        Services.AddSingleton<IRecoveryKitState>(new NoKit());
    }

    private HandoverService Handovers => Get<HandoverService>();

    /// <summary>Alice administers the organization, Bob is a member; <paramref name="signedIn"/> is the one looking.</summary>
    private async Task<(Caller Alice, Caller Bob)> TwoPeopleAsync(string signedIn)
    {
        if (signedIn == Alice)
        {
            var bob = await SignInAsync(Bob, OrganizationRole.Member);
            var alice = await SignInAsync(Alice);
            return (alice, bob);
        }
        else
        {
            var alice = await SignInAsync(Alice);
            var bob = await SignInAsync(Bob, OrganizationRole.Member);
            return (alice, bob);
        }
    }

    /// <summary>Turns on two-step sign-in for <paramref name="email"/> and gives the authenticator that goes with it.</summary>
    private async Task<Authenticator> AuthenticatorAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        Assert.True((await users.ResetAuthenticatorKeyAsync(user)).Succeeded);
        var key = (await users.GetAuthenticatorKeyAsync(user))!;
        Assert.True((await users.SetTwoFactorEnabledAsync(user, true)).Succeeded);
        return new Authenticator(key);
    }

    private async Task SignedInWithTwoStepsAsync(Caller who) =>
        await Get<ISecurityEventStore>().AddAsync(new SecurityEvent(DateTimeOffset.UtcNow, SecurityEventKinds.SignedIn, who.Id, who.Name, null, SecurityEventDetails.PasswordAndAuthenticator), Ct);

    private async Task<Guid> DrillByAsync(string actor, string instance)
    {
        var journal = Get<IOperationJournal>();
        var id = Guid.CreateVersion7();
        await journal.CreateAsync(new Operation { Id = id, Instance = instance, OrganizationId = Org, Kind = OperationKind.Drill, Actor = actor, CreatedAt = DateTimeOffset.UtcNow }, [], Ct);
        await journal.SetStateAsync(id, OperationState.Succeeded, null, null, DateTimeOffset.UtcNow, Ct);
        return id;
    }

    private static string Step(IRenderedComponent<ContinuityPage> page, string step) =>
        page.Find($"#handover-steps li[data-step='{step}']").GetAttribute("data-done")!;

    [Fact]
    public async Task Without_a_handover_it_explains_it_and_starting_one_makes_the_successor_an_administrator()
    {
        await TwoPeopleAsync(signedIn: Alice);

        var page = Render<ContinuityPage>();
        page.WaitForElement("#handover-start-form");

        Assert.Contains("la passation transmet tout à quelqu'un d'autre", page.Find("#handover-intro").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#handover-last"));
        Assert.Equal(["", Alice], page.FindAll("#handover-from option").Select(o => o.GetAttribute("value")));
        Assert.Equal(["", Alice, Bob], page.FindAll("#handover-to option").Select(o => o.GetAttribute("value")));

        await page.InvokeAsync(() => page.Find("#handover-from").Change(Alice));
        await page.InvokeAsync(() => page.Find("#handover-to").Change(Bob));
        await page.InvokeAsync(() => page.Find("#handover-start-form").Submit());

        page.WaitForAssertion(() => Assert.Contains($"Passation commencée : {Alice} part, {Bob} reprend", page.Find("#handover-status").TextContent, StringComparison.Ordinal));
        var progress = await Handovers.StatusAsync(Caller.Server("test"), Org, Ct);
        Assert.True(progress!.Handover.IsOpen);
        Assert.True(progress.SuccessorIsAdministrator);
        Assert.Contains($"{Alice} part, {Bob} reprend", page.Find("#handover-open").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#handover-start-form"));
    }

    [Fact]
    public async Task Open_with_steps_missing_shows_each_step_what_is_missing_and_no_way_to_complete()
    {
        var (alice, _) = await TwoPeopleAsync(signedIn: Alice);
        await AddInstanceAsync("notes");
        await Handovers.StartAsync(alice, Org, Alice, Bob, Ct);

        var page = Render<ContinuityPage>();
        page.WaitForElement("#handover-steps");

        Assert.Equal("true", Step(page, "administrator"));
        Assert.Equal("false", Step(page, "sign-in"));
        Assert.Equal("false", Step(page, "drill"));
        Assert.Contains("Fait", page.Find("#handover-steps li[data-step='administrator']").TextContent, StringComparison.Ordinal);
        Assert.Contains("À faire", page.Find("#handover-steps li[data-step='drill']").TextContent, StringComparison.Ordinal);

        // Alice is not the successor: she reads what Bob must do, not a form for his password.
        Assert.Empty(page.FindAll("#handover-prove-form"));
        Assert.Contains("compte d'elle-même", page.Find("#handover-sign-in-others").TextContent, StringComparison.Ordinal);
        Assert.Contains("n'a pas encore activé la connexion en deux étapes", page.Find("#handover-sign-in-others").TextContent, StringComparison.Ordinal);
        Assert.Equal("/apps/notes#app-backups", page.Find("#handover-drill-apps a").GetAttribute("href"));

        var missing = page.FindAll("#handover-missing li").Select(li => li.TextContent).ToList();
        Assert.Equal(2, missing.Count);
        Assert.Contains("validation en deux étapes", missing[0], StringComparison.Ordinal);
        Assert.Contains("test de restauration", missing[1], StringComparison.Ordinal);

        // The departing person reads that completing is not hers to do.
        Assert.Contains($"C'est à la personne qui reprend ({Bob})", page.Find("#handover-not-by-departing").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#handover-complete-confirm"));
    }

    [Fact]
    public async Task Open_with_steps_missing_the_successor_cannot_complete_yet()
    {
        var (alice, _) = await TwoPeopleAsync(signedIn: Bob);
        await Handovers.StartAsync(alice, Org, Alice, Bob, Ct);
        ConfirmIdentityNow();

        var page = Render<ContinuityPage>();
        page.WaitForElement("#handover-steps");

        Assert.True(page.Find("#handover-complete").HasAttribute("disabled"));
        Assert.Contains("quand toutes les étapes sont faites", page.Find("#handover-complete-not-yet").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#handover-complete-confirm"));
        Assert.Contains("aucune application installée", page.Find("#handover-no-app").TextContent, StringComparison.Ordinal);

        // Without two-step sign-in, the successor is sent to turn it on first.
        Assert.Empty(page.FindAll("#handover-prove-form"));
        Assert.Equal("/account/2fa", page.Find("#handover-setup-2fa a").GetAttribute("href"));
    }

    [Fact]
    public async Task Open_and_ready_the_successor_completes_behind_a_fresh_identity_check_and_the_typed_address()
    {
        var (alice, bob) = await TwoPeopleAsync(signedIn: Bob);
        await AuthenticatorAsync(Bob);
        await Handovers.StartAsync(alice, Org, Alice, Bob, Ct);
        await SignedInWithTwoStepsAsync(bob);
        var drill = await DrillByAsync(Bob, "notes");

        // Not confirmed lately: the way to confirm, coming back to the section.
        var stale = Render<ContinuityPage>();
        stale.WaitForElement("#handover-steps");
        Assert.Equal("/account/confirm?ReturnUrl=" + Uri.EscapeDataString("/continuity#handover"), stale.Find("#handover-complete-confirm-reauth").GetAttribute("href"));
        Assert.Empty(stale.FindAll("#handover-complete"));

        ConfirmIdentityNow();
        var page = Render<ContinuityPage>();
        page.WaitForElement("#handover-complete-confirm");

        Assert.All(new[] { "administrator", "sign-in", "drill" }, step => Assert.Equal("true", Step(page, step)));
        Assert.Empty(page.FindAll("#handover-missing"));
        Assert.Equal($"/operations/{drill}", page.Find("#handover-drill-operation").GetAttribute("href"));
        Assert.Contains("jetons d'accès de " + Alice + " sont révoqués", page.Find("#handover-complete-explain").TextContent, StringComparison.Ordinal);
        Assert.Contains("nouveau mot de passe", page.Find("#handover-complete-explain").TextContent, StringComparison.Ordinal);
        Assert.Contains(Alice, page.Find("label[for='handover-complete-confirm']").TextContent, StringComparison.Ordinal);

        Assert.True(page.Find("#handover-complete").HasAttribute("disabled"));
        await page.InvokeAsync(() => page.Find("#handover-complete-confirm").Input("alice@"));
        Assert.True(page.Find("#handover-complete").HasAttribute("disabled"));
        await page.InvokeAsync(() => page.Find("#handover-complete-confirm").Input(Alice));
        Assert.False(page.Find("#handover-complete").HasAttribute("disabled"));

        // The click completes it for real: a new repository password, Alice removed with her account.
        await page.InvokeAsync(() => page.Find("#handover-complete").Click());

        page.WaitForAssertion(() => Assert.Contains($"Passation terminée : {Bob} administre désormais l'organisation.", page.Find("#handover-status").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.Contains($"{Alice} retiré(e) de l'organisation", page.Find("#handover-summary").TextContent, StringComparison.Ordinal);
        Assert.Null(await Get<IPeopleDirectory>().FindByEmailAsync(Alice, Ct));
        Assert.NotNull((await Handovers.StatusAsync(Caller.Server("test"), Org, Ct))!.Handover.CompletedAt);
    }

    [Fact]
    public async Task A_hoster_leaving_the_default_organization_keeps_the_hoster_role_when_the_successor_was_not_given_it()
    {
        var (alice, bob) = await TwoPeopleAsync(signedIn: Bob);
        var people = Get<IPeopleDirectory>();
        await people.SetHosterAsync(alice.Id, true, Ct);
        await AuthenticatorAsync(Bob);
        await Handovers.StartAsync(alice, Org, Alice, Bob, Ct);
        await SignedInWithTwoStepsAsync(bob);
        await DrillByAsync(Bob, "notes");
        ConfirmIdentityNow();
        var page = Render<ContinuityPage>();
        page.WaitForElement("#handover-complete-confirm");

        await page.InvokeAsync(() => page.Find("#handover-complete-confirm").Input(Alice));
        await page.InvokeAsync(() => page.Find("#handover-complete").Click());

        page.WaitForAssertion(() => Assert.Contains($"{Alice} garde le rôle d'hébergeur du serveur, que {Bob} n'a pas", page.Find("#handover-summary").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var kept = await people.FindByEmailAsync(Alice, Ct);
        Assert.True(kept!.IsHosterAdministrator);
        Assert.Null(await Get<IMembershipStore>().FindAsync(kept.Id, Org, Ct));
        Assert.DoesNotContain("autre organisation ou rôle d'hébergeur", page.Find("#handover-summary").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_successor_proves_the_sign_in_a_wrong_code_is_refused_in_words_and_the_right_one_counts()
    {
        var (alice, _) = await TwoPeopleAsync(signedIn: Bob);
        var authenticator = await AuthenticatorAsync(Bob);
        await Handovers.StartAsync(alice, Org, Alice, Bob, Ct);

        var page = Render<ContinuityPage>();
        page.WaitForElement("#handover-prove-form");
        Assert.Contains("C'est vous qui reprenez", page.Find("#handover-prove-form").TextContent, StringComparison.Ordinal);

        await page.InvokeAsync(() => page.Find("#handover-password").Change(Password));
        await page.InvokeAsync(() => page.Find("#handover-code").Change(authenticator.Stale()));
        await page.InvokeAsync(() => page.Find("#handover-prove-form").Submit());

        page.WaitForAssertion(() => Assert.Contains("n'est pas bon", page.Find("#handover-code").Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#handover-problem"));
        Assert.Equal("false", Step(page, "sign-in"));
        Assert.Null((await Handovers.StatusAsync(alice, Org, Ct))!.Handover.SignInProvenAt);
        Assert.True(string.IsNullOrEmpty(page.Find("#handover-password").GetAttribute("value")));

        await page.InvokeAsync(() => page.Find("#handover-password").Change(Password));
        await page.InvokeAsync(() => page.Find("#handover-code").Change(authenticator.Next()));
        await page.InvokeAsync(() => page.Find("#handover-prove-form").Submit());

        page.WaitForAssertion(() => Assert.Contains("C'est prouvé", page.Find("#handover-status").TextContent, StringComparison.Ordinal));
        Assert.Equal("true", Step(page, "sign-in"));
        Assert.Empty(page.FindAll("#handover-prove-form"));
        Assert.NotNull((await Handovers.StatusAsync(alice, Org, Ct))!.Handover.SignInProvenAt);
    }

    [Fact]
    public async Task A_refused_start_is_shown_next_to_the_field_at_fault()
    {
        await TwoPeopleAsync(signedIn: Alice);
        var page = Render<ContinuityPage>();
        page.WaitForElement("#handover-start-form");

        await page.InvokeAsync(() => page.Find("#handover-from").Change(Alice));
        await page.InvokeAsync(() => page.Find("#handover-to").Change(Alice));
        await page.InvokeAsync(() => page.Find("#handover-start-form").Submit());

        page.WaitForAssertion(() => Assert.Contains("deux personnes différentes", page.Find("#handover-to-problem").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#handover-problem"));
        Assert.Null(await Handovers.StatusAsync(Caller.Server("test"), Org, Ct));
    }

    [Fact]
    public async Task Cancelling_keeps_the_successor_administrator_and_offers_a_new_start()
    {
        var (alice, _) = await TwoPeopleAsync(signedIn: Alice);
        await Handovers.StartAsync(alice, Org, Alice, Bob, Ct);
        var page = Render<ContinuityPage>();
        page.WaitForElement("#handover-cancel");

        await page.InvokeAsync(() => page.Find("#handover-cancel").Click());

        page.WaitForAssertion(() => Assert.Contains($"Passation annulée. Rien n'a été renouvelé ; {Bob} reste administrateur.", page.Find("#handover-status").TextContent, StringComparison.Ordinal));
        Assert.Contains("annulée le", page.Find("#handover-last").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#handover-next"));
        page.WaitForElement("#handover-start-form");
        Assert.False((await Handovers.StatusAsync(alice, Org, Ct))!.Handover.IsOpen);
    }

    [Theory]
    [InlineData("fr", "Refaites le kit de secours", "Dernière passation")]
    [InlineData("en", "Make the recovery kit again", "Last handover")]
    public async Task Completed_it_shows_the_summary_and_the_next_steps(string culture, string kit, string last)
    {
        UseCulture(culture);
        await SignInAsync(Alice, OrganizationRole.Member);
        var bob = await SignInAsync(Bob);
        var started = DateTimeOffset.UtcNow.AddDays(-2);
        await Get<IHandoverStore>().AddAsync(new HostPanel.Core.Handover.Handover
        {
            Id = Guid.NewGuid(),
            OrganizationId = Org,
            DepartingId = "gone",
            DepartingEmail = "claire@velo.example",
            SuccessorId = bob.Id,
            SuccessorEmail = Bob,
            StartedBy = Alice,
            StartedAt = started,
            SignInProvenAt = started.AddHours(1),
            CompletedAt = started.AddDays(1),
            CompletedBy = Bob,
            Summary = "2 jeton(s) d'accès révoqué(s) ; 1 ancienne(s) clé(s) supprimée(s).",
        }, Ct);

        var page = Render<ContinuityPage>();
        page.WaitForElement("#handover-last");

        Assert.Contains(last, page.Find("#handover-last").TextContent, StringComparison.Ordinal);
        Assert.Contains("claire@velo.example → " + Bob, page.Find("#handover-last").TextContent, StringComparison.Ordinal);
        Assert.Equal("2 jeton(s) d'accès révoqué(s) ; 1 ancienne(s) clé(s) supprimée(s).", page.Find("#handover-summary").TextContent);
        Assert.Contains(kit, page.Find("#handover-next li[data-next='kit']").TextContent, StringComparison.Ordinal);
        Assert.Contains("claire@velo.example", page.Find("#handover-next li[data-next='accounts']").TextContent, StringComparison.Ordinal);
        Assert.Equal("/continuity#external-accounts", page.Find("#handover-next li[data-next='accounts'] a").GetAttribute("href"));
        Assert.Equal("/runbook", page.Find("#handover-next li[data-next='runbook'] a").GetAttribute("href"));
        Assert.Empty(page.FindAll("#handover-steps"));
    }

    [Fact]
    public async Task A_member_sees_no_handover_at_all()
    {
        var alice = await SignInAsync(Alice);
        await SignInAsync("carole@velo.example", OrganizationRole.Member);
        await SignInAsync(Bob, OrganizationRole.Member);
        await Handovers.StartAsync(alice, Org, Alice, "carole@velo.example", Ct);

        var page = Render<ContinuityPage>();

        page.WaitForElement("#continuity-not-allowed");
        Assert.Empty(page.FindAll("#handover"));
        var bob = await Get<CallerResolver>().ForPersonAsync((await Get<IPeopleDirectory>().FindByEmailAsync(Bob, Ct))!.Id, Ct);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Handovers.StatusAsync(bob!, Org, Ct));
    }

    private sealed class NoKit : IRecoveryKitState
    {
        public Task<RecoveryKitSummary?> CurrentAsync(CancellationToken ct = default) => Task.FromResult<RecoveryKitSummary?>(null);
    }
}
