using Bunit;
using HostPanel.Web.Components.Pages.Catalog;
using Microsoft.AspNetCore.Components.Web;

namespace HostPanel.Web.Tests.Panel.Catalog;

/// <summary>The catalog pages on the real app-catalog: warnings, host-stack apps, categories.</summary>
public sealed class RealCatalogTests() : PanelPageContext(RepositoryPaths.AppCatalog)
{
    private IRenderedComponent<CatalogDetails> Details(string appId)
    {
        return Render<CatalogDetails>(p => p.Add(d => d.AppId, appId)).Ready("#catalog-details");
    }

    [Fact]
    public async Task Mastodon_shows_its_moderation_warning_and_its_permanent_address_before_install()
    {
        UseCulture("fr");
        await SignInAsync("alice@velo.example");

        var page = Details("mastodon");

        Assert.Contains("Vous êtes responsable de ce que publient les comptes", page.Find(".hp-app-warning").TextContent);
        var fixedAddress = page.Find("#catalog-warnings-domain-fixed").TextContent;
        Assert.Contains("L'adresse ne pourra pas être changée ensuite.", fixedAddress);
        Assert.Contains("L'adresse de Mastodon est définitive.", fixedAddress);
    }

    [Fact]
    public async Task The_BigBlueButton_server_says_it_needs_a_dedicated_server()
    {
        UseCulture("fr");
        await SignInAsync("alice@velo.example");

        var page = Details("bigbluebutton-server");

        var stack = page.Find("#catalog-warnings-host-stack").TextContent;
        Assert.Contains("Il lui faut un serveur à elle seule.", stack);
        Assert.Contains("utilise directement le réseau de cette machine", stack);
        Assert.Contains("Mémoire : 16 Gio au minimum", stack);
        Assert.Contains("Processeur : 8 cœurs au minimum", stack);
    }

    [Fact]
    public async Task The_BigBlueButton_server_says_it_in_English_too()
    {
        UseCulture("en");
        await SignInAsync("alice@velo.example");

        var stack = Details("bigbluebutton-server").Find("#catalog-warnings-host-stack").TextContent;

        Assert.Contains("It needs a server of its own.", stack);
        Assert.Contains("uses this machine's network directly", stack);
        Assert.Contains("Processor: at least 8 cores", stack);
    }

    [Fact]
    public async Task An_app_set_up_by_hand_for_single_sign_on_says_so()
    {
        UseCulture("en");
        await SignInAsync("alice@velo.example");

        Assert.Contains("after a setting made by hand", Details("wordpress").Find("#catalog-warnings-sign-in").TextContent);
    }

    [Fact]
    public async Task The_category_filter_keeps_only_the_apps_of_that_category()
    {
        UseCulture("fr");
        await SignInAsync("alice@velo.example");
        var page = Render<CatalogList>().Ready("#catalog-count");

        await page.Find("#catalog-category-meetings").ClickAsync(new MouseEventArgs());

        Assert.Equal(["bigbluebutton", "bigbluebutton-server"], page.AppsShown());
        Assert.Equal("true", page.Find("#catalog-category-meetings").GetAttribute("aria-pressed"));
        Assert.Equal("false", page.Find("#catalog-category-all").GetAttribute("aria-pressed"));
        Assert.Contains("Réunions", page.Find("#catalog-category-meetings").TextContent);

        await page.Find("#catalog-category-all").ClickAsync(new MouseEventArgs());

        Assert.Equal(6, page.FindAll("li[id^='catalog-app-']").Count);
    }
}
