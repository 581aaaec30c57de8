using Bunit;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Operations;
using HostPanel.Web.Components.Pages.Operations;
using HostPanel.Web.Panel;
using Microsoft.AspNetCore.Components;

namespace HostPanel.Web.Tests.Panel.Operations;

public sealed class OperationListTests : AppsPageContext
{
    public OperationListTests()
    {
        UseCulture("fr");
    }

    private IRenderedComponent<OperationList> RenderList(string? query = null)
    {
        Get<NavigationManager>().NavigateTo("/operations" + query);

        return Render<OperationList>();
    }

    /// <summary>Alice looks at the list of her organization, where a backup of notes is under way.</summary>
    private async Task<(AppInstance Notes, Operation Backup, IRenderedComponent<OperationList> Page)> BackupUnderWayAsync(string actor)
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var notes = await InstallAsync("notes", "velo");
        var backup = await RecordAsync(notes, OperationKind.Backup, OperationState.Running, TimeSpan.FromMinutes(1), actor: actor);
        var page = RenderList();
        page.WaitForElement($"#operation-row-{backup.Id}[data-state='running']");
        return (notes, backup, page);
    }

    private static List<string> RowIds(IRenderedComponent<OperationList> page) =>
        [.. page.FindAll("#operations-table tbody tr").Select(r => r.Id!)];

    [Fact]
    public async Task Lists_the_organizations_operations_newest_first_in_words_each_linked_to_its_page()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var notes = await InstallAsync("notes", "velo", version: "2");
        var install = await RecordAsync(notes, OperationKind.Install, OperationState.Succeeded, TimeSpan.FromDays(3), versions: (null, "1"));
        var update = await RecordAsync(notes, OperationKind.Update, OperationState.RolledBack, TimeSpan.FromDays(1), outcome: "La mise à jour de notes a échoué : l'application est revenue à la version 1.", versions: ("1", "2"));
        var backup = await RecordAsync(notes, OperationKind.Backup, OperationState.Running, TimeSpan.FromMinutes(5), actor: "schedule");
        var drill = await RecordAsync(notes, OperationKind.Drill, OperationState.Failed, TimeSpan.FromHours(3), actor: "cli:root");

        var page = RenderList();

        page.WaitForElement("#operations-table");
        Assert.Equal([$"operation-row-{backup.Id}", $"operation-row-{drill.Id}", $"operation-row-{update.Id}", $"operation-row-{install.Id}"], RowIds(page));
        var updateRow = page.Find($"#operation-row-{update.Id}");
        Assert.Contains("Mise à jour (version 1 → 2)", updateRow.TextContent);
        Assert.Contains("retour à la version précédente", updateRow.TextContent);
        Assert.Contains("l'application est revenue à la version 1", updateRow.TextContent);
        Assert.Contains("alice@velo.example", updateRow.TextContent);
        Assert.Equal($"/operations/{update.Id}", updateRow.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("Installation (version 1)", page.Find($"#operation-row-{install.Id}").TextContent);
        Assert.Contains("réussie", page.Find($"#operation-row-{install.Id}").TextContent);
        Assert.Contains("Planification automatique", page.Find($"#operation-row-{backup.Id}").TextContent);
        Assert.Contains("en cours…", page.Find($"#operation-row-{backup.Id}").TextContent);
        Assert.Contains("Vérification de restauration", page.Find($"#operation-row-{drill.Id}").TextContent);
        Assert.Contains("root (ligne de commande)", page.Find($"#operation-row-{drill.Id}").TextContent);
        Assert.Contains("échouée", page.Find($"#operation-row-{drill.Id}").TextContent);
        var when = page.Find($"#operation-row-{update.Id} time");
        Assert.Equal(PanelFormat.When(update.CreatedAt), when.TextContent);
    }

    [Fact]
    public async Task An_operation_ending_or_starting_here_is_shown_without_a_reload()
    {
        var (notes, backup, page) = await BackupUnderWayAsync("schedule");

        await Journal.SetStateAsync(backup.Id, OperationState.Succeeded, "Sauvegarde faite.", null, Now, Ct);
        Get<OperationEvents>().Publish(new OperationFinished(backup.Id, Now, OperationState.Succeeded, "Sauvegarde faite."));

        page.WaitForAssertion(() => Assert.Equal("succeeded", page.Find($"#operation-row-{backup.Id}").GetAttribute("data-state")), TimeSpan.FromSeconds(2.5));
        Assert.Contains("Sauvegarde faite.", page.Find($"#operation-row-{backup.Id}").TextContent);

        var drill = await RecordAsync(notes, OperationKind.Drill, OperationState.Running, TimeSpan.Zero);
        Get<OperationEvents>().Publish(new OperationStarted(drill.Id, Now, notes.Name, "velo", OperationKind.Drill));

        page.WaitForAssertion(() => Assert.Equal([$"operation-row-{drill.Id}", $"operation-row-{backup.Id}"], RowIds(page)), TimeSpan.FromSeconds(2.5));
    }

    [Fact]
    public async Task An_operation_run_by_another_process_is_read_again_while_one_is_under_way()
    {
        var (_, backup, page) = await BackupUnderWayAsync("cli:root");

        // As when the command line runs it: no event in this process.
        await Journal.SetStateAsync(backup.Id, OperationState.Failed, "La sauvegarde a échoué.", null, Now, Ct);

        page.WaitForAssertion(() => Assert.Equal("failed", page.Find($"#operation-row-{backup.Id}").GetAttribute("data-state")), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task The_operations_of_another_organization_are_not_listed()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var mine = await RecordAsync(await InstallAsync("notes", "velo"), OperationKind.Backup, OperationState.Succeeded, TimeSpan.FromHours(1));
        await RecordAsync(await InstallAsync("secret-notes", "edition"), OperationKind.Backup, OperationState.Succeeded, TimeSpan.FromMinutes(1));

        var page = RenderList();

        page.WaitForElement("#operations-table");
        Assert.Equal([$"operation-row-{mine.Id}"], RowIds(page));
        Assert.DoesNotContain("secret-notes", page.Markup);
    }

    [Fact]
    public async Task A_hoster_sees_the_operations_of_the_organization_the_pages_show()
    {
        await SignInAsync("root@hoster.example", role: null, hoster: true);
        var velo = await RecordAsync(await InstallAsync("notes", "velo"), OperationKind.Backup, OperationState.Succeeded, TimeSpan.FromDays(2));
        var edition = await RecordAsync(await InstallAsync("files", "edition"), OperationKind.Backup, OperationState.Succeeded, TimeSpan.FromHours(1));
        Get<PanelSession>().PreferredOrganizationId = "velo";

        var page = RenderList();

        page.WaitForElement("#operations-table");
        Assert.Equal([$"operation-row-{velo.Id}"], RowIds(page));
        Assert.DoesNotContain(edition.Id.ToString(), page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_operations_of_an_app_removed_since_can_still_be_picked()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var gone = await InstallAsync("old-wiki", "velo");
        var purge = await RecordAsync(gone, OperationKind.Purge, OperationState.Succeeded, TimeSpan.FromHours(1));
        await Get<IInstanceStore>().DeleteAsync("old-wiki", Ct);
        await RecordAsync(await InstallAsync("notes", "velo"), OperationKind.Backup, OperationState.Succeeded, TimeSpan.FromMinutes(5));

        var page = RenderList("?app=old-wiki");

        page.WaitForAssertion(() => Assert.Equal([$"operation-row-{purge.Id}"], RowIds(page)));
        Assert.Contains("Suppression définitive", page.Find($"#operation-row-{purge.Id}").TextContent);
    }

    [Fact]
    public async Task Filters_by_app_and_by_result_through_the_address()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var notes = await InstallAsync("notes", "velo");
        var files = await InstallAsync("files", "velo");
        var notesBackup = await RecordAsync(notes, OperationKind.Backup, OperationState.Succeeded, TimeSpan.FromHours(3));
        var notesFailed = await RecordAsync(notes, OperationKind.Backup, OperationState.Failed, TimeSpan.FromHours(2));
        var filesFailed = await RecordAsync(files, OperationKind.Backup, OperationState.Failed, TimeSpan.FromHours(1));

        var page = RenderList();
        page.WaitForElement("#operations-table");
        Assert.Equal(["", "files", "notes"], page.FindAll("#operations-app option").Select(o => o.GetAttribute("value")));

        await page.InvokeAsync(() => page.Find("#operations-app").Change("notes"));
        Assert.EndsWith("/operations?app=notes", Get<NavigationManager>().Uri);
        page.WaitForAssertion(() => Assert.Equal([$"operation-row-{notesFailed.Id}", $"operation-row-{notesBackup.Id}"], RowIds(page)));

        await page.InvokeAsync(() => page.Find("#operations-result").Change("failed"));
        page.WaitForAssertion(() => Assert.Equal([$"operation-row-{notesFailed.Id}"], RowIds(page)));

        await page.InvokeAsync(() => page.Find("#operations-app").Change(""));
        page.WaitForAssertion(() => Assert.Equal([$"operation-row-{filesFailed.Id}", $"operation-row-{notesFailed.Id}"], RowIds(page)));
        Assert.Equal("failed", page.Find("#operations-result option[selected]").GetAttribute("value"));
    }

    [Fact]
    public async Task A_filter_that_matches_nothing_says_so()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        await RecordAsync(await InstallAsync("notes", "velo"), OperationKind.Backup, OperationState.Succeeded, TimeSpan.FromHours(1));

        var page = RenderList("?result=rolledback");

        Assert.Contains("Aucune opération ne correspond à ces filtres.", page.WaitForElement("#operations-empty").TextContent);
    }

    [Fact]
    public async Task With_no_operation_yet_the_page_says_when_they_will_show()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");

        var page = RenderList();

        Assert.Contains("Aucune opération pour l'instant", page.WaitForElement("#operations-empty").TextContent);
        Assert.Empty(page.FindAll("#operations-table"));
    }

    [Fact]
    public async Task A_member_is_told_the_history_is_for_administrators()
    {
        await SignInAsync("bob@velo.example", OrganizationRole.Member, "velo");
        await RecordAsync(await InstallAsync("notes", "velo"), OperationKind.Backup, OperationState.Succeeded, TimeSpan.FromHours(1));

        var page = RenderList();

        Assert.Contains("réservé aux administratrices et administrateurs", page.WaitForElement("#operations-empty").TextContent);
    }

    [Fact]
    public async Task While_the_operations_are_read_the_page_says_so()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        await RecordAsync(await InstallAsync("notes", "velo"), OperationKind.Backup, OperationState.Succeeded, TimeSpan.FromHours(1));
        Journal.Hold();

        var page = RenderList();

        Assert.Contains("Lecture des opérations…", page.Find(".hp-loading").TextContent);
        Journal.Release();
        page.WaitForElement("#operations-table");
    }

    [Fact]
    public async Task A_failed_read_says_nothing_was_changed_with_the_detail_folded()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        Journal.Failure = new InvalidOperationException("database is locked");

        var page = RenderList();

        var problem = page.WaitForElement("#operations-problem");
        Assert.Contains("La liste des opérations n'a pas pu être lue.", problem.TextContent);
        Assert.Contains("Rien n'a été modifié", problem.TextContent);
        Assert.Equal("database is locked", problem.QuerySelector("details pre")!.TextContent);
    }

    [Fact]
    public async Task Speaks_English_when_asked_to()
    {
        UseCulture("en");
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var notes = await InstallAsync("notes", "velo", version: "2");
        var update = await RecordAsync(notes, OperationKind.Update, OperationState.RolledBack, TimeSpan.FromHours(1), versions: ("1", "2"));

        var page = RenderList();

        var row = page.WaitForElement($"#operation-row-{update.Id}");
        Assert.Contains("Update (version 1 → 2)", row.TextContent);
        Assert.Contains("rolled back to the previous version", row.TextContent);
        Assert.Equal("Operations", page.Find("h1").TextContent.Trim());
    }
}
