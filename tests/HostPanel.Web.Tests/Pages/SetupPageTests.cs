using AngleSharp.Dom;
using Bunit;
using HostPanel.Infrastructure.Accounts;
using HostPanel.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Pages;

public sealed class SetupPageTests : PanelTestContext
{
    private const string GoodPassword = "une phrase assez longue";

    private string Token => File.ReadAllText(Data.SetupTokenFile).Trim();

    private async Task<IRenderedComponent<Setup>> SubmitAsync(
        string? token, string displayName, string email, string password, string confirmation)
    {
        var page = Render<Setup>();
        await Type(page, "#setup-token", token);
        await Type(page, "#setup-display-name", displayName);
        await Type(page, "#setup-email", email);
        await Type(page, "#setup-password", password);
        await Type(page, "#setup-password-confirmation", confirmation);
        await page.Find("form").SubmitAsync();
        return page;
    }

    private static Task Type(IRenderedComponent<Setup> page, string selector, string? value) =>
        page.Find(selector).ChangeAsync(new ChangeEventArgs { Value = value });

    private static List<string> Messages(IRenderedComponent<Setup> page) =>
        [.. page.FindAll(".validation-message").Select(m => m.TextContent.Trim())];

    private string CurrentUri => Services.GetRequiredService<NavigationManager>().Uri;

    [Fact]
    public async Task RefusesAWrongTokenAndCreatesNoAccount()
    {
        UseCulture("fr");
        var tokenBefore = Token;

        var page = await SubmitAsync("pas-le-bon-code", "Alice Martin", "alice@example.org", GoodPassword, GoodPassword);

        Assert.Contains("Le compte n'a pas été créé.", page.Find("#setup-refused").TextContent);
        Assert.Equal(["Ce code de mise en route n'est pas le bon. Aucun compte n'a été créé."], Messages(page));
        Assert.Empty(await UsersAsync());
        Assert.Equal(tokenBefore, Token);
        Assert.Equal("http://localhost/", CurrentUri);
        Assert.DoesNotContain(HttpContext.Response.Headers.SetCookie, c => c!.StartsWith("HostPanel.Session=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheRightTokenCreatesTheFirstAdministratorDeletesTheTokenAndSignsIn()
    {
        UseCulture("fr");

        var page = await SubmitAsync(Token, "  Alice Martin ", "alice@example.org", GoodPassword, GoodPassword);

        var user = Assert.Single(await UsersAsync());
        Assert.Equal("alice@example.org", user.Email);
        Assert.Equal("Alice Martin", user.DisplayName);
        Assert.True(await IsHosterAdministratorAsync(user));
        Assert.False(File.Exists(Data.SetupTokenFile));
        Assert.True(await Services.GetRequiredService<FirstRunState>().AdministratorExistsAsync(Xunit.TestContext.Current.CancellationToken));
        Assert.Contains(HttpContext.Response.Headers.SetCookie, c => c!.StartsWith("HostPanel.Session=", StringComparison.Ordinal));
        Assert.Empty(Messages(page));
        var navigation = Services.GetRequiredService<NavigationManager>();
        Assert.Equal("http://localhost/", navigation.Uri);
        Assert.Equal("/", Assert.Single(((Bunit.TestDoubles.BunitNavigationManager)navigation).History).Uri);
    }

    [Fact]
    public async Task AnEmptyEmailIsExplainedInFrench()
    {
        UseCulture("fr");

        var page = await SubmitAsync(Token, "Alice Martin", "", GoodPassword, GoodPassword);

        Assert.Equal(["Indiquez votre adresse e-mail."], Messages(page));
        Assert.Contains("invalid", page.Find("#setup-email").ClassList);
        Assert.Empty(await UsersAsync());
        Assert.True(File.Exists(Data.SetupTokenFile));
    }

    [Fact]
    public async Task DifferentPasswordsAreExplainedInFrench()
    {
        UseCulture("fr");

        var page = await SubmitAsync(Token, "Alice Martin", "alice@example.org", GoodPassword, GoodPassword + "!");

        Assert.Equal(["Les deux mots de passe ne sont pas identiques."], Messages(page));
        Assert.Empty(await UsersAsync());
    }

    [Fact]
    public async Task AWeakPasswordIsExplainedInFrench()
    {
        UseCulture("fr");

        var page = await SubmitAsync(Token, "Alice Martin", "alice@example.org", "court", "court");

        Assert.Equal(["Ce mot de passe est trop court : il faut au moins 12 caractères."], Messages(page));
        Assert.Empty(await UsersAsync());

        page = await SubmitAsync(Token, "Alice Martin", "alice@example.org", "aaaabbbbaaaa", "aaaabbbbaaaa");

        Assert.Equal(["Ce mot de passe doit contenir au moins 4 caractères différents."], Messages(page));
        Assert.Empty(await UsersAsync());
    }

    [Fact]
    public async Task PasswordsAreNotSentBackAfterARefusal()
    {
        UseCulture("fr");

        var page = await SubmitAsync("faux", "Alice Martin", "alice@example.org", GoodPassword, GoodPassword);

        Assert.True(string.IsNullOrEmpty(page.Find("#setup-password").GetAttribute("value")));
        Assert.True(string.IsNullOrEmpty(page.Find("#setup-password-confirmation").GetAttribute("value")));
        Assert.Equal("alice@example.org", page.Find("#setup-email").GetAttribute("value"));
    }

    [Fact]
    public async Task EnglishCultureGivesEnglishText()
    {
        UseCulture("en");

        var page = await SubmitAsync("wrong", "Alice Martin", "", GoodPassword, "other");

        Assert.Equal("Welcome to HostPanel", page.Find("h1").TextContent.Trim());
        Assert.Equal("Setup code", page.Find("label[for=setup-token]").TextContent.Trim());
        Assert.Equal(
            [
                "This setup code is not the right one. No account was created.",
                "Enter your e-mail address.",
                "The two passwords are not the same.",
            ],
            Messages(page));
        Assert.Empty(await UsersAsync());
    }

    [Fact]
    public async Task FrenchIsTheNeutralLanguageOfTheResources()
    {
        UseCulture("fr-FR");

        var page = Render<Setup>();

        Assert.Equal("Bienvenue dans HostPanel", page.Find("h1").TextContent.Trim());
        Assert.Equal("Créer le compte", page.Find("button[type=submit]").TextContent.Trim());
        await Task.CompletedTask;
    }

    [Fact]
    public async Task OnceSetUpThePageSendsToTheDashboardWithoutRecreatingTheToken()
    {
        UseCulture("fr");
        await SubmitAsync(Token, "Alice Martin", "alice@example.org", GoodPassword, GoodPassword);
        var navigation = (Bunit.TestDoubles.BunitNavigationManager)Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/setup");

        Render<Setup>();

        Assert.Equal("http://localhost/", navigation.Uri);
        Assert.False(File.Exists(Data.SetupTokenFile));

        await using var scope = Services.CreateAsyncScope();
        var again = await scope.ServiceProvider.GetRequiredService<FirstAdministratorSetup>().CreateAsync(
            new FirstAdministratorRequest("x", "Bob", "bob@example.org", GoodPassword, GoodPassword),
            Xunit.TestContext.Current.CancellationToken);
        Assert.True(again.AlreadyDone);
        Assert.Single(await UsersAsync());
    }
}
