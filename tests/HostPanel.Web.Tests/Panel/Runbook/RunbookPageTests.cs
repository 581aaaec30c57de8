using Bunit;
using HostPanel.Core.Accounts;
using HostPanel.Core.Handover;
using HostPanel.Web.Panel.Runbook;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Panel.Runbook;

public sealed class RunbookPageTests : PanelPageContext
{
    private readonly HandoverState _handover = new();

    public RunbookPageTests()
    {
        UseCulture("fr");
        Services.AddSingleton<IRecoveryKitState>(_handover);
        Services.AddSingleton<IExternalAccounts>(_handover);
        Services.AddSingleton<IBusFactorChecks>(_handover);
    }

    [Fact]
    public async Task An_administrator_reads_the_runbook_with_print_and_downloads()
    {
        await SignInAsync("marie@velo.example.org", OrganizationRole.Administrator, "velo");
        await AddInstanceAsync("notes-velo", "velo", domain: "notes.velo.example.org");
        _handover.Findings.Add(new BusFactorFinding(BusFactorCheck.SingleAdministrator, "velo", null, "Une seule personne administre velo.", "Ajoutez quelqu'un."));

        var page = Render<RunbookPage>();
        page.WaitForElement("#runbook-document h2");

        Assert.Equal("Carnet de bord de velo", page.Find("#runbook-document h1").TextContent);
        Assert.Equal(RunbookSections.All, page.FindAll("#runbook-document h2").Select(h => h.Id));
        Assert.Contains("notes-velo", page.Find("#runbook-document").TextContent, StringComparison.Ordinal);
        Assert.Contains("Une seule personne administre velo.", page.Find("#runbook-document").TextContent, StringComparison.Ordinal);
        Assert.Equal("Imprimer", page.Find("#runbook-print").TextContent.Trim());
        Assert.Equal(RunbookEndpoints.DownloadUrl("md", "velo"), page.Find("#runbook-download-md").GetAttribute("href"));
        Assert.Equal(RunbookEndpoints.DownloadUrl("pdf", "velo"), page.Find("#runbook-download-pdf").GetAttribute("href"));
        Assert.Empty(page.FindAll("#runbook-scope-server"));

        await page.InvokeAsync(() => page.Find("#runbook-print").Click());
        JSInterop.VerifyInvoke("print");
    }

    [Fact]
    public async Task Speaks_english()
    {
        UseCulture("en");
        await SignInAsync("marie@velo.example.org", OrganizationRole.Administrator, "velo");

        var page = Render<RunbookPage>();
        page.WaitForElement("#runbook-document h2");

        Assert.Equal("Runbook of velo", page.Find("#runbook-document h1").TextContent);
        Assert.Equal("Summary", page.Find("#runbook-document h2#summary").TextContent);
        Assert.Equal("Print", page.Find("#runbook-print").TextContent.Trim());
        Assert.Equal("Download (PDF)", page.Find("#runbook-download-pdf").TextContent.Trim());
    }

    [Theory]
    [InlineData("fr", "Le carnet de bord est réservé aux administratrices et administrateurs de l'organisation.")]
    [InlineData("en", "The runbook is for the organization's administrators.")]
    public async Task A_member_is_told_it_is_for_administrators(string culture, string said)
    {
        UseCulture(culture);
        await SignInAsync("paul@velo.example.org", OrganizationRole.Member, "velo");

        var page = Render<RunbookPage>();
        page.WaitForElement("#runbook-problem");

        Assert.Contains(said, page.Find("#runbook-problem").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#runbook-document"));
        Assert.Empty(page.FindAll("#runbook-download-pdf"));
    }

    [Fact]
    public async Task A_hoster_can_pick_the_whole_server()
    {
        await SignInAsync("root@example.org", OrganizationRole.Administrator, "velo", hoster: true);
        await AddInstanceAsync("notes-velo", "velo");
        await AddInstanceAsync("notes-autre", "autre");

        var page = Render<RunbookPage>();
        page.WaitForElement("#runbook-document h2");
        await page.InvokeAsync(() => page.Find("#runbook-scope-server").Click());
        page.WaitForAssertion(() => Assert.Equal("Carnet de bord du serveur", page.Find("#runbook-document h1").TextContent));

        Assert.Contains("notes-autre", page.Find("#runbook-document").TextContent, StringComparison.Ordinal);
        Assert.Equal(RunbookEndpoints.DownloadUrl("pdf", null), page.Find("#runbook-download-pdf").GetAttribute("href"));
    }

    private sealed class HandoverState : IRecoveryKitState, IExternalAccounts, IBusFactorChecks
    {
        public List<BusFactorFinding> Findings { get; } = [];

        public Task<RecoveryKitSummary?> CurrentAsync(CancellationToken ct = default) => Task.FromResult<RecoveryKitSummary?>(null);

        public Task<IReadOnlyList<ExternalAccount>> ListAsync(Caller caller, string organizationId, CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyList<ExternalAccount>>([]);

        public Task<IReadOnlyList<BusFactorFinding>> CheckAsync(Caller caller, string? organizationId, CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyList<BusFactorFinding>>([.. Findings.Where(f => organizationId is null || f.OrganizationId == organizationId)]);
    }
}
