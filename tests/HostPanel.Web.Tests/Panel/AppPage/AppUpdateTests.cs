using Bunit;
using HostPanel.Core.Apps;
using HostPanel.Core.Operations;
using HostPanel.Core.Secrets;

namespace HostPanel.Web.Tests.Panel.AppPage;

/// <summary>The update section, against the catalog where notes is at version 2.</summary>
public sealed class AppUpdateTests() : AppPageContext(catalogVersion: 2)
{
    [Fact]
    public async Task A_newer_version_in_the_catalog_is_offered_with_the_backup_made_first()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        await AddAppAsync(version: "1");

        var page = RenderApp();

        Assert.Equal("La version 2 de Notes est disponible (installée : 1).", page.Find("#app-update-available").TextContent.Trim());
        Assert.Contains("Une sauvegarde est faite d'abord.", page.Find("#app-update").TextContent, StringComparison.Ordinal);
        Assert.False(page.Find("#app-update-submit").HasAttribute("disabled"));
        Assert.Empty(page.FindAll("#app-update-current"));
    }

    [Fact]
    public async Task An_app_at_the_catalogs_version_is_said_up_to_date()
    {
        UseCulture("en");
        await SignInAsync("alice@asso.example");
        await AddAppAsync(version: "2");

        var page = RenderApp();

        Assert.Equal("Up to date: version 2 is the newest in the catalog.", page.Find("#app-update-current").TextContent.Trim());
        Assert.Empty(page.FindAll("#app-update-submit"));
    }

    [Fact]
    public async Task A_rolled_back_update_says_which_version_runs_again_and_why()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        await AddAppAsync(version: "1");
        await AddOperationAsync("notes", OperationKind.Update, OperationState.RolledBack, "1", "2",
            outcome: "La mise à jour de notes a échoué : l'application est revenue à la version 1 et ses données sont intactes. Cause : le service web s'est arrêté (code 3).",
            detail: "container notes-web exited with code 3 after migration");

        var page = RenderApp();

        var last = page.Find("#app-last-update");
        Assert.Contains("annulée : la version 2 n'a pas démarré correctement, la version 1 tourne de nouveau avec ses données.", last.TextContent, StringComparison.Ordinal);
        Assert.Contains("Raison : La mise à jour de notes a échoué", page.Find("#app-last-update-reason").TextContent, StringComparison.Ordinal);
        Assert.Contains("exited with code 3", last.QuerySelector("details")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_successful_update_says_to_which_version_in_english_too()
    {
        UseCulture("en");
        await SignInAsync("alice@asso.example");
        await AddAppAsync(version: "2");
        await AddOperationAsync("notes", OperationKind.Update, OperationState.Succeeded, "1", "2", outcome: "done");

        var page = RenderApp();

        Assert.Contains(", Notes was updated to version 2.", page.Find("#app-last-update").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_the_update_button_answered_stays_when_the_version_changes_under_it()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        var instance = await AddAppAsync(version: "1");
        var installedFrom = new DirectoryAppCatalog(RepositoryPaths.TestCatalog(1));
        await Get<IPackageArchive>().SaveAsync("notes", "1", installedFrom.Package(installedFrom.Load().Apps.Single(a => a.Manifest.Id == "notes")), Ct);
        await Get<ISecretStore>().AddMissingAsync("notes", new Dictionary<string, string> { ["secrets.db_password"] = "from-the-install" }, Ct);
        var page = RenderApp();

        // The page's stand-in engine cannot make the backup that goes first: the answer says so.
        await page.Find("#app-update-submit").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("la sauvegarde qui doit la précéder a échoué", page.Find("#app-update-feedback").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        // Version 2 then runs (as it does when an update succeeds, before its operation ends):
        // nothing is offered any more, and the answer the person was reading is still there.
        await Get<IInstanceStore>().UpdateAsync(instance with { Version = "2" }, Ct);
        Get<OperationEvents>().Publish(new OperationStarted(Guid.CreateVersion7(), DateTimeOffset.UtcNow, "notes", "default", OperationKind.Backup));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#app-update-current")), TimeSpan.FromSeconds(10));
        Assert.Contains("la sauvegarde qui doit la précéder a échoué", page.Find("#app-update-feedback").TextContent, StringComparison.Ordinal);
    }
}
