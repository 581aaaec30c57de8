using Bunit;
using HostPanel.Core.Domains;
using HostPanel.Core.Operations;
using HostPanel.Web.Components.Pages.Install;
using HostPanel.Web.Tests.Panel.Catalog;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Panel.Install;

/// <summary>The real BigBlueButton server: it takes the machine's network, so it is installed only once confirmed.</summary>
public sealed class InstallHostStackTests : PanelPageContext
{
    public InstallHostStackTests()
        : base(RepositoryPaths.AppCatalog) => Services.AddSingleton<IDomainResolver>(new TestResolver());

    // The culture is set by each test itself: set inside an async helper, it would not outlive the helper.
    private async Task<IRenderedComponent<InstallWizard>> AtSummaryAsync()
    {
        await SignInAsync("alice@velo.example");
        var page = Render<InstallWizard>(p => p.Add(w => w.AppId, "bigbluebutton-server")).Ready("#install-form");
        await page.TypeAsync("install-domain", "visio.velo.example");
        await page.ContinueAsync();
        await page.TypeAsync("install-q-external_ipv4", "203.0.113.10");
        await page.ContinueAsync();
        Assert.NotNull(page.Submit());
        return page;
    }

    [Theory]
    [InlineData("fr", "Cochez la case pour confirmer que ce serveur est réservé à cette application.")]
    [InlineData("en", "Tick the box to confirm that this server is reserved for this app.")]
    public async Task Is_not_sent_before_the_dedicated_server_is_confirmed(string culture, string message)
    {
        UseCulture(culture);
        var page = await AtSummaryAsync();

        await page.ContinueAsync();

        Assert.Contains(message, page.Field("confirm"));
        Assert.Empty(await Get<IOperationJournal>().ListAsync(ct: Ct));
    }

    [Fact]
    public async Task The_summary_repeats_the_warnings_and_the_address_that_cannot_change()
    {
        UseCulture("fr");
        var page = await AtSummaryAsync();

        Assert.Contains("Il lui faut un serveur à elle seule.", page.Find("#install-warnings-host-stack").TextContent);
        Assert.Contains("L'adresse ne pourra pas être changée ensuite.", page.Find("#install-warnings-domain-fixed").TextContent);
        Assert.Contains("Ce serveur doit avoir une machine à lui seul", page.Find("#install-warnings").TextContent);
        Assert.Contains("J'ai lu l'avertissement, et ce serveur est réservé à BigBlueButton server.", page.Field("confirm"));
    }

    [Fact]
    public async Task A_bad_IPv4_address_gets_the_manifest_s_message()
    {
        UseCulture("fr");
        await SignInAsync("alice@velo.example");
        var page = Render<InstallWizard>(p => p.Add(w => w.AppId, "bigbluebutton-server")).Ready("#install-form");
        await page.TypeAsync("install-domain", "visio.velo.example");
        await page.ContinueAsync();

        await page.TypeAsync("install-q-external_ipv4", "203.0.113");
        await page.ContinueAsync();

        Assert.Contains("Quatre nombres de 0 à 255 séparés par des points.", page.Field("q-external_ipv4"));
    }
}
