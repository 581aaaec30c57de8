using Bunit;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Domains;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using HostPanel.Web.Components.Pages.Install;
using HostPanel.Web.Panel;
using HostPanel.Web.Tests.Panel.Catalog;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Panel.Install;

/// <summary>
/// Sending the install, on the test catalog's Hello (an address and a name, no question): what
/// the service refuses comes back next to its field; what it accepts is recorded and followed
/// on the operation's page. The operation then fails on the stand-in engine, in the background.
/// </summary>
public sealed class InstallSubmitTests : PanelPageContext
{
    public InstallSubmitTests() => Services.AddSingleton<IDomainResolver>(new TestResolver());

    private IRenderedComponent<InstallWizard> Open(string appId = "hello") =>
        Render<InstallWizard>(p => p.Add(w => w.AppId, appId)).Ready("#install-steps, #install-refused, #catalog-not-found");

    /// <summary>Hello's address and name filled in, on the summary.</summary>
    private async Task<IRenderedComponent<InstallWizard>> AtSummaryAsync(string name = "hello")
    {
        var page = Open();
        await page.TypeAsync("install-domain", "hello.velo.example");
        await page.TypeAsync("install-name", name);
        await page.ContinueAsync();
        Assert.NotNull(page.Submit());
        return page;
    }

    private async Task<IReadOnlyList<Operation>> InstallsAsync() =>
        [.. (await Get<IOperationJournal>().ListAsync(ct: Ct)).Where(o => o.Kind == OperationKind.Install)];

    private string Location => Get<NavigationManager>().Uri;

    [Fact]
    public async Task A_valid_install_is_recorded_and_opens_its_operation()
    {
        UseCulture("fr");
        await SignInAsync("alice@velo.example");
        var page = await AtSummaryAsync("hello-asso");

        await page.ContinueAsync();

        var install = Assert.Single(await InstallsAsync());
        Assert.Equal("hello-asso", install.Instance);
        Assert.Equal("alice@velo.example", install.Actor);
        Assert.EndsWith($"/operations/{install.Id}", Location, StringComparison.Ordinal);
        Assert.Equal("hello.velo.example", (await Get<IInstanceStore>().FindAsync("hello-asso", Ct))?.Domain);
        await Get<PanelWork>().DrainAsync(CatalogPages.Patience);
    }

    [Fact]
    public async Task Clicking_install_sends_the_form()
    {
        UseCulture("en");
        await SignInAsync("alice@velo.example");
        var page = await AtSummaryAsync();

        await page.Submit().ClickAsync(new MouseEventArgs());

        page.Eventually(() => Assert.Contains("/operations/", Location, StringComparison.Ordinal));
        Assert.Single(await InstallsAsync());
        await Get<PanelWork>().DrainAsync(CatalogPages.Patience);
    }

    [Theory]
    [InlineData("fr", "Le nom « hello » est déjà pris par une application installée.")]
    [InlineData("en", "The name \"hello\" is already used by an installed app.")]
    public async Task A_name_taken_is_refused_by_the_service_and_said_next_to_the_name_field(string culture, string message)
    {
        UseCulture(culture);
        await SignInAsync("alice@velo.example");
        await Get<IInstanceStore>().AddAsync(new AppInstance
        {
            Name = "hello",
            OrganizationId = Organization.DefaultId,
            AppId = "hello",
            Version = "1",
            State = InstanceState.Running,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        }, Ct);
        var page = await AtSummaryAsync("hello");

        await page.ContinueAsync();

        Assert.Contains(message, page.Field("name"));
        Assert.Equal("hello.velo.example", page.Find("#install-domain").GetAttribute("value"));
        Assert.Empty(await InstallsAsync());
        Assert.DoesNotContain("/operations/", Location, StringComparison.Ordinal);

        // Another name, and it goes through.
        await page.TypeAsync("install-name", "hello-bis");
        await page.ContinueAsync();
        await page.ContinueAsync();
        Assert.Equal("hello-bis", Assert.Single(await InstallsAsync()).Instance);
        await Get<PanelWork>().DrainAsync(CatalogPages.Patience);
    }

    [Fact]
    public async Task The_install_button_is_disabled_while_the_request_is_sent_and_a_second_press_sends_nothing()
    {
        UseCulture("fr");
        await SignInAsync("alice@velo.example");
        var page = await AtSummaryAsync("hello-asso");
        // The address registry is busy: the request waits there, as on a slow server.
        var held = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var holder = Task.Run(() => Get<InstanceLocks>().RunAsync(DomainService.RegistryLock, LockWait.Wait, async () =>
        {
            held.SetResult();
            await release.Task;
        }, Ct), Ct);
        await held.Task.WaitAsync(CatalogPages.Patience, Ct);

        var first = page.Find("#install-form").SubmitAsync();

        page.Eventually(() => Assert.True(page.Submit().HasAttribute("disabled")));
        Assert.Contains("Préparation de l'installation…", page.Submit().TextContent);
        await page.Find("#install-form").SubmitAsync().WaitAsync(CatalogPages.Patience, Ct);
        release.SetResult();
        await holder;
        await first.WaitAsync(CatalogPages.Patience, Ct);

        Assert.Single(await InstallsAsync());
        // The second press was not sent: no refusal of a busy name came back.
        Assert.Contains("Récapitulatif", page.Step());
        Assert.Empty(page.FindAll("#install-fix, #install-problem"));
        Assert.Contains("/operations/", Location, StringComparison.Ordinal);
        await Get<PanelWork>().DrainAsync(CatalogPages.Patience);
    }

    [Theory]
    [InlineData("fr", "Seules les administratrices et administrateurs de velo peuvent installer une application.")]
    [InlineData("en", "Only administrators of velo can install an app.")]
    public async Task A_member_gets_a_plain_refusal_instead_of_the_wizard(string culture, string message)
    {
        UseCulture(culture);
        await SignInAsync("bob@velo.example", OrganizationRole.Member, "velo");

        var page = Open();

        Assert.Contains(message, page.Find("#install-refused").TextContent);
        Assert.Empty(page.FindAll("#install-form"));
    }

    [Fact]
    public async Task The_service_refuses_a_member_too()
    {
        UseCulture("fr");
        var member = await SignInAsync("bob@velo.example", OrganizationRole.Member, "velo");

        await Assert.ThrowsAsync<AccessDeniedException>(() => Get<AppService>().PrepareInstallAsync(
            new InstallRequest("hello", member) { OrganizationId = "velo", Name = "hello", Domain = "hello.velo.example" }, Ct));

        Assert.Null(await Get<IInstanceStore>().FindAsync("hello", Ct));
        Assert.Empty(await InstallsAsync());
    }

    [Fact]
    public async Task An_administrator_demoted_while_the_wizard_is_open_gets_the_service_s_refusal()
    {
        UseCulture("fr");
        var alice = await SignInAsync("alice@velo.example");
        var page = await AtSummaryAsync();
        await Get<IMembershipStore>().SaveAsync(new Membership(alice.Id, Organization.DefaultId, OrganizationRole.Member, DateTimeOffset.UtcNow), Ct);

        await page.ContinueAsync();

        Assert.Contains("Seul un administrateur de l'organisation peut faire cela.", page.Find("#install-refused").TextContent);
        Assert.Empty(await InstallsAsync());
    }

    [Fact]
    public async Task A_hoster_may_install_in_the_organization_shown()
    {
        UseCulture("fr");
        await SignInAsync("root@hoster.example", role: null, hoster: true);
        var page = await AtSummaryAsync("hello-hoster");

        await page.ContinueAsync();

        Assert.Equal(Organization.DefaultId, Assert.Single(await InstallsAsync()).OrganizationId);
        await Get<PanelWork>().DrainAsync(CatalogPages.Patience);
    }

    [Theory]
    [InlineData("fr", "Application introuvable")]
    [InlineData("en", "App not found")]
    public async Task An_unknown_app_has_no_wizard(string culture, string heading)
    {
        UseCulture(culture);
        await SignInAsync("alice@velo.example");

        var page = Open("nope");

        Assert.Equal(heading, page.Find("h1").TextContent.Trim());
        Assert.Empty(page.FindAll("#install-form"));
    }

    [Fact]
    public async Task The_steps_are_listed_with_the_current_one_marked()
    {
        UseCulture("fr");
        await SignInAsync("alice@velo.example");

        var page = Open("notes");

        var steps = page.FindAll("#install-steps li");
        Assert.Equal(3, steps.Count);
        Assert.Equal("step", steps[0].GetAttribute("aria-current"));
        Assert.Contains("Étape 1 sur 3 : Adresse et nom", page.Step());
        Assert.Equal("notes", page.Find("#install-name").GetAttribute("value"));
    }
}
