using Bunit;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Backups;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using HostPanel.Web.Components.Pages.Operations;

namespace HostPanel.Web.Tests.Panel.Operations;

public sealed class OperationPageTests : AppsPageContext
{
    private const string Image = "127.0.0.1:5000/test/notes:2";

    private static readonly PlanStep[] UpdateSteps =
    [
        new PullImageStep(Image),
        new CreateContainerStep("web", "notes-web", "2"),
        new WaitHealthyStep("web", "notes-web", "2", TimeSpan.FromSeconds(60)),
    ];

    public OperationPageTests()
    {
        UseCulture("fr");
    }

    private IRenderedComponent<OperationPage> RenderPage(Guid id) => Render<OperationPage>(p => p.Add(x => x.Id, id));

    private static string State(IRenderedComponent<OperationPage> page) => page.Find("#operation-state").TextContent.Trim();

    private static string StepMark(IRenderedComponent<OperationPage> page, int index) => page.Find($"#operation-step-{index}").GetAttribute("data-state")!;

    /// <summary>An update of notes from 1 to 2 at its second step: the image pulled, the container being made.</summary>
    private async Task<Operation> UpdateUnderWayAsync(string organization = "velo")
    {
        var notes = await InstallAsync("notes", organization, version: "1", state: InstanceState.Updating);
        var update = await RecordAsync(notes, OperationKind.Update, OperationState.Running, TimeSpan.FromMinutes(1), steps: UpdateSteps, versions: ("1", "2"));
        await Journal.SetStepStateAsync(update.Id, 0, StepState.Done, null, Now, Ct);
        await Journal.SetStepStateAsync(update.Id, 1, StepState.Running, null, Now, Ct);
        await Journal.AppendLogAsync(update.Id, "info", "pull image " + Image, Now, Ct);
        await Journal.AppendLogAsync(update.Id, "info", "create container notes-web (web 2)", Now, Ct);
        return update;
    }

    [Fact]
    public async Task Shows_what_who_when_and_each_step_of_the_journal_with_its_state()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var update = await UpdateUnderWayAsync();

        var page = RenderPage(update.Id);

        page.WaitForElement("#operation-steps");
        Assert.Equal("Mise à jour (version 1 → 2) de notes", page.Find("#operation-title").TextContent);
        Assert.Equal("en cours…", State(page));
        Assert.Equal("alice@velo.example", page.Find("#operation-actor").TextContent);
        Assert.Equal("/apps/notes", page.Find("#operation-app a").GetAttribute("href"));
        Assert.Equal(["done", "running", "pending"], page.FindAll("#operation-steps li").Select(li => li.GetAttribute("data-state")));
        Assert.Contains($"Télécharger {Image}", page.Find("#operation-step-0").TextContent);
        Assert.Contains("fait", page.Find("#operation-step-0 .hp-step-state").TextContent);
        Assert.Contains("Créer le service web (version 2)", page.Find("#operation-step-1").TextContent);
        Assert.Contains("en cours…", page.Find("#operation-step-1 .hp-step-state").TextContent);
        Assert.Contains("Attendre que le service web soit prêt", page.Find("#operation-step-2").TextContent);
        Assert.Contains("à faire", page.Find("#operation-step-2 .hp-step-state").TextContent);
        Assert.Equal("Étape 2 sur 3 : Créer le service web (version 2)", page.Find("#operation-live #operation-current").TextContent);
        Assert.Equal("polite", page.Find("#operation-live").GetAttribute("aria-live"));
        Assert.Empty(page.Find("#operation-outcome").Children);
    }

    [Fact]
    public async Task The_log_is_folded_away()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var update = await UpdateUnderWayAsync();

        var page = RenderPage(update.Id);

        var log = page.WaitForElement("details#operation-log");
        Assert.False(log.HasAttribute("open"));
        Assert.Contains("(2 lignes)", log.QuerySelector("summary")!.TextContent);
        Assert.Contains("info create container notes-web (web 2)", log.QuerySelector("pre")!.TextContent);
    }

    [Fact]
    public async Task A_live_step_event_moves_the_page_on_at_once()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var update = await UpdateUnderWayAsync();
        var page = RenderPage(update.Id);
        page.WaitForElement("#operation-steps");
        var events = Get<OperationEvents>();

        await Journal.SetStepStateAsync(update.Id, 1, StepState.Done, null, Now, Ct);
        events.Publish(new StepFinished(update.Id, Now, 1, false, StepState.Done, null));
        await Journal.SetStepStateAsync(update.Id, 2, StepState.Running, null, Now, Ct);
        events.Publish(new StepStarted(update.Id, Now, 2, 3, false, "wait until notes-web is healthy"));

        // Within a second, well before the page would have read the journal again by itself.
        page.WaitForAssertion(
            () =>
            {
                Assert.Equal("done", StepMark(page, 1));
                Assert.Equal("running", StepMark(page, 2));
                Assert.Equal("Étape 3 sur 3 : Attendre que le service web soit prêt", page.Find("#operation-current").TextContent);
            },
            TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task What_no_event_told_is_read_from_the_journal_again_while_the_operation_runs()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var update = await UpdateUnderWayAsync();
        var page = RenderPage(update.Id);
        page.WaitForElement("#operation-steps");

        // As when the operation runs in another process (the command line): no event here.
        await Journal.SetStepStateAsync(update.Id, 1, StepState.Done, null, Now, Ct);

        page.WaitForAssertion(() => Assert.Equal("done", StepMark(page, 1)), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task The_end_of_the_operation_is_shown_live_in_plain_words()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var update = await UpdateUnderWayAsync();
        var page = RenderPage(update.Id);
        page.WaitForElement("#operation-steps");

        await Journal.SetStepStateAsync(update.Id, 1, StepState.Done, null, Now, Ct);
        await Journal.SetStepStateAsync(update.Id, 2, StepState.Done, null, Now, Ct);
        await Journal.SetStateAsync(update.Id, OperationState.Succeeded, null, null, Now, Ct);
        Get<OperationEvents>().Publish(new OperationFinished(update.Id, Now, OperationState.Succeeded, null));

        page.WaitForAssertion(() => Assert.Equal("réussie", State(page)), TimeSpan.FromSeconds(1.5));
        Assert.Contains("C'est fait : l'opération s'est bien terminée.", page.Find("#operation-outcome").TextContent);
        Assert.Empty(page.FindAll("#operation-current"));
    }

    [Fact]
    public async Task Image_downloads_show_one_bar_per_image_summed_over_its_layers()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var update = await UpdateUnderWayAsync();
        await Journal.SetStepStateAsync(update.Id, 0, StepState.Running, null, Now, Ct);
        await Journal.SetStepStateAsync(update.Id, 1, StepState.Pending, null, Now, Ct);
        var page = RenderPage(update.Id);
        page.WaitForElement("#operation-steps");
        var events = Get<OperationEvents>();

        events.Publish(new PullProgressed(update.Id, Now, Image, "a1", "Downloading", 5_000_000, 10_000_000, PullPhase.Downloading));
        events.Publish(new PullProgressed(update.Id, Now, Image, "b2", "Downloading", 5_000_000, 30_000_000, PullPhase.Downloading));
        events.Publish(new PullProgressed(update.Id, Now, "127.0.0.1:5000/test/db:15", "c3", "Already exists", null, null, PullPhase.AlreadyPresent));

        page.WaitForAssertion(() =>
        {
            var pulls = page.FindAll("#pull-progress .hp-progress");
            Assert.Equal(2, pulls.Count);
            Assert.Equal($"{Image} : 10 Mo sur 40 Mo (25 %)", pulls[0].QuerySelector("span")!.TextContent.Replace('\u00a0', ' ').Replace('\u202f', ' '));
            Assert.Equal("127.0.0.1:5000/test/db:15 : téléchargé", pulls[1].QuerySelector("span")!.TextContent);
        });
        Assert.NotNull(page.Find("#operation-live #pull-progress"));
    }

    [Fact]
    public async Task A_backup_shows_how_much_it_has_moved()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var notes = await InstallAsync("notes", "velo");
        var backup = await RecordAsync(notes, OperationKind.Backup, OperationState.Running, TimeSpan.FromMinutes(1), steps: [new BackupFilesStep(["notes-data"], "1")]);
        var page = RenderPage(backup.Id);
        page.WaitForElement("#operation-steps");

        Get<OperationEvents>().Publish(new TransferProgressed(backup.Id, Now, "backup", 1_500_000_000, 3_000_000_000, 120, 500));

        page.WaitForAssertion(() => Assert.Equal("Sauvegarde : 1,5 Go sur 3,0 Go, 120 fichiers sur 500", page.Find("#operation-live #transfer-progress span").TextContent));
    }

    [Fact]
    public async Task A_rolled_back_update_says_so_with_its_reason_and_the_detail_folded()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var notes = await InstallAsync("notes", "velo", version: "1");
        var update = await RecordAsync(
            notes,
            OperationKind.Update,
            OperationState.RolledBack,
            TimeSpan.FromHours(1),
            outcome: "La mise à jour de notes a échoué : l'application est revenue à la version 1 et ses données sont intactes. Cause : le service web n'est pas devenu opérationnel en 60 secondes.",
            detail: "health check of notes-web: unhealthy after 60 s",
            steps: UpdateSteps,
            versions: ("1", "2"));
        await Journal.SetStepStateAsync(update.Id, 0, StepState.Done, null, Now, Ct);
        await Journal.SetStepStateAsync(update.Id, 1, StepState.Done, null, Now, Ct);
        await Journal.SetStepStateAsync(update.Id, 2, StepState.Failed, "unhealthy after 60 s", Now, Ct);
        await Journal.AppendUndoStepsAsync(update.Id, [new RemoveContainerStep("notes-web", "2")], Ct);
        await Journal.SetStepStateAsync(update.Id, 3, StepState.Done, null, Now, Ct);

        var page = RenderPage(update.Id);

        page.WaitForElement("#operation-outcome .hp-problem");
        Assert.Equal("retour à la version précédente", State(page));
        var outcome = page.Find("#operation-outcome");
        Assert.Contains("La mise à jour n'a pas été gardée : l'application est revenue à la version précédente.", outcome.TextContent);
        Assert.Contains("Cause : le service web n'est pas devenu opérationnel en 60 secondes.", outcome.TextContent);
        Assert.Equal("health check of notes-web: unhealthy after 60 s", outcome.QuerySelector("details pre")!.TextContent);
        Assert.Equal("failed", StepMark(page, 2));
        Assert.Equal("unhealthy after 60 s", page.Find("#operation-step-2 details pre").TextContent);
        Assert.Contains("Retirer notes-web", page.Find("#operation-undo-steps #operation-step-3").TextContent);
        Assert.Contains("annulé", page.Find("#operation-step-3 .hp-step-state").TextContent);
    }

    [Fact]
    public async Task A_step_being_undone_says_undoing()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var update = await UpdateUnderWayAsync();
        await Journal.SetStepStateAsync(update.Id, 1, StepState.Failed, "exit 1", Now, Ct);
        await Journal.AppendUndoStepsAsync(update.Id, [new RemoveContainerStep("notes-web", "2"), new StartContainerStep("notes-web")], Ct);
        await Journal.SetStepStateAsync(update.Id, 3, StepState.Running, null, Now, Ct);

        var page = RenderPage(update.Id);

        page.WaitForElement("#operation-undo-steps");
        Assert.Contains("annulation en cours…", page.Find("#operation-step-3 .hp-step-state").TextContent);
        Assert.Equal("Retour en arrière, étape 1 sur 2 : Retirer notes-web", page.Find("#operation-current").TextContent);
    }

    [Fact]
    public async Task An_operation_of_another_organization_is_answered_like_a_missing_one()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var foreign = await RecordAsync(await InstallAsync("secret-notes", "edition"), OperationKind.Backup, OperationState.Failed, TimeSpan.FromHours(1), outcome: "La sauvegarde de « secret-notes » a échoué : disque plein.");

        var page = RenderPage(foreign.Id);
        var missing = RenderPage(Guid.NewGuid());

        Assert.Contains("Cette opération est introuvable.", page.WaitForElement("#operation-not-found").TextContent);
        Assert.Equal(missing.WaitForElement("#operation-not-found").TextContent, page.Find("#operation-not-found").TextContent);
        Assert.DoesNotContain("secret-notes", page.Markup);
        Assert.Empty(page.FindAll("#operation-state"));
    }

    [Fact]
    public async Task A_member_sees_an_operation_of_an_app_they_may_use()
    {
        await SignInAsync("bob@velo.example", OrganizationRole.Member, "velo");
        var update = await UpdateUnderWayAsync();

        var page = RenderPage(update.Id);

        Assert.Equal("en cours…", page.WaitForElement("#operation-state").TextContent.Trim());
    }

    [Fact]
    public async Task While_the_operation_is_read_the_page_says_so_and_a_failed_read_says_what_to_do()
    {
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var update = await UpdateUnderWayAsync();
        Journal.Hold();

        var page = RenderPage(update.Id);

        Assert.Contains("Lecture de l'opération…", page.Find(".hp-loading").TextContent);
        Journal.Failure = new InvalidOperationException("database is locked");
        Journal.Release();
        var problem = page.WaitForElement("#operation-problem");
        Assert.Contains("L'opération n'a pas pu être lue.", problem.TextContent);
        Assert.Equal("database is locked", problem.QuerySelector("details pre")!.TextContent);
    }

    [Fact]
    public async Task Speaks_English_when_asked_to()
    {
        UseCulture("en");
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var update = await UpdateUnderWayAsync();

        var page = RenderPage(update.Id);

        page.WaitForElement("#operation-steps");
        Assert.Equal("Operation", page.Find("h1").TextContent.Trim());
        Assert.Equal("Update (version 1 → 2) of notes", page.Find("#operation-title").TextContent);
        Assert.Equal("in progress…", State(page));
        Assert.Equal("Step 2 of 3: Create the service web (version 2)", page.Find("#operation-current").TextContent);
        Assert.Contains("done", page.Find("#operation-step-0 .hp-step-state").TextContent);
    }

    [Fact]
    public async Task A_rolled_back_update_is_told_in_English_too()
    {
        UseCulture("en");
        await SignInAsync("alice@velo.example", OrganizationRole.Administrator, "velo");
        var notes = await InstallAsync("notes", "velo", version: "1");
        var update = await RecordAsync(notes, OperationKind.Update, OperationState.RolledBack, TimeSpan.FromHours(1), outcome: "The update of notes failed: the app went back to version 1.", versions: ("1", "2"));

        var page = RenderPage(update.Id);

        Assert.Equal("rolled back to the previous version", page.WaitForElement("#operation-state").TextContent.Trim());
        Assert.Contains("The update was not kept: the app went back to the previous version.", page.Find("#operation-outcome").TextContent);
        Assert.Contains("The update of notes failed: the app went back to version 1.", page.Find("#operation-outcome").TextContent);
    }
}
