using System.Globalization;
using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Organizations;
using HostPanel.Web.Accounts;
using HostPanel.Web.Components.Pages.People;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace HostPanel.Web.Tests.Panel.People;

public sealed class PeoplePageTests : PanelPageContext
{
    private const string Org = Organization.DefaultId;

    public PeoplePageTests() => UseCulture("fr");

    [Fact]
    public async Task A_member_is_told_plainly_that_only_administrators_manage_people()
    {
        await SignInAsync("bob@velo.example", OrganizationRole.Member);

        var page = Render<PeoplePage>();

        page.WaitForAssertion(() => Assert.Contains("Seuls les administrateurs de l'organisation", page.Find("#people-not-allowed").TextContent));
        Assert.Empty(page.FindAll("#members-table"));
        Assert.Empty(page.FindAll("#invite-form"));
    }

    [Fact]
    public async Task An_administrator_sees_the_members_with_their_role_groups_and_state()
    {
        var admin = await SignInAsync("alice@velo.example");
        await AddMemberAsync("bob@velo.example", OrganizationRole.Member);
        await Get<MemberService>().AddGroupAsync(admin, Org, "bureau", "Le bureau", Ct);
        await Get<MemberService>().ChangeGroupMembersAsync(admin, Org, "bureau", ["bob@velo.example"], [], Ct);
        await Get<MemberService>().SuspendAsync(admin, Org, "bob@velo.example", true, Ct);

        var page = Render<PeoplePage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#members-table tbody tr").Count));
        var alice = page.Find("tr[data-member='alice@velo.example']");
        Assert.Equal("administrateur", alice.QuerySelector(".member-role")!.TextContent);
        Assert.Equal("actif", alice.QuerySelector(".member-state")!.TextContent);
        Assert.Equal("désactivée", alice.QuerySelector(".member-2fa")!.TextContent);
        var bob = page.Find("tr[data-member='bob@velo.example']");
        Assert.Equal("membre", bob.QuerySelector(".member-role")!.TextContent);
        Assert.Equal("bureau", bob.QuerySelector(".member-groups")!.TextContent);
        Assert.Equal("suspendu", bob.QuerySelector(".member-state")!.TextContent);
        Assert.Contains("Réactiver", bob.QuerySelector(".member-suspend")!.TextContent);
    }

    [Fact]
    public async Task An_invitation_without_mail_shows_its_link_once_and_the_pending_list_never_holds_it()
    {
        var admin = await SignInAsync("alice@velo.example");
        await Get<MemberService>().AddGroupAsync(admin, Org, "benevoles", null, Ct);
        var page = Render<PeoplePage>();
        page.WaitForElement("#invite-form");

        await page.InvokeAsync(() => page.Find("#invite-email").Change("carole@velo.example"));
        await page.InvokeAsync(() => page.Find("#invite-role").Change("admin"));
        await page.InvokeAsync(() => page.Find("#invite-group-benevoles").Change(true));
        await page.InvokeAsync(() => page.Find("#invite-form").Submit());

        var link = page.WaitForElement("#invite-link").GetAttribute("value")!;
        Assert.StartsWith("http://localhost/invitation/", link, StringComparison.Ordinal);
        var secret = link[(link.LastIndexOf('/') + 1)..];
        Assert.Contains("Aucun serveur d'e-mail n'est configuré", page.Find("#invite-result").TextContent);
        page.WaitForAssertion(() => Assert.Contains("carole@velo.example", page.Find("#invitations-list").TextContent));
        Assert.DoesNotContain(secret, page.Find("#invitations-list").OuterHtml, StringComparison.Ordinal);
        var pending = Assert.Single(await Get<MemberService>().InvitationsAsync(admin, Org, Ct));
        Assert.Equal(OrganizationRole.Administrator, pending.Role);
        Assert.Equal(["benevoles"], pending.Groups);

        await page.InvokeAsync(() => page.Find("#invite-link-done").Click());
        Assert.DoesNotContain(secret, page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#invite-link"));

        var again = Render<PeoplePage>();
        again.WaitForElement("#invitations-list");
        Assert.DoesNotContain(secret, again.Markup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fr", "« Bad Name » ne convient pas comme nom de groupe")]
    [InlineData("en", "\"Bad Name\" does not fit as a group name")]
    public async Task A_bad_group_name_is_refused_next_to_the_field_in_the_person_s_language(string culture, string expected)
    {
        UseCulture(culture);
        await SignInAsync("alice@velo.example");
        var page = Render<PeoplePage>();
        page.WaitForElement("#group-add-form");

        await page.InvokeAsync(() => page.Find("#group-name").Change("Bad Name"));
        await page.InvokeAsync(() => page.Find("#group-add-form").Submit());

        page.WaitForAssertion(() => Assert.Contains(expected, page.Find("#group-name").Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#groups-problem"));
        Assert.Empty(await Get<MemberService>().GroupsAsync(await Get<HostPanel.Web.Panel.PanelSession>().CallerAsync(Ct), Org, Ct));
    }

    [Fact]
    public async Task A_group_is_created_and_a_member_added_to_it()
    {
        var admin = await SignInAsync("alice@velo.example");
        await AddMemberAsync("bob@velo.example", OrganizationRole.Member);
        var page = Render<PeoplePage>();
        page.WaitForElement("#group-add-form");

        await page.InvokeAsync(() => page.Find("#group-name").Change("bureau"));
        await page.InvokeAsync(() => page.Find("#group-description").Change("Les membres du bureau"));
        await page.InvokeAsync(() => page.Find("#group-add-form").Submit());
        page.WaitForElement("#group-bureau");
        await page.InvokeAsync(() => page.Find("#group-add-member-bureau").Change("bob@velo.example"));
        await page.InvokeAsync(() => page.Find("#group-add-member-submit-bureau").Click());

        page.WaitForAssertion(() => Assert.Contains("bob@velo.example", page.Find("#group-bureau ul").TextContent));
        var (group, members) = Assert.Single(await Get<MemberService>().GroupsAsync(admin, Org, Ct));
        Assert.Equal("Les membres du bureau", group.Description);
        Assert.Equal(["bob@velo.example"], members);
    }

    [Fact]
    public async Task Demoting_an_administrator_first_asks_the_person_to_confirm_their_identity()
    {
        await SignInAsync("alice@velo.example");
        await AddMemberAsync("dora@velo.example", OrganizationRole.Administrator);
        var page = Render<PeoplePage>();

        page.WaitForElement("tr[data-member='dora@velo.example'] .member-role-change");
        await page.InvokeAsync(() => page.Find("tr[data-member='dora@velo.example'] .member-role-change").Click());

        var link = page.WaitForElement("#members-confirm-link");
        Assert.Equal(Reauthentication.ConfirmUrl("/people"), link.GetAttribute("href"));
        Assert.Contains("dora@velo.example", page.Find("#members-confirm").TextContent);
        Assert.Equal(OrganizationRole.Administrator, (await MembershipAsync("dora@velo.example")).Role);
    }

    [Fact]
    public async Task The_last_administrator_cannot_be_demoted_and_the_page_says_why()
    {
        await SignInAsync("alice@velo.example");
        ConfirmIdentityNow();
        var page = Render<PeoplePage>();

        page.WaitForElement("tr[data-member='alice@velo.example'] .member-role-change");
        await page.InvokeAsync(() => page.Find("tr[data-member='alice@velo.example'] .member-role-change").Click());

        page.WaitForAssertion(() => Assert.Contains("C'est le dernier administrateur de l'organisation", page.Find("#members-problem").TextContent));
        Assert.Contains("Rien n'a été changé.", page.Find("#members-problem").TextContent);
        Assert.Empty(page.FindAll("#members-confirm"));
        Assert.Equal(OrganizationRole.Administrator, (await MembershipAsync("alice@velo.example")).Role);
    }

    [Fact]
    public async Task With_a_fresh_confirmation_another_administrator_is_demoted()
    {
        await SignInAsync("alice@velo.example");
        await AddMemberAsync("dora@velo.example", OrganizationRole.Administrator);
        ConfirmIdentityNow();
        var page = Render<PeoplePage>();

        page.WaitForElement("tr[data-member='dora@velo.example'] .member-role-change");
        await page.InvokeAsync(() => page.Find("tr[data-member='dora@velo.example'] .member-role-change").Click());

        page.WaitForAssertion(() => Assert.Contains("dora@velo.example est maintenant membre.", page.Find("#members-status").TextContent));
        Assert.Equal(OrganizationRole.Member, (await MembershipAsync("dora@velo.example")).Role);
        Assert.Equal("membre", page.Find("tr[data-member='dora@velo.example'] .member-role").TextContent);
    }

    [Fact]
    public async Task Removing_a_member_asks_first_and_cancelling_keeps_them()
    {
        await SignInAsync("alice@velo.example");
        await AddMemberAsync("bob@velo.example", OrganizationRole.Member);
        var dialogs = Render<MudDialogProvider>();
        var page = Render<PeoplePage>();

        page.WaitForElement("tr[data-member='bob@velo.example'] .member-remove");
        await page.InvokeAsync(() => page.Find("tr[data-member='bob@velo.example'] .member-remove").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("Retirer bob (bob@velo.example)", dialogs.Markup));
        await dialogs.InvokeAsync(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Annuler").Click());
        Assert.NotNull(await MembershipOrNullAsync("bob@velo.example"));

        await page.InvokeAsync(() => page.Find("tr[data-member='bob@velo.example'] .member-remove").Click());
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Oui, retirer").Click());

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("tr[data-member='bob@velo.example']")));
        Assert.Null(await MembershipOrNullAsync("bob@velo.example"));
    }

    [Fact]
    public async Task App_access_set_to_a_group_is_what_the_service_then_says()
    {
        var admin = await SignInAsync("alice@velo.example");
        await Get<MemberService>().AddGroupAsync(admin, Org, "bureau", null, Ct);
        await Get<MemberService>().AddGroupAsync(admin, Org, "benevoles", null, Ct);
        await AddAppAsync("cloud");
        var page = Render<PeoplePage>();
        page.WaitForAssertion(() => Assert.Contains("tous les membres", page.Find("#app-access-cloud .app-access-current").TextContent));

        // Each find and its event in one dispatch: the page may render again in between (it refreshes itself).
        await page.InvokeAsync(() => page.Find("#access-groups-cloud").Change(true));
        await page.InvokeAsync(() => page.Find("#access-group-cloud-bureau").Change(true));
        await page.InvokeAsync(() => page.Find("#access-save-cloud").Click());

        page.WaitForAssertion(() => Assert.Contains("seulement les groupes bureau", page.Find("#app-access-cloud .app-access-current").TextContent));
        Assert.Equal(["bureau"], await Get<MemberService>().AppAccessAsync(admin, "cloud", Ct));

        await page.InvokeAsync(() => page.Find("#access-all-cloud").Change(true));
        await page.InvokeAsync(() => page.Find("#access-save-cloud").Click());

        page.WaitForAssertion(() => Assert.Contains("tous les membres", page.Find("#app-access-cloud .app-access-current").TextContent));
        Assert.Null(await Get<MemberService>().AppAccessAsync(admin, "cloud", Ct));
    }

    [Fact]
    public async Task The_page_speaks_english_when_asked_to()
    {
        UseCulture("en");
        await SignInAsync("alice@velo.example");

        var page = Render<PeoplePage>();

        page.WaitForAssertion(() => Assert.Equal("Members and groups", page.Find("h1").TextContent.Trim()));
        Assert.Equal("administrator", page.Find("tr[data-member='alice@velo.example'] .member-role").TextContent);
        Assert.Contains("No pending invitations.", page.Find("#invitations-empty").TextContent);
    }

    private async Task AddMemberAsync(string email, OrganizationRole role)
    {
        var person = await Get<IPeopleDirectory>().CreateAsync(email, email.Split('@')[0], "correct horse battery staple 1", Ct);
        await Get<IMembershipStore>().SaveAsync(new Membership(person.Id, Org, role, DateTimeOffset.UtcNow), Ct);
    }

    private async Task<Membership?> MembershipOrNullAsync(string email)
    {
        var person = await Get<IPeopleDirectory>().FindByEmailAsync(email, Ct);
        return person is null ? null : await Get<IMembershipStore>().FindAsync(person.Id, Org, Ct);
    }

    private async Task<Membership> MembershipAsync(string email) =>
        await MembershipOrNullAsync(email) ?? throw new InvalidOperationException($"{email} is not a member.");

    private Task AddAppAsync(string name) =>
        Get<IInstanceStore>().AddAsync(new AppInstance
        {
            Name = name,
            OrganizationId = Org,
            AppId = "whoami",
            Version = "1.0.0",
            State = InstanceState.Running,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        }, Ct);
}
