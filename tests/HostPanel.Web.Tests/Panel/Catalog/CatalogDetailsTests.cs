using Bunit;
using HostPanel.Core.Accounts;
using HostPanel.Web.Components.Pages.Catalog;

namespace HostPanel.Web.Tests.Panel.Catalog;

public sealed class CatalogDetailsTests : PanelPageContext
{
    private IRenderedComponent<CatalogDetails> Open(string appId)
    {
        var page = Render<CatalogDetails>(p => p.Add(d => d.AppId, appId));
        page.Eventually(() => Assert.True(page.FindAll("#catalog-details").Count + page.FindAll("#catalog-not-found").Count > 0));
        return page;
    }

    [Fact]
    public async Task Says_in_French_before_install_that_the_address_cannot_change_and_why()
    {
        UseCulture("fr");
        await SignInAsync("alice@velo.example");

        var page = Open("gallery");

        Assert.Equal("Gallery", page.Find("h1").TextContent.Trim());
        var fixedAddress = page.Find("#catalog-warnings-domain-fixed").TextContent;
        Assert.Contains("L'adresse ne pourra pas être changée ensuite.", fixedAddress);
        Assert.Contains("La galerie inscrit son adresse dans chaque lien partagé", fixedAddress);
        Assert.Contains("Elle a besoin de sa propre adresse (nom de domaine)", page.Find("#catalog-warnings").TextContent);
    }

    [Fact]
    public async Task Says_in_English_before_install_that_the_address_cannot_change_and_why()
    {
        UseCulture("en");
        await SignInAsync("alice@velo.example");

        var page = Open("gallery");

        var fixedAddress = page.Find("#catalog-warnings-domain-fixed").TextContent;
        Assert.Contains("The address cannot be changed afterwards.", fixedAddress);
        Assert.Contains("The gallery writes its address into every shared link", fixedAddress);
    }

    [Fact]
    public async Task An_app_whose_address_can_change_says_so_without_a_warning()
    {
        UseCulture("fr");
        await SignInAsync("alice@velo.example");

        var page = Open("hello");

        Assert.Empty(page.FindAll("#catalog-warnings-domain-fixed"));
        Assert.Contains("L'adresse pourra être changée plus tard.", page.Find("#catalog-warnings").TextContent);
    }

    [Fact]
    public async Task Shows_version_licence_website_description_and_needs()
    {
        UseCulture("fr");
        await SignInAsync("alice@velo.example");

        var page = Open("notes");

        Assert.Contains("Version 1", page.Find("#catalog-details-version").TextContent);
        Assert.Contains("Une application de test avec une vraie base PostgreSQL", page.Find("#catalog-details-description").TextContent);
        Assert.Contains("Licence : AGPL-3.0-or-later", page.Find("#catalog-details-license").TextContent);
        Assert.Equal("https://hostpanel.example/test-apps/notes", page.Find("#catalog-details-website").GetAttribute("href"));
        Assert.Contains("Mémoire : 128 Mio au minimum, 256 Mio conseillés", page.Find("#catalog-details").TextContent);
        Assert.Equal("/catalog/notes/install", page.Find("#catalog-install").GetAttribute("href"));
    }

    [Fact]
    public async Task Says_how_members_sign_in()
    {
        UseCulture("fr");
        await SignInAsync("alice@velo.example");

        // This panel has no public address (PanelUrl): no single sign-on yet.
        Assert.Contains("dès que le panneau aura une adresse publique", Open("signin").Find("#catalog-warnings-sign-in").TextContent);
        Assert.Contains("Elle a ses propres comptes", Open("hello").Find("#catalog-warnings-sign-in").TextContent);
    }

    [Fact]
    public async Task A_member_reads_the_details_without_the_install_button()
    {
        UseCulture("en");
        await SignInAsync("bob@velo.example", OrganizationRole.Member, "velo");

        var page = Open("gallery");

        Assert.Empty(page.FindAll("#catalog-install"));
        Assert.Contains("Only administrators of velo can install an app.", page.Find("#catalog-read-only").TextContent);
        Assert.NotNull(page.Find("#catalog-warnings-domain-fixed"));
    }

    [Theory]
    [InlineData("fr", "Application introuvable", "Le catalogue n'a pas d'application « nope ».")]
    [InlineData("en", "App not found", "The catalog has no app \"nope\".")]
    public async Task An_unknown_app_is_not_found(string culture, string heading, string text)
    {
        UseCulture(culture);
        await SignInAsync("alice@velo.example");

        var page = Open("nope");

        Assert.Equal(heading, page.Find("h1").TextContent.Trim());
        Assert.Contains(text, page.Find("#catalog-not-found").TextContent);
        Assert.Empty(page.FindAll("#catalog-install"));
    }
}
