using Bunit;
using HostPanel.Core.Backups;
using HostPanel.Core.Operations;

namespace HostPanel.Web.Tests.Panel.AppPage;

public sealed class AppBackupsTests : AppPageContext
{
    [Fact]
    public async Task The_backups_are_listed_newest_first_with_the_last_proven_restore()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        await AddAppAsync();
        var older = Restic.AddBackup("notes", "1", DateTimeOffset.UtcNow.AddDays(-2));
        var newer = Restic.AddBackup("notes", "1", DateTimeOffset.UtcNow.AddDays(-1));
        Restic.AddBackup("wiki", "1", DateTimeOffset.UtcNow, app: "wiki");
        await AddOperationAsync("notes", OperationKind.Drill, OperationState.Succeeded, outcome: "ok");

        var page = RenderApp();

        page.WaitForAssertion(() => Assert.Equal([newer.ShortId, older.ShortId], page.FindAll("#app-backup-list tbody tr").Select(r => r.GetAttribute("data-backup"))));
        Assert.StartsWith("Restauration vérifiée le ", page.Find("#app-last-proven").TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_chosen_destination_the_page_says_so_and_points_to_the_settings()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        await AddAppAsync();

        var page = RenderApp();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#app-backup-none")));
        Assert.Contains("Aucune destination de sauvegarde n'est choisie", page.Find("#app-backup-no-target").TextContent, StringComparison.Ordinal);
        Assert.Equal("/settings", page.Find("#app-backup-no-target a").GetAttribute("href"));
        Assert.StartsWith("Aucune restauration n'a encore été vérifiée", page.Find("#app-last-proven").TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checking_the_restore_of_an_app_without_backups_is_refused_in_plain_words()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        await AddAppAsync();
        var page = RenderApp();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#app-backup-none")));

        await page.Find("#app-drill").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("« notes » n'a encore aucune sauvegarde à éprouver", page.Find("#app-backups-feedback").TextContent, StringComparison.Ordinal));
        Assert.Empty(await Get<IOperationJournal>().ListAsync("notes", null, 10, Ct));
    }

    [Fact]
    public async Task A_chosen_destination_is_not_reported_missing()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        await AddAppAsync();
        await Get<IBackupTargetStore>().SaveAsync(new BackupTarget("default", "sftp://backup@nas.asso.example//srv/restic", null, null, DateTimeOffset.UtcNow), Ct);

        var page = RenderApp();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#app-backup-none")));
        Assert.Empty(page.FindAll("#app-backup-no-target"));
    }

    [Fact]
    public async Task The_restore_button_stays_disabled_until_the_apps_name_is_typed()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        ConfirmIdentityNow();
        await AddAppAsync();
        var backup = Restic.AddBackup("notes", "1", DateTimeOffset.UtcNow.AddHours(-3));
        var page = RenderApp();
        page.WaitForElement($"#app-restore-{backup.ShortId}");

        await page.Find($"#app-restore-{backup.ShortId}").ClickAsync(new());

        Assert.Contains("seront remplacées par celles de cette sauvegarde", page.Find("#app-restore").TextContent, StringComparison.Ordinal);
        Assert.True(page.Find("#app-restore-submit").HasAttribute("disabled"));
        await page.Find("#app-restore-confirm").InputAsync(new() { Value = "note" });
        Assert.True(page.Find("#app-restore-submit").HasAttribute("disabled"));
        await page.Find("#app-restore-confirm").InputAsync(new() { Value = "notes" });
        Assert.False(page.Find("#app-restore-submit").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Restoring_without_a_fresh_confirmation_of_identity_sends_to_confirm_and_back_to_the_chosen_backup()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        await AddAppAsync();
        var backup = Restic.AddBackup("notes", "1", DateTimeOffset.UtcNow.AddHours(-3));
        var page = RenderApp();
        page.WaitForElement($"#app-restore-{backup.ShortId}");

        await page.Find($"#app-restore-{backup.ShortId}").ClickAsync(new());

        Assert.Empty(page.FindAll("#app-restore-confirm"));
        var link = page.Find("#app-restore-confirm-reauth").GetAttribute("href");
        Assert.Equal("/account/confirm?ReturnUrl=" + Uri.EscapeDataString($"/apps/notes?restore={backup.ShortId}#app-restore"), link);
    }

    [Fact]
    public async Task Coming_back_from_the_confirmation_finds_the_chosen_backup_ready_to_restore()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        ConfirmIdentityNow();
        await AddAppAsync();
        var backup = Restic.AddBackup("notes", "1", DateTimeOffset.UtcNow.AddHours(-3));

        var page = RenderApp(restore: backup.ShortId);

        page.WaitForElement("#app-restore-confirm");
        Assert.True(page.Find("#app-restore-submit").HasAttribute("disabled"));
    }
}
