using Bunit;
using HostPanel.Core.Accounts;
using HostPanel.Core.Handover;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using HostPanel.Infrastructure.Data;
using HostPanel.Web.Components.Pages;
using HostPanel.Web.Components.Pages.Continuity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace HostPanel.Web.Tests.Panel.Continuity;

/// <summary>The Continuity page at /continuity and the dashboard's continuity alert, on real services and SQLite.</summary>
public sealed class ContinuityPageTests : PanelPageContext
{
    private const string Org = Organization.DefaultId;

    private readonly KitState _kit = new();

    public ContinuityPageTests()
    {
        UseCulture("fr");

        // The recovery kit's state comes from its own feature; here a stand-in with a kit that raises nothing.
        _kit.Current = new RecoveryKitSummary(Guid.NewGuid(), DateTimeOffset.UtcNow, 2, ["Alice", "Bob", "Carole"], true, null);
        Services.AddSingleton<IRecoveryKitState>(_kit);
    }

    private ExternalAccountService Accounts => Get<ExternalAccountService>();

    /// <summary>Alice, administrator with two-step sign-in, and Bob, a second one: nothing raised about people.</summary>
    private async Task<Caller> SafeOrganizationAsync()
    {
        var alice = await SignInAsync("alice@velo.example");
        await TwoFactorAsync("alice@velo.example");
        await AddAdministratorAsync("bob@velo.example");
        return alice;
    }

    private async Task AddAdministratorAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>();
        var user = new HostPanelUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email.Split('@')[0], CreatedAt = DateTimeOffset.UtcNow, TwoFactorEnabled = true };
        Assert.True((await users.CreateAsync(user, "correct horse battery staple 1")).Succeeded);
        await Get<IMembershipStore>().SaveAsync(new Membership(user.Id, Org, OrganizationRole.Administrator, DateTimeOffset.UtcNow), Ct);
    }

    private async Task TwoFactorAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>();
        Assert.True((await users.SetTwoFactorEnabledAsync((await users.FindByEmailAsync(email))!, true)).Succeeded);
    }

    private async Task DrillAsync(string instance, TimeSpan ago)
    {
        var journal = Get<IOperationJournal>();
        var id = Guid.CreateVersion7();
        await journal.CreateAsync(new Operation { Id = id, Instance = instance, OrganizationId = Org, Kind = OperationKind.Drill, Actor = "schedule", CreatedAt = DateTimeOffset.UtcNow - ago }, [], Ct);
        await journal.SetStateAsync(id, OperationState.Succeeded, null, null, DateTimeOffset.UtcNow - ago, Ct);
    }

    private static ExternalAccountInput Registrar(params string[] holders) =>
        new("Nom de domaine velo-lyon.fr", "Gandi", "https://admin.gandi.net/", holders, "Renouvellement en mars.");

    [Fact]
    public async Task A_member_is_told_plainly_that_only_administrators_see_continuity()
    {
        await SignInAsync("bob@velo.example", OrganizationRole.Member);

        var page = Render<ContinuityPage>();

        page.WaitForAssertion(() => Assert.Contains("Seuls les administrateurs", page.Find("#continuity-not-allowed").TextContent));
        Assert.Empty(page.FindAll("#checks-section"));
        Assert.Empty(page.FindAll("#account-form"));
    }

    [Fact]
    public async Task With_nothing_raised_and_no_account_the_page_says_so()
    {
        await SafeOrganizationAsync();

        var page = Render<ContinuityPage>();

        page.WaitForAssertion(() => Assert.Contains("Aucun point d'attention", page.Find("#checks-none").TextContent));
        Assert.Empty(page.FindAll("#checks-list"));
        Assert.Contains("Commencez par le nom de domaine", page.Find("#accounts-none").TextContent);
        Assert.Empty(page.FindAll("#accounts-table"));
    }

    [Fact]
    public async Task Several_raised_checks_each_say_what_is_wrong_what_to_do_and_link_where_it_is_fixed()
    {
        var alice = await SignInAsync("alice@velo.example");
        await AddInstanceAsync("notes");
        await Accounts.AddAsync(alice, Org, Registrar("Alice"), Ct);
        _kit.Current = null;

        var page = Render<ContinuityPage>();

        page.WaitForElement("#checks-list");
        Assert.Contains("Points d'attention : 5.", page.Find("#checks-count").TextContent);
        var checks = page.FindAll("#checks-list li").Select(li => li.GetAttribute("data-check")).ToList();
        Assert.Equal(
            ["NoRecoveryKit", "SingleAdministrator", "AdministratorWithoutTwoFactor", "ExternalAccountSingleHolder", "NoRecentRestoreProof"],
            checks);

        var single = page.Find("li[data-check='SingleAdministrator']");
        Assert.Contains("Une seule personne administratrice", single.TextContent);
        Assert.Contains("alice@velo.example", single.QuerySelector(".hp-finding-problem")!.TextContent);
        Assert.Contains("À faire :", single.QuerySelector(".hp-finding-fix")!.TextContent);
        Assert.Equal("/people", single.QuerySelector("a")!.GetAttribute("href"));

        Assert.Equal("/account/2fa", page.Find("li[data-check='AdministratorWithoutTwoFactor'] a").GetAttribute("href"));
        Assert.Equal("/apps/notes", page.Find("li[data-check='NoRecentRestoreProof'] a").GetAttribute("href"));
        Assert.Equal("/continuity#external-accounts", page.Find("li[data-check='ExternalAccountSingleHolder'] a").GetAttribute("href"));
        var kit = page.Find("li[data-check='NoRecoveryKit']");
        Assert.Contains("Tout le serveur", kit.TextContent);
        Assert.Empty(kit.QuerySelectorAll("a"));
    }

    [Fact]
    public async Task A_restore_proven_last_week_is_not_raised()
    {
        await SafeOrganizationAsync();
        await AddInstanceAsync("notes");
        await DrillAsync("notes", TimeSpan.FromDays(7));

        var page = Render<ContinuityPage>();

        page.WaitForElement("#checks-none");
    }

    [Fact]
    public async Task A_lone_hoster_is_raised_with_a_link_to_the_hosters_and_cleared_once_a_second_one_has_the_role()
    {
        var alice = await SignInAsync("alice@velo.example", hoster: true);
        await TwoFactorAsync("alice@velo.example");
        await AddAdministratorAsync("bob@velo.example");

        var page = Render<ContinuityPage>();

        page.WaitForElement("#checks-list");
        var lone = page.Find("li[data-check='SingleAdministrator'][data-subject='alice@velo.example']");
        Assert.Contains("un seul compte hébergeur", lone.TextContent, StringComparison.Ordinal);
        Assert.Contains("section Hébergeurs", lone.QuerySelector(".hp-finding-fix")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("/people#hosters-section", lone.QuerySelector("a")!.GetAttribute("href"));

        await Get<MemberService>().SetHostingAsync(alice, "bob@velo.example", true, Ct);
        var after = Render<ContinuityPage>();

        after.WaitForElement("#checks-none");
    }

    [Fact]
    public async Task The_accounts_are_listed_with_their_holders_and_the_single_holder_ones_flagged()
    {
        var alice = await SafeOrganizationAsync();
        var registrar = await Accounts.AddAsync(alice, Org, Registrar("Alice Martin", "bob@velo.example"), Ct);
        var server = await Accounts.AddAsync(alice, Org, new ExternalAccountInput("Serveur loué", "OVHcloud", null, ["Alice Martin"], null), Ct);

        var page = Render<ContinuityPage>();

        page.WaitForElement("#accounts-table");
        Assert.Equal(2, page.FindAll("#accounts-table tbody tr").Count);
        var row = page.Find($"tr[data-account='{registrar.Id}']");
        Assert.Equal("Nom de domaine velo-lyon.fr", row.QuerySelector(".account-purpose")!.TextContent);
        Assert.Equal("https://admin.gandi.net/", row.QuerySelector(".account-provider a")!.GetAttribute("href"));
        Assert.Equal("Alice Martin, bob@velo.example", row.QuerySelector(".account-holders")!.TextContent.Trim());
        Assert.Empty(row.QuerySelectorAll(".account-single-holder"));
        Assert.Contains("une seule personne", page.Find($"tr[data-account='{server.Id}'] .account-single-holder").TextContent);
        Assert.Equal("Serveur loué", page.Find("li[data-check='ExternalAccountSingleHolder']").GetAttribute("data-subject"));
    }

    [Fact]
    public async Task An_account_is_noted_through_the_form_then_changed_and_the_check_follows()
    {
        var alice = await SafeOrganizationAsync();
        var page = Render<ContinuityPage>();
        page.WaitForElement("#account-form");

        await page.InvokeAsync(() => page.Find("#account-purpose").Change("Relais e-mail"));
        await page.InvokeAsync(() => page.Find("#account-provider").Change("Brevo"));
        await page.InvokeAsync(() => page.Find("#account-holders").Change("Alice\n  alice \n"));
        await page.InvokeAsync(() => page.Find("#account-form").Submit());

        page.WaitForAssertion(() => Assert.Contains("Le compte « Relais e-mail » est noté.", page.Find("#accounts-status").TextContent));
        var account = Assert.Single(await Accounts.ListAsync(alice, Org, Ct));
        Assert.Equal(["Alice"], account.Holders);
        page.WaitForElement("li[data-check='ExternalAccountSingleHolder']");

        await page.InvokeAsync(() => page.Find($"tr[data-account='{account.Id}'] .account-edit").Click());
        Assert.Contains("Modifier « Relais e-mail »", page.Find("#account-form-heading").TextContent);
        Assert.Equal("Brevo", page.Find("#account-provider").GetAttribute("value"));
        await page.InvokeAsync(() => page.Find("#account-holders").Change("Alice\nBob"));
        await page.InvokeAsync(() => page.Find("#account-form").Submit());

        page.WaitForAssertion(() => Assert.Contains("est enregistré", page.Find("#accounts-status").TextContent));
        Assert.Equal(["Alice", "Bob"], Assert.Single(await Accounts.ListAsync(alice, Org, Ct)).Holders);
        page.WaitForElement("#checks-none");
    }

    [Theory]
    [InlineData("fr", "n'est pas une adresse de connexion")]
    [InlineData("en", "is not a sign-in address")]
    public async Task A_refused_field_is_shown_next_to_it_in_the_person_s_language(string culture, string expected)
    {
        UseCulture(culture);
        var alice = await SafeOrganizationAsync();
        var page = Render<ContinuityPage>();
        page.WaitForElement("#account-form");

        await page.InvokeAsync(() => page.Find("#account-purpose").Change("Nom de domaine"));
        await page.InvokeAsync(() => page.Find("#account-provider").Change("Gandi"));
        await page.InvokeAsync(() => page.Find("#account-signin").Change("gandi point net"));
        await page.InvokeAsync(() => page.Find("#account-holders").Change("Alice\nBob"));
        await page.InvokeAsync(() => page.Find("#account-form").Submit());

        page.WaitForAssertion(() => Assert.Contains(expected, page.Find("#account-signin").Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#accounts-problem"));
        Assert.DoesNotContain(expected, page.Find("#account-holders").Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(await Accounts.ListAsync(alice, Org, Ct));
    }

    [Fact]
    public async Task A_password_in_the_notes_is_refused_next_to_the_notes()
    {
        var alice = await SafeOrganizationAsync();
        var page = Render<ContinuityPage>();
        page.WaitForElement("#account-form");

        await page.InvokeAsync(() => page.Find("#account-purpose").Change("Serveur loué"));
        await page.InvokeAsync(() => page.Find("#account-provider").Change("OVHcloud"));
        await page.InvokeAsync(() => page.Find("#account-holders").Change("Alice, Bob"));
        await page.InvokeAsync(() => page.Find("#account-notes").Change("mot de passe : Velo2024!"));
        await page.InvokeAsync(() => page.Find("#account-form").Submit());

        page.WaitForAssertion(() => Assert.Contains("semblent contenir un mot de passe", page.Find("#account-notes").Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal));
        Assert.Empty(await Accounts.ListAsync(alice, Org, Ct));
    }

    [Fact]
    public async Task Removing_an_account_asks_first()
    {
        var alice = await SafeOrganizationAsync();
        var account = await Accounts.AddAsync(alice, Org, Registrar("Alice", "Bob"), Ct);
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ContinuityPage>();

        page.WaitForElement($"tr[data-account='{account.Id}'] .account-remove").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("ne figurera plus dans la liste", dialogs.Markup));
        await dialogs.InvokeAsync(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Garder").Click());
        Assert.Single(await Accounts.ListAsync(alice, Org, Ct));

        await page.InvokeAsync(() => page.Find($"tr[data-account='{account.Id}'] .account-remove").Click());
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Retirer").Click());

        page.WaitForElement("#accounts-none");
        Assert.Empty(await Accounts.ListAsync(alice, Org, Ct));
    }

    [Fact]
    public async Task The_page_speaks_english_too()
    {
        UseCulture("en");
        await SignInAsync("alice@velo.example");
        _kit.Current = null;

        var page = Render<ContinuityPage>();

        page.WaitForElement("#checks-list");
        Assert.Equal("Continuity", page.Find("h1").TextContent);
        Assert.Contains("No recovery kit was handed out", page.Find("li[data-check='NoRecoveryKit']").TextContent);
        Assert.Contains("What to do:", page.Find("li[data-check='SingleAdministrator']").TextContent);
        Assert.Contains("Open the People page", page.Find("li[data-check='SingleAdministrator'] a").TextContent);
        Assert.Contains("Start with the domain name", page.Find("#accounts-none").TextContent);
    }

    [Fact]
    public async Task The_dashboard_shows_administrators_the_count_the_first_checks_and_the_way_to_the_page()
    {
        await SignInAsync("alice@velo.example");
        _kit.Current = null;

        var page = Render<Home>();

        var alert = page.WaitForElement("#continuity-alert");
        Assert.Contains(": 3.", page.Find("#continuity-alert-count").TextContent);
        Assert.Equal(3, alert.QuerySelectorAll("li").Length);
        Assert.Contains("Aucun kit de secours", alert.QuerySelectorAll("li")[0].TextContent);
        Assert.Empty(page.FindAll("#continuity-alert-more"));
        Assert.Equal("/continuity", page.Find("#continuity-alert-link").GetAttribute("href"));
    }

    [Fact]
    public async Task The_dashboard_names_only_the_first_three_and_counts_the_rest()
    {
        await SignInAsync("alice@velo.example");
        await AddInstanceAsync("notes");
        await AddInstanceAsync("wiki");
        _kit.Current = null;

        var page = Render<Home>();

        var alert = page.WaitForElement("#continuity-alert");
        Assert.Contains(": 5.", page.Find("#continuity-alert-count").TextContent);
        Assert.Equal(3, alert.QuerySelectorAll("li").Length);
        Assert.Contains("Et 2 de plus.", page.Find("#continuity-alert-more").TextContent);
    }

    [Fact]
    public async Task The_dashboard_says_nothing_about_continuity_when_nothing_is_raised_or_to_a_member()
    {
        await SafeOrganizationAsync();
        var quiet = Render<Home>();
        quiet.WaitForElement("#server-facts");
        Assert.Empty(quiet.FindAll("#continuity-alert"));
    }

    [Fact]
    public async Task The_dashboard_says_nothing_about_continuity_to_a_member()
    {
        await SignInAsync("bob@velo.example", OrganizationRole.Member);
        _kit.Current = null;

        var page = Render<Home>();

        page.WaitForElement("#server-facts");
        Assert.Empty(page.FindAll("#continuity-alert"));
    }

    private sealed class KitState : IRecoveryKitState
    {
        public RecoveryKitSummary? Current { get; set; }

        public Task<RecoveryKitSummary?> CurrentAsync(CancellationToken ct = default) => Task.FromResult(Current);
    }
}
