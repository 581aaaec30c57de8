using Bunit;
using HostPanel.Core.Apps;
using HostPanel.Core.Operations;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace HostPanel.Web.Tests.Panel.AppPage;

public sealed class AppRemoveTests : AppPageContext
{
    [Fact]
    public async Task Keeping_the_data_is_the_default_and_says_what_is_kept()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        await AddAppAsync();

        var page = RenderApp();

        Assert.True(page.Find("#app-remove-keep").HasAttribute("checked"));
        Assert.Contains("Ses données (volumes), ses mots de passe et ses sauvegardes sont gardés", page.Find("#app-remove-keep-help").TextContent, StringComparison.Ordinal);
        Assert.Contains("Seules les sauvegardes déjà faites restent", page.Find("#app-remove-purge-help").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#app-remove-confirm"));
        Assert.False(page.Find("#app-remove-submit").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Erasing_everything_needs_the_apps_name_typed()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        ConfirmIdentityNow();
        await AddAppAsync();
        var page = RenderApp();

        await page.Find("#app-remove-purge").ChangeAsync(new() { Value = "on" });

        Assert.True(page.Find("#app-remove-submit").HasAttribute("disabled"));
        await page.Find("#app-remove-confirm").InputAsync(new() { Value = "wiki" });
        Assert.True(page.Find("#app-remove-submit").HasAttribute("disabled"));
        await page.Find("#app-remove-confirm").InputAsync(new() { Value = "notes" });
        Assert.False(page.Find("#app-remove-submit").HasAttribute("disabled"));
        Assert.Equal("Tout effacer définitivement", page.Find("#app-remove-submit").TextContent.Trim());
    }

    [Fact]
    public async Task Erasing_everything_without_a_fresh_confirmation_of_identity_sends_to_confirm_first()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        await AddAppAsync();
        var page = RenderApp();

        await page.Find("#app-remove-purge").ChangeAsync(new() { Value = "on" });

        Assert.Empty(page.FindAll("#app-remove-confirm"));
        Assert.Equal("/account/confirm?ReturnUrl=" + Uri.EscapeDataString("/apps/notes?remove=purge#app-remove"), page.Find("#app-remove-confirm-reauth").GetAttribute("href"));
    }

    [Fact]
    public async Task Removing_goes_back_to_the_dashboard_with_a_message()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        await AddAppAsync();
        var page = RenderApp();

        await page.Find("#app-remove-submit").ClickAsync(new());

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Equal("http://localhost/", navigation.Uri), TimeSpan.FromSeconds(10));
        var message = Assert.Single(Services.GetRequiredService<ISnackbar>().ShownSnackbars);
        Assert.Equal("Le retrait de « notes » est en cours ; ses données sont gardées.", message.Message);
        await DrainAsync();
        Assert.Contains(await Get<IOperationJournal>().ListAsync("notes", null, 10, Ct), o => o.Kind == OperationKind.Remove);
    }
}
