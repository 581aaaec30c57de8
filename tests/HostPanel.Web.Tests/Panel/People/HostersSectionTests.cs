using Bunit;
using HostPanel.Core.Accounts;
using HostPanel.Core.Organizations;
using HostPanel.Web.Accounts;
using HostPanel.Web.Components.Pages.People;
using MudBlazor;

namespace HostPanel.Web.Tests.Panel.People;

/// <summary>The hosters part of the People page, on the real member service, Identity and SQLite.</summary>
public sealed class HostersSectionTests : PanelPageContext
{
    private const string Alice = "alice@velo.example";
    private const string Bob = "bob@velo.example";

    public HostersSectionTests() => UseCulture("fr");

    private async Task AddMemberAsync(string email, OrganizationRole role = OrganizationRole.Member)
    {
        var person = await Get<IPeopleDirectory>().CreateAsync(email, email.Split('@')[0], "correct horse battery staple 1", Ct);
        await Get<IMembershipStore>().SaveAsync(new Membership(person.Id, Organization.DefaultId, role, DateTimeOffset.UtcNow), Ct);
    }

    /// <summary>Presses "Retirer" next to a hoster, once the list shows them.</summary>
    private static async Task ClickRemoveAsync(IRenderedComponent<PeoplePage> page, string email)
    {
        var button = $"#hosters-list li[data-hoster='{email}'] .hoster-remove";
        page.WaitForElement(button);
        await page.InvokeAsync(() => page.Find(button).Click());
    }

    /// <summary>Presses the dialog's button that reads <paramref name="answer"/>.</summary>
    private static Task AnswerAsync(IRenderedComponent<MudDialogProvider> dialogs, string answer) =>
        dialogs.InvokeAsync(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == answer).Click());

    private async Task<bool> IsHosterAsync(string email) => (await Get<IPeopleDirectory>().FindByEmailAsync(email, Ct))!.IsHosterAdministrator;

    [Fact]
    public async Task An_organization_administrator_who_is_not_a_hoster_does_not_see_the_hosters()
    {
        await SignInAsync(Alice);

        var page = Render<PeoplePage>();

        page.WaitForElement("#members-table");
        Assert.Empty(page.FindAll("#hosters-section"));
    }

    [Fact]
    public async Task A_hoster_gives_the_role_to_a_member_only_after_confirming_who_they_are_and_saying_yes()
    {
        await SignInAsync(Alice, hoster: true);
        await AddMemberAsync(Bob);
        var dialogs = Render<MudDialogProvider>();
        var page = Render<PeoplePage>();
        page.WaitForElement("#hosters-list");
        Assert.Contains("sans connexion en deux étapes", page.Find($"#hosters-list li[data-hoster='{Alice}'] .hoster-state").TextContent, StringComparison.Ordinal);
        Assert.Equal(["", Bob], page.FindAll("#hoster-add-member option").Select(o => o.GetAttribute("value")));

        // Without a fresh confirmation of identity: sent to confirm it, nothing changed.
        await page.InvokeAsync(() => page.Find("#hoster-add-member").Change(Bob));
        await page.InvokeAsync(() => page.Find("#hoster-add-submit").Click());
        page.WaitForAssertion(() => Assert.Equal(Reauthentication.ConfirmUrl("/people"), page.Find("#hosters-confirm-link").GetAttribute("href")));
        Assert.False(await IsHosterAsync(Bob));

        ConfirmIdentityNow();
        await page.InvokeAsync(() => page.Find("#hoster-add-submit").Click());
        dialogs.WaitForAssertion(() => Assert.Contains($"bob ({Bob}) pourra gérer tout le serveur", dialogs.Markup, StringComparison.Ordinal));
        await AnswerAsync(dialogs, "Donner le rôle");

        page.WaitForAssertion(() => Assert.Contains($"{Bob} est maintenant hébergeur du serveur. Cette personne n'a pas encore la connexion en deux étapes", page.Find("#hosters-status").TextContent, StringComparison.Ordinal));
        Assert.True(await IsHosterAsync(Bob));
        Assert.Equal([Alice, Bob], page.FindAll("#hosters-list li").Select(li => li.GetAttribute("data-hoster")));
        Assert.Contains("Tous les membres actifs", page.Find("#hosters-no-candidate").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_last_hoster_cannot_step_down_and_the_page_says_why()
    {
        await SignInAsync(Alice, hoster: true);
        ConfirmIdentityNow();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<PeoplePage>();

        await ClickRemoveAsync(page, Alice);
        dialogs.WaitForAssertion(() => Assert.Contains("ne pourra plus gérer le serveur", dialogs.Markup, StringComparison.Ordinal));
        await AnswerAsync(dialogs, "Retirer le rôle");

        page.WaitForAssertion(() => Assert.Contains("est le seul compte hébergeur actif", page.Find("#hosters-problem").TextContent, StringComparison.Ordinal));
        Assert.Contains("Rien n'a été changé", page.Find("#hosters-problem").TextContent, StringComparison.Ordinal);
        Assert.True(await IsHosterAsync(Alice));
    }

    [Fact]
    public async Task A_hoster_takes_the_role_from_another_who_then_no_longer_manages_the_server()
    {
        await SignInAsync(Alice, hoster: true);
        await AddMemberAsync(Bob, OrganizationRole.Administrator);
        var bob = await Get<IPeopleDirectory>().FindByEmailAsync(Bob, Ct);
        await Get<IPeopleDirectory>().SetHosterAsync(bob!.Id, true, Ct);
        ConfirmIdentityNow();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<PeoplePage>();

        await ClickRemoveAsync(page, Bob);
        await dialogs.InvokeAsync(() => dialogs.WaitForElement(".mud-dialog"));
        await AnswerAsync(dialogs, "Retirer le rôle");

        page.WaitForAssertion(() => Assert.Contains($"{Bob} n'est plus hébergeur du serveur.", page.Find("#hosters-status").TextContent, StringComparison.Ordinal));
        Assert.False(await IsHosterAsync(Bob));
        Assert.Equal([Alice], page.FindAll("#hosters-list li").Select(li => li.GetAttribute("data-hoster")));
        Assert.False((await Get<CallerResolver>().ForPersonAsync(bob.Id, Ct))!.IsHosterAdministrator);
    }

    [Fact]
    public async Task Taking_the_role_from_a_hoster_without_an_organization_says_first_that_the_account_goes_with_it()
    {
        const string Host = "host@hebergeur.example";
        await SignInAsync(Alice, hoster: true);
        var host = await Get<IPeopleDirectory>().CreateAsync(Host, "host", "correct horse battery staple 1", Ct);
        await Get<IPeopleDirectory>().SetHosterAsync(host.Id, true, Ct);
        ConfirmIdentityNow();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<PeoplePage>();

        // Said before anything changes; cancelling keeps both the role and the account.
        await ClickRemoveAsync(page, Host);
        dialogs.WaitForAssertion(() => Assert.Contains("n'est membre d'aucune organisation", dialogs.Markup, StringComparison.Ordinal));
        Assert.Contains("il sera donc supprimé", dialogs.Markup, StringComparison.Ordinal);
        await AnswerAsync(dialogs, "Annuler");
        Assert.True(await IsHosterAsync(Host));

        await ClickRemoveAsync(page, Host);
        await dialogs.InvokeAsync(() => dialogs.WaitForElement(".mud-dialog"));
        await AnswerAsync(dialogs, "Retirer le rôle et supprimer le compte");

        page.WaitForAssertion(() => Assert.Contains($"{Host} n'est plus hébergeur du serveur, et son compte, qui n'appartenait à aucune organisation, a été supprimé.", page.Find("#hosters-status").TextContent, StringComparison.Ordinal));
        Assert.Null(await Get<IPeopleDirectory>().FindByEmailAsync(Host, Ct));
        Assert.Equal([Alice], page.FindAll("#hosters-list li").Select(li => li.GetAttribute("data-hoster")));
    }
}
