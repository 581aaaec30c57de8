using Bunit;
using HostPanel.Core.Accounts;
using HostPanel.Core.Backups;
using HostPanel.Core.Operations;
using HostPanel.Web.Components.Pages;
using HostPanel.Web.Components.Pages.Operations;
using HostPanel.Web.Components.Pages.People;
using HostPanel.Web.Components.Pages.Settings;
using HostPanel.Web.Panel;
using HostPanel.Web.Tests.Panel.AppPage;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Panel;

/// <summary>
/// The panel's pages, opened by an administrator of one organization at everything of another
/// one — its app, its operation, its people, its settings, even with the organization cookie
/// set to it: nothing is shown, nothing is named that the address did not name, and each page
/// answers as for something that does not exist.
/// </summary>
public sealed class PanelIsolationTests : AppPageContext
{
    // What the other organization holds; none of it may appear on a page of the first one.
    private static readonly string[] Foreign = ["cloud.edition.example", "zoe@edition.example", "redaction", "Édition du Rhône", "/srv/edition-backups"];

    private Operation _foreignOperation = null!;

    public PanelIsolationTests() => AddBunitPersistentComponentState();

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Get<HostPanel.Core.Organizations.IOrganizationStore>().AddAsync(new("edition", "Édition du Rhône", DateTimeOffset.UtcNow), Ct);
        var instance = await AddInstanceAsync("cloud-edition", "edition", domain: "cloud.edition.example");
        _foreignOperation = new Operation
        {
            Id = Guid.CreateVersion7(),
            Instance = instance.Name,
            OrganizationId = "edition",
            Kind = OperationKind.Backup,
            Actor = "user:zoe@edition.example",
            CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-3),
        };
        await Get<IOperationJournal>().CreateAsync(_foreignOperation, [], Ct);
        await Get<IGroupStore>().AddAsync(new Group("edition", "redaction", "La rédaction", DateTimeOffset.UtcNow), Ct);
        await Get<IBackupTargetStore>().SaveAsync(new BackupTarget("edition", "/srv/edition-backups", null, null, DateTimeOffset.UtcNow), Ct);
        var zoe = await SignInAsync("zoe@edition.example", OrganizationRole.Administrator, "edition");

        // Then the person of the first organization signs in, the cookie asking for the other one.
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        Get<PanelSession>().PreferredOrganizationId = "edition";
        Assert.NotNull(zoe);
    }

    private static void NamesNothingForeign(IRenderedComponent<IComponent> page, params string[] named)
    {
        foreach (var text in Foreign.Except(named))
        {
            Assert.DoesNotContain(text, page.Markup, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void The_dashboard_shows_the_own_organization_only()
    {
        var page = Render<Home>();
        page.WaitForElement("#app-tiles, #apps-empty", TimeSpan.FromSeconds(10));

        Assert.Empty(page.FindAll("#app-tile-cloud-edition"));
        NamesNothingForeign(page);
    }

    [Fact]
    public void The_app_page_of_another_organization_is_not_found()
    {
        var page = RenderApp("cloud-edition");

        Assert.NotNull(page.Find("#app-not-found"));
        NamesNothingForeign(page);
    }

    [Fact]
    public void An_operation_of_another_organization_is_not_found()
    {
        var page = Render<OperationPage>(p => p.Add(x => x.Id, _foreignOperation.Id));
        page.WaitForElement("#operation-not-found", TimeSpan.FromSeconds(10));

        NamesNothingForeign(page);
        Assert.DoesNotContain("cloud-edition", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void The_operations_list_filtered_on_another_organization_s_app_lists_nothing()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/operations?app=cloud-edition");
        var page = Render<OperationList>();
        page.WaitForElement("#operations-empty, #operations-table", TimeSpan.FromSeconds(10));

        Assert.Empty(page.FindAll($"#operation-row-{_foreignOperation.Id}"));
        NamesNothingForeign(page);
    }

    [Fact]
    public void The_people_page_shows_the_own_members_and_groups_only()
    {
        var page = Render<PeoplePage>();
        page.WaitForElement("#members-table", TimeSpan.FromSeconds(10));

        Assert.Contains("alice@velo.example", page.Markup, StringComparison.Ordinal);
        NamesNothingForeign(page);
    }

    [Fact]
    public void The_settings_page_shows_the_own_backup_place_only()
    {
        var page = Render<SettingsPage>();
        page.WaitForElement("#backup-target-current", TimeSpan.FromSeconds(10));

        NamesNothingForeign(page);
    }
}
