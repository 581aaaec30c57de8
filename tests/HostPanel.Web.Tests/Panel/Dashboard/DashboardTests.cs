using Bunit;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Certificates;
using HostPanel.Core.Domains;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using HostPanel.Web.Components.Pages;
using HostPanel.Web.Tests.Panel.Operations;

namespace HostPanel.Web.Tests.Panel.Dashboard;

/// <summary>The dashboard at "/", on the test catalog 2 (which offers Notes version 2).</summary>
public sealed class DashboardTests : AppsPageContext
{
    public DashboardTests()
        : base(catalogVersion: 2)
    {
        UseCulture("fr");
    }

    private IRenderedComponent<Home> RenderWithTile(string instance)
    {
        var page = Render<Home>();
        page.WaitForElement($"#app-tile-{instance}");
        return page;
    }

    private static string Tile(IRenderedComponent<Home> page, string instance) => page.Find($"#app-tile-{instance}").TextContent;

    private async Task CertificateAsync(string domain, string organization, string instance, DateTimeOffset notAfter)
    {
        await Get<IDomainStore>().SaveAsync(new DomainRecord(domain, organization, instance, ChallengeKind.Http01, Now), Ct);
        await Get<ICertificateStore>().SaveAsync(new CertificateRecord { Domain = domain, NotBefore = notAfter.AddDays(-90), NotAfter = notAfter }, Ct);
    }

    [Fact]
    public async Task A_healthy_app_is_running_with_its_address_version_backup_proven_restore_and_certificate()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var notes = await InstallAsync("notes", "velo", version: "2", domain: "notes.velo.example");
        Engine.Add("notes", "web");
        await RecordAsync(notes, OperationKind.Backup, OperationState.Succeeded, TimeSpan.FromHours(5));
        await RecordAsync(notes, OperationKind.Drill, OperationState.Succeeded, TimeSpan.FromDays(3));
        await CertificateAsync("notes.velo.example", "velo", "notes", Now.AddDays(60));

        var page = RenderWithTile("notes");

        var tile = page.Find("#app-tile-notes");
        Assert.Contains("En marche", tile.TextContent);
        Assert.Equal("running", tile.GetAttribute("data-status"));
        Assert.Equal("https://notes.velo.example/", tile.QuerySelector(".hp-tile-address a")!.GetAttribute("href"));
        Assert.Equal("/apps/notes", tile.QuerySelector(".hp-tile-name a")!.GetAttribute("href"));
        Assert.Contains("Notes", tile.TextContent);
        Assert.Contains("Version 2", tile.TextContent);
        Assert.Contains("Dernière sauvegarde :", tile.TextContent);
        Assert.Contains("Restauration vérifiée le", tile.TextContent);
        Assert.Contains("Certificat (HTTPS) valable jusqu'au", tile.TextContent);
        Assert.DoesNotContain("Mise à jour disponible", tile.TextContent);
        Assert.Empty(tile.QuerySelectorAll(".hp-flag"));
    }

    [Fact]
    public async Task A_stopped_app_and_an_app_that_should_run_but_does_not_are_told_apart()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        await InstallAsync("paused", "velo", version: "2", state: InstanceState.Stopped);
        await InstallAsync("crashed", "velo", version: "2");
        Engine.Add("paused", "web", ContainerState.Exited, ContainerHealth.None);
        Engine.Add("crashed", "web", ContainerState.Exited, ContainerHealth.None);

        var page = RenderWithTile("paused");

        Assert.Contains("Arrêtée", Tile(page, "paused"));
        Assert.DoesNotContain("devrait tourner", Tile(page, "paused"));
        Assert.Contains("Arrêtée alors qu'elle devrait tourner", Tile(page, "crashed"));
        Assert.Equal("down", page.Find("#app-tile-crashed").GetAttribute("data-status"));
    }

    [Fact]
    public async Task A_newer_catalog_version_is_offered_and_flagged()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        await InstallAsync("notes", "velo", version: "1");
        Engine.Add("notes", "web");

        var page = RenderWithTile("notes");

        var update = page.Find("#app-tile-notes .hp-tile-update");
        Assert.Contains("Mise à jour disponible : version 2", update.TextContent);
        Assert.Contains("hp-flag", update.ClassList);
        Assert.Contains("Version 1", Tile(page, "notes"));
    }

    [Fact]
    public async Task An_app_never_backed_up_says_so_plainly_and_is_flagged_with_its_unproven_restore()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var notes = await InstallAsync("notes", "velo", version: "2");
        Engine.Add("notes", "web");
        await RecordAsync(notes, OperationKind.Backup, OperationState.Failed, TimeSpan.FromHours(2), outcome: "La sauvegarde de « notes » a échoué : le disque est plein.");

        var page = RenderWithTile("notes");

        var backup = page.Find("#app-tile-notes .hp-tile-backup");
        Assert.Contains("Jamais sauvegardée", backup.TextContent);
        Assert.Contains("hp-flag", backup.ClassList);
        Assert.Contains("Attention", backup.TextContent);
        var restore = page.Find("#app-tile-notes .hp-tile-restore");
        Assert.Contains("Restauration jamais vérifiée", restore.TextContent);
        Assert.Contains("hp-flag", restore.ClassList);
    }

    [Fact]
    public async Task A_restore_proven_more_than_30_days_ago_is_flagged()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var notes = await InstallAsync("notes", "velo", version: "2");
        await RecordAsync(notes, OperationKind.Drill, OperationState.Succeeded, TimeSpan.FromDays(45));

        var page = RenderWithTile("notes");

        var restore = page.Find("#app-tile-notes .hp-tile-restore");
        Assert.Contains("il y a plus de 30 jours", restore.TextContent);
        Assert.Contains("hp-flag", restore.ClassList);
    }

    [Fact]
    public async Task A_certificate_that_ends_within_14_days_is_flagged()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        await InstallAsync("notes", "velo", version: "2", domain: "notes.velo.example");
        await CertificateAsync("notes.velo.example", "velo", "notes", Now.AddDays(10));

        var page = RenderWithTile("notes");

        var certificate = page.Find("#app-tile-notes .hp-tile-certificate");
        Assert.Contains("Le certificat (HTTPS) expire bientôt", certificate.TextContent);
        Assert.Contains("hp-flag", certificate.ClassList);
    }

    [Fact]
    public async Task A_running_operation_and_a_rolled_back_update_are_linked_with_their_outcome()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var notes = await InstallAsync("notes", "velo", version: "1");
        var files = await InstallAsync("files", "velo", version: "2");
        var update = await RecordAsync(notes, OperationKind.Update, OperationState.RolledBack, TimeSpan.FromHours(1), outcome: "La mise à jour de notes a échoué : l'application est revenue à la version 1.", versions: ("1", "2"));
        var backup = await RecordAsync(files, OperationKind.Backup, OperationState.Running, TimeSpan.FromMinutes(1));

        var page = RenderWithTile("notes");

        var failure = page.Find("#app-tile-notes .hp-tile-failure");
        Assert.Contains("Mise à jour (version 1 → 2), retour à la version précédente", failure.TextContent);
        Assert.Contains("l'application est revenue à la version 1", failure.TextContent);
        Assert.Equal($"/operations/{update.Id}", failure.QuerySelector("a")!.GetAttribute("href"));
        var running = page.Find("#app-tile-files .hp-tile-running a");
        Assert.Equal($"/operations/{backup.Id}", running.GetAttribute("href"));
        Assert.Contains("en cours…", running.TextContent);
    }

    [Fact]
    public async Task With_no_app_yet_the_page_says_so_and_leads_to_the_catalog()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");

        var page = Render<Home>();

        var empty = page.WaitForElement("#apps-empty");
        Assert.Contains("Aucune application n'est installée pour l'instant.", empty.TextContent);
        Assert.Equal("/catalog", page.Find("#apps-empty-catalog").GetAttribute("href"));
        Assert.Empty(page.FindAll("[id^=app-tile-]"));
    }

    [Fact]
    public async Task The_apps_of_another_organization_are_not_shown()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        await InstallAsync("notes-velo", "velo", version: "2");
        await InstallAsync("notes-edition", "edition", version: "2", domain: "notes.edition.example");

        var page = RenderWithTile("notes-velo");

        Assert.Empty(page.FindAll("#app-tile-notes-edition"));
        Assert.DoesNotContain("notes-edition", page.Markup);
    }

    [Fact]
    public async Task The_apps_read_for_the_prerendered_page_can_be_handed_to_the_live_page()
    {
        // The page keeps what its first (prerendered) read found ([PersistentState]), in JSON
        // with the web defaults, so that the live page does not read it all again.
        var caller = await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var notes = await InstallAsync("notes", "velo", version: "1", domain: "notes.velo.example");
        await RecordAsync(notes, OperationKind.Update, OperationState.RolledBack, TimeSpan.FromHours(1), outcome: "La mise à jour de notes a échoué.", versions: ("1", "2"));
        await RecordAsync(notes, OperationKind.Backup, OperationState.Running, TimeSpan.FromMinutes(1));
        List<AppTile> tiles = [.. await Get<AppOverview>().ListAsync(caller, "velo", Ct)];

        var json = System.Text.Json.JsonSerializer.Serialize(tiles, System.Text.Json.JsonSerializerOptions.Web);
        var handed = System.Text.Json.JsonSerializer.Deserialize<List<AppTile>>(json, System.Text.Json.JsonSerializerOptions.Web);

        var tile = Assert.Single(handed!);
        Assert.Equal(tiles[0] with { LastFailure = null }, tile with { LastFailure = null });
        Assert.Equal(tiles[0].LastFailure, tile.LastFailure);
        Assert.NotNull(tile.RunningOperation);
    }

    [Fact]
    public async Task While_the_apps_are_read_the_page_says_so()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        await InstallAsync("notes", "velo", version: "2");
        Journal.Hold();

        var page = Render<Home>();

        Assert.Contains("Lecture de vos applications…", page.Find("[role=status].hp-loading").TextContent);
        Journal.Release();
        page.WaitForElement("#app-tile-notes");
        Assert.Empty(page.FindAll(".hp-loading"));
    }

    [Fact]
    public async Task A_failed_read_is_said_with_what_is_safe_and_what_to_do()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        await InstallAsync("notes", "velo", version: "2");
        Journal.Failure = new InvalidOperationException("database is locked");

        var page = Render<Home>();

        var problem = page.WaitForElement("#apps-problem");
        Assert.Contains("Le tableau de bord n'a pas pu lire vos applications.", problem.TextContent);
        Assert.Contains("Vos applications et leurs données ne sont pas touchées", problem.TextContent);
        Assert.Equal("database is locked", problem.QuerySelector("details pre")!.TextContent);
    }

    [Fact]
    public async Task Without_the_engine_the_apps_are_shown_with_an_unknown_state_and_the_engine_said_unreachable()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        await InstallAsync("notes", "velo", version: "2");
        Engine.Failure = new ContainerEngineException("there is no engine socket at /nowhere.sock");

        var page = RenderWithTile("notes");

        Assert.Contains("État inconnu : le moteur Docker ne répond pas", Tile(page, "notes"));
        var engine = page.Find("#engine-status").TextContent;
        Assert.Contains("Le moteur Docker ne répond pas. Vérifiez qu'il est démarré.", engine);
        Assert.Contains("Cause : there is no engine socket at /nowhere.sock", engine);
    }

    [Fact]
    public async Task The_server_facts_give_the_disk_in_words_the_engine_and_the_panel_versions()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        Engine.Status = new EngineStatus("unix:///run/docker.sock", true, "20.10.24", "1.41", "linux", null);

        var page = Render<Home>();

        var facts = page.WaitForElement("#server-facts");
        page.WaitForAssertion(() => Assert.Contains("Le moteur Docker répond : version 20.10.24 (API 1.41).", page.Find("#engine-status").TextContent));
        Assert.Contains($"HostPanel version {PanelVersion.Current}", facts.TextContent);
        var disk = new DriveInfo(Options.DataDirectory);
        var text = page.Find("#server-disk-text").TextContent;
        Assert.Matches(@"^\d+([,.]\d)? [kKMGT]?o utilisés, \d+([,.]\d)? [kKMGT]?o libres sur \d+([,.]\d)? [kKMGT]?o \(\d+ %", text.Replace('\u00a0', ' ').Replace('\u202f', ' '));
        Assert.True(disk.TotalSize > 0);
    }

    [Fact]
    public async Task The_page_reads_again_when_an_operation_of_its_organization_starts_and_ends()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var notes = await InstallAsync("notes", "velo", version: "2");
        var page = RenderWithTile("notes");
        Assert.Empty(page.FindAll("#app-tile-notes .hp-tile-running"));

        var backup = await RecordAsync(notes, OperationKind.Backup, OperationState.Running, TimeSpan.Zero);
        Get<OperationEvents>().Publish(new OperationStarted(backup.Id, Now, "notes", "velo", OperationKind.Backup));

        page.WaitForAssertion(() => Assert.Equal($"/operations/{backup.Id}", page.Find("#app-tile-notes .hp-tile-running a").GetAttribute("href")));

        await Journal.SetStateAsync(backup.Id, OperationState.Succeeded, null, null, Now, Ct);
        Get<OperationEvents>().Publish(new OperationFinished(backup.Id, Now, OperationState.Succeeded, null));

        page.WaitForAssertion(() =>
        {
            Assert.Empty(page.FindAll("#app-tile-notes .hp-tile-running"));
            Assert.Contains("Dernière sauvegarde :", page.Find("#app-tile-notes .hp-tile-backup").TextContent);
        });
    }

    [Fact]
    public async Task An_operation_of_another_organization_does_not_make_the_page_read_again()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        await InstallAsync("notes", "velo", version: "2");
        var page = RenderWithTile("notes");
        var renders = page.RenderCount;

        Get<OperationEvents>().Publish(new OperationStarted(Guid.NewGuid(), Now, "other", "edition", OperationKind.Backup));
        await Task.Delay(800, Ct);

        Assert.Equal(renders, page.RenderCount);
    }

    [Fact]
    public async Task Speaks_English_when_asked_to()
    {
        UseCulture("en");
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        await InstallAsync("notes", "velo", version: "1");
        Engine.Add("notes", "web");
        Engine.Status = EngineStatus.Unreachable("unix:///nowhere.sock", "refused");

        var page = RenderWithTile("notes");

        Assert.Equal("Dashboard", page.Find("h1").TextContent.Trim());
        Assert.Contains("Running", Tile(page, "notes"));
        Assert.Contains("Update available: version 2", Tile(page, "notes"));
        Assert.Contains("Never backed up", Tile(page, "notes"));
        page.WaitForAssertion(() => Assert.Contains("The Docker engine does not answer. Check that it is running.", page.Find("#engine-status").TextContent));
    }
}
