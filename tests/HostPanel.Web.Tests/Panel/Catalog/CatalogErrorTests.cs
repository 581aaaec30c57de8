using Bunit;
using HostPanel.Core.Accounts;
using HostPanel.Web.Components.Pages.Catalog;

namespace HostPanel.Web.Tests.Panel.Catalog;

/// <summary>A catalog with an app whose manifest cannot be read: the others are still offered.</summary>
public sealed class CatalogErrorTests : PanelPageContext
{
    private readonly string _catalog;

    public CatalogErrorTests()
        : this(CatalogCopy.WithBrokenApp())
    {
    }

    private CatalogErrorTests(string catalog)
        : base(catalog) => _catalog = catalog;

    private IRenderedComponent<CatalogList> Open()
    {
        return Render<CatalogList>().Ready("#catalog-count");
    }

    [Fact]
    public async Task An_administrator_sees_how_many_apps_could_not_be_read_with_the_details_folded()
    {
        UseCulture("fr");
        await SignInAsync("alice@velo.example");

        var page = Open();

        Assert.Equal(4, page.FindAll("li[id^='catalog-app-']").Count);
        Assert.Empty(page.FindAll("#catalog-app-broken"));
        var note = page.Find("#catalog-errors");
        Assert.Contains("Applications du catalogue qui n'ont pas pu être lues, et ne sont donc pas proposées : 1.", note.TextContent);
        var details = note.QuerySelector("details")!;
        Assert.Null(details.GetAttribute("open"));
        Assert.Contains("broken", details.QuerySelector("pre")!.TextContent);
    }

    [Fact]
    public async Task An_administrator_reads_the_note_in_English()
    {
        UseCulture("en");
        await SignInAsync("alice@velo.example");

        var page = Open();

        Assert.Contains("Catalog apps that could not be read, and so are not offered: 1.", page.Find("#catalog-errors").TextContent);
    }

    [Fact]
    public async Task A_member_is_not_shown_the_note()
    {
        UseCulture("fr");
        await SignInAsync("bob@velo.example", OrganizationRole.Member);

        var page = Open();

        Assert.Empty(page.FindAll("#catalog-errors"));
        Assert.Equal(4, page.FindAll("li[id^='catalog-app-']").Count);
    }

    [Fact]
    public async Task The_unreadable_app_has_no_details_page_and_says_why()
    {
        UseCulture("fr");
        await SignInAsync("alice@velo.example");

        var page = Render<CatalogDetails>(p => p.Add(d => d.AppId, "broken"));

        page.Eventually(() => Assert.Contains("L'application « broken » est dans le catalogue mais n'a pas pu être lue", page.Find("#catalog-not-found").TextContent));
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        Directory.Delete(_catalog, recursive: true);
    }
}
