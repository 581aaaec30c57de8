using Bunit;
using HostPanel.Core.Accounts;
using HostPanel.Web.Components.Pages.Catalog;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace HostPanel.Web.Tests.Panel.Catalog;

public sealed class CatalogListTests : PanelPageContext
{
    private static readonly string[] TestApps = ["gallery", "hello", "notes", "signin"];

    private IRenderedComponent<CatalogList> Open()
    {
        return Render<CatalogList>().Ready("#catalog-count");
    }

    [Fact]
    public async Task Lists_the_four_test_apps_in_French_with_description_categories_and_needs()
    {
        UseCulture("fr");
        await SignInAsync("alice@velo.example");

        var page = Open();

        Assert.Equal("Catalogue d'applications", page.Find("h1").TextContent.Trim());
        Assert.Equal(TestApps, page.AppsShown());
        var notes = page.Find("#catalog-app-notes").TextContent;
        Assert.Contains("Une application de test avec une vraie base PostgreSQL", notes);
        Assert.Contains("Catégories : Autres", notes);
        Assert.Contains("Mémoire : 128 Mio au minimum, 256 Mio conseillés", notes);
        Assert.Contains("Disque : 500 Mio au minimum", notes);
        Assert.Contains("Processeur : 0,2 cœur au minimum", notes);
        Assert.Contains("Applications affichées : 4 sur 4.", page.Find("#catalog-count").TextContent);
        Assert.Equal("/catalog/notes/install", page.Find("#catalog-install-notes").GetAttribute("href"));
    }

    [Fact]
    public async Task Lists_the_four_test_apps_in_English()
    {
        UseCulture("en");
        await SignInAsync("alice@velo.example");

        var page = Open();

        Assert.Equal("App catalog", page.Find("h1").TextContent.Trim());
        Assert.Equal(TestApps, page.AppsShown());
        var hello = page.Find("#catalog-app-hello").TextContent;
        Assert.Contains("A small test web app that keeps a record of each of its starts.", hello);
        Assert.Contains("Categories: Other", hello);
        Assert.Contains("Memory: at least 16 MiB", hello);
        Assert.Contains("Processor: at least 0.1 core", hello);
        Assert.Contains("Apps shown: 4 of 4.", page.Find("#catalog-count").TextContent);
    }

    [Fact]
    public async Task The_search_box_has_a_visible_label()
    {
        UseCulture("fr");
        await SignInAsync("alice@velo.example");

        var page = Open();

        Assert.Equal("Rechercher une application", page.Find("label[for='catalog-search']").TextContent.Trim());
    }

    [Fact]
    public async Task Searching_filters_by_description_while_typing_ignoring_case_and_accents()
    {
        UseCulture("fr");
        await SignInAsync("alice@velo.example");
        var page = Open();

        await page.Find("#catalog-search").InputAsync(new ChangeEventArgs { Value = "DEMARRAGES" });

        Assert.Equal(["gallery", "hello"], page.AppsShown());
        Assert.Contains("Applications affichées : 2 sur 4.", page.Find("#catalog-count").TextContent);
    }

    [Fact]
    public async Task Searching_finds_an_app_by_its_name_and_by_several_words()
    {
        UseCulture("en");
        await SignInAsync("alice@velo.example");
        var page = Open();

        await page.Find("#catalog-search").InputAsync(new ChangeEventArgs { Value = "sign-in" });
        Assert.Equal(["signin"], page.AppsShown());

        await page.Find("#catalog-search").InputAsync(new ChangeEventArgs { Value = "test postgresql" });
        Assert.Equal(["notes"], page.AppsShown());
    }

    [Fact]
    public async Task Searching_finds_apps_by_their_category_word()
    {
        UseCulture("fr");
        await SignInAsync("alice@velo.example");
        var page = Open();

        await page.Find("#catalog-search").InputAsync(new ChangeEventArgs { Value = "autres" });

        Assert.Equal(TestApps, page.AppsShown());
    }

    [Fact]
    public async Task A_search_that_matches_nothing_says_so_and_can_be_cleared()
    {
        UseCulture("fr");
        await SignInAsync("alice@velo.example");
        var page = Open();

        await page.Find("#catalog-search").InputAsync(new ChangeEventArgs { Value = "tableur" });

        Assert.Empty(page.AppsShown());
        Assert.Contains("Aucune application ne correspond à votre recherche.", page.Find("#catalog-no-match").TextContent);
        Assert.Contains("Applications affichées : 0 sur 4.", page.Find("#catalog-count").TextContent);

        await page.Find("#catalog-clear-search").ClickAsync(new MouseEventArgs());

        Assert.Equal(TestApps, page.AppsShown());
    }

    [Fact]
    public async Task A_search_that_matches_nothing_says_so_in_English()
    {
        UseCulture("en");
        await SignInAsync("alice@velo.example");
        var page = Open();

        await page.Find("#catalog-search").InputAsync(new ChangeEventArgs { Value = "spreadsheet" });

        Assert.Contains("No app matches your search.", page.Find("#catalog-no-match").TextContent);
    }

    [Fact]
    public async Task A_member_sees_the_catalog_without_install_buttons()
    {
        UseCulture("fr");
        await SignInAsync("bob@velo.example", OrganizationRole.Member, "velo");

        var page = Open();

        Assert.Equal(TestApps, page.AppsShown());
        Assert.Empty(page.FindAll("[id^='catalog-install-']"));
        Assert.Contains("Seules les administratrices et administrateurs de velo peuvent installer une application.", page.Find("#catalog-read-only").TextContent);
    }

    [Fact]
    public async Task A_hoster_sees_the_install_buttons()
    {
        UseCulture("fr");
        await SignInAsync("root@hoster.example", role: null, hoster: true);

        var page = Open();

        Assert.Equal(4, page.FindAll("[id^='catalog-install-']").Count);
        Assert.Empty(page.FindAll("#catalog-read-only"));
    }

    [Fact]
    public async Task Nobody_signed_in_gets_a_plain_refusal()
    {
        UseCulture("fr");

        var page = Render<CatalogList>();

        page.Eventually(() => Assert.Contains("Le catalogue n'a pas pu être affiché.", page.Find("#catalog-list").TextContent));
        Assert.Empty(page.FindAll("li[id^='catalog-app-']"));
    }
}
