using Bunit;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;

namespace HostPanel.Web.Tests.Panel.AppPage;

public sealed class AppStatusTests : AppPageContext
{
    [Fact]
    public async Task A_missing_app_and_another_organizations_app_look_the_same_not_found()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        await Get<HostPanel.Core.Organizations.IOrganizationStore>().AddAsync(new("edition", "Édition", DateTimeOffset.UtcNow), Ct);
        await AddAppAsync("wiki", organization: "edition");

        var missing = RenderApp("ghost");
        var foreign = RenderApp("wiki");

        foreach (var (page, name) in new[] { (missing, "ghost"), (foreign, "wiki") })
        {
            Assert.Equal("Application introuvable", page.Find("h1").TextContent.Trim());
            Assert.Equal($"Aucune application installée nommée « {name} » dans cette organisation.", page.Find("#app-not-found p, #app-not-found .mud-typography").TextContent.Trim());
            Assert.Empty(page.FindAll("#app-status"));
        }

        Assert.Equal(missing.Find("#app-not-found").TextContent.Replace("ghost", "wiki", StringComparison.Ordinal), foreign.Find("#app-not-found").TextContent);
    }

    [Fact]
    public async Task A_hoster_looking_at_one_organization_does_not_find_another_organizations_app_there()
    {
        UseCulture("fr");
        await SignInAsync("root@hoster.example", role: null, hoster: true);
        await Get<HostPanel.Core.Organizations.IOrganizationStore>().AddAsync(new("edition", "Édition", DateTimeOffset.UtcNow), Ct);
        await AddAppAsync("wiki", organization: "edition");

        var page = RenderApp("wiki");

        Assert.NotEmpty(page.FindAll("#app-not-found"));
    }

    [Fact]
    public async Task Each_service_is_shown_from_the_engines_containers_in_words()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        await AddAppAsync();
        Engine.Add("notes", "db");
        Engine.Add("notes", "web", ContainerState.Running, ContainerHealth.Unhealthy);
        Engine.Add("other", "web");

        var page = RenderApp();

        var rows = page.FindAll("#app-services tbody tr");
        Assert.Equal(["db", "web"], rows.Select(r => r.GetAttribute("data-service")));
        Assert.Contains("En bonne santé", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("En mauvaise santé", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("En marche", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Equal("Certains services ne fonctionnent pas", page.Find("#app-health").TextContent.Trim());
        Assert.Equal("En marche", page.Find("#app-state").TextContent.Trim());
        Assert.Equal("https://notes.asso.example", page.Find("#app-address").GetAttribute("href"));
        Assert.Equal("Notes", page.Find("#app-kind").TextContent.Trim());
    }

    [Fact]
    public async Task An_engine_that_does_not_answer_leaves_the_health_unknown_and_says_so()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        await AddAppAsync();
        Engine.Failure = new ContainerEngineException("permission denied on the socket");

        var page = RenderApp();

        Assert.Contains("Le moteur Docker ne répond pas : l'état des services est inconnu.", page.Find("#app-status").TextContent, StringComparison.Ordinal);
        Assert.Contains("permission denied on the socket", page.Find("#app-status details").TextContent, StringComparison.Ordinal);
        Assert.StartsWith("Inconnue", page.Find("#app-health").TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_sees_the_status_and_the_address_but_no_action_nor_logs()
    {
        UseCulture("fr");
        await SignInAsync("bob@asso.example", OrganizationRole.Member);
        await AddAppAsync();
        Engine.Add("notes", "web");
        Engine.Logs["notes-web"] = [new LogLine(LogStream.Stdout, "secret-looking line", null)];

        var page = RenderApp();

        Assert.NotEmpty(page.FindAll("#app-status"));
        Assert.Equal("https://notes.asso.example", page.Find("#app-address").GetAttribute("href"));
        foreach (var hidden in new[] { "#app-start", "#app-stop", "#app-restart", "#app-logs", "#app-update", "#app-backups", "#app-certificate", "#app-remove" })
        {
            Assert.Empty(page.FindAll(hidden));
        }

        Assert.DoesNotContain("secret-looking line", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrator_sees_every_section()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        await AddAppAsync();

        var page = RenderApp();

        foreach (var shown in new[] { "#app-start", "#app-stop", "#app-restart", "#app-logs", "#app-update", "#app-backups", "#app-certificate", "#app-remove" })
        {
            Assert.NotEmpty(page.FindAll(shown));
        }
    }

    [Fact]
    public async Task A_running_operation_is_shown_with_its_link_and_holds_the_buttons()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        await AddAppAsync(state: InstanceState.Updating);
        var update = await AddOperationAsync("notes", OperationKind.Update, OperationState.Running, "1", "2");

        var page = RenderApp();

        Assert.StartsWith("Mise à jour en cours depuis le ", page.Find("#app-running-operation").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal($"/operations/{update.Id}", page.Find("#app-running-operation-link").GetAttribute("href"));
        Assert.True(page.Find("#app-restart").HasAttribute("disabled"));
        Assert.Equal("Mise à jour en cours", page.Find("#app-state").TextContent.Trim());
    }

    [Fact]
    public async Task Stopping_refused_by_the_service_says_why_in_plain_words()
    {
        UseCulture("fr");
        var alice = await SignInAsync("alice@asso.example");
        await AddAppAsync();
        var page = RenderApp();

        // Alice stops being an administrator while her page is open: the service refuses.
        await Get<IMembershipStore>().SaveAsync(new Membership(alice.Id, "default", OrganizationRole.Member, DateTimeOffset.UtcNow), Ct);
        await page.Find("#app-stop").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Seul un administrateur de l'organisation peut faire cela.", page.Find("#app-status-feedback").TextContent, StringComparison.Ordinal));
        Assert.Empty(await Get<IOperationJournal>().ListAsync("notes", null, 10, Ct));
    }

    [Fact]
    public async Task Starting_an_app_an_operation_holds_is_refused_in_plain_words()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        // An install the reconciler has not finished yet owns the app.
        await AddAppAsync(state: InstanceState.Installing);
        var page = RenderApp();

        await page.Find("#app-start").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Une opération est déjà en cours sur « notes » : attendez qu'elle se termine.", page.Find("#app-status-feedback").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Restarting_shows_the_operation_to_follow()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        await AddAppAsync();
        var page = RenderApp();

        await page.Find("#app-restart").ClickAsync(new());

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#app-status-feedback-operation")), TimeSpan.FromSeconds(10));
        await DrainAsync();
        var restart = Assert.Single(await Get<IOperationJournal>().ListAsync("notes", null, 10, Ct), o => o.Kind == OperationKind.Restart);
        Assert.Equal($"/operations/{restart.Id}", page.Find("#app-status-feedback-operation").GetAttribute("href"));
    }

    [Theory]
    [InlineData("fr", InstanceState.Running, "En marche", "Aucun service ne tourne")]
    [InlineData("en", InstanceState.Running, "Running", "No service runs")]
    [InlineData("fr", InstanceState.Stopped, "Arrêtée", "Aucun service ne tourne")]
    [InlineData("en", InstanceState.Stopped, "Stopped", "No service runs")]
    public async Task States_are_said_in_the_persons_language(string culture, InstanceState state, string stateWords, string healthWords)
    {
        UseCulture(culture);
        await SignInAsync("alice@asso.example");
        await AddAppAsync(state: state);

        var page = RenderApp();

        Assert.Equal(stateWords, page.Find("#app-state").TextContent.Trim());
        Assert.Equal(healthWords, page.Find("#app-health").TextContent.Trim());
    }

    [Fact]
    public async Task Not_found_is_said_in_english_too()
    {
        UseCulture("en");
        await SignInAsync("alice@asso.example");

        var page = RenderApp("ghost");

        Assert.Equal("App not found", page.Find("h1").TextContent.Trim());
        Assert.Contains("No installed app named “ghost” in this organization.", page.Find("#app-not-found").TextContent, StringComparison.Ordinal);
    }
}
