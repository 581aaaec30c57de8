using Bunit;
using HostPanel.Core.Domains;
using HostPanel.Core.Operations;
using HostPanel.Web.Components.Pages.Install;
using HostPanel.Web.Tests.Panel.Catalog;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Panel.Install;

/// <summary>
/// The wizard's own checks, as the manifest states them, on the real Nextcloud manifest: a
/// required password of at least 10 characters and a country code of two capital letters.
/// Each message is said next to its field, in French and in English, before anything is sent.
/// </summary>
public sealed class InstallValidationTests : PanelPageContext
{
    public InstallValidationTests()
        : base(RepositoryPaths.AppCatalog) => Services.AddSingleton<IDomainResolver>(new TestResolver());

    // The culture is set by each test itself: set inside an async helper, it would not outlive the helper.
    private async Task<IRenderedComponent<InstallWizard>> OpenNextcloudAsync()
    {
        await SignInAsync("alice@velo.example");
        return Render<InstallWizard>(p => p.Add(w => w.AppId, "nextcloud")).Ready("#install-form");
    }

    /// <summary>Through the first step with a good address, to the app's questions.</summary>
    private async Task<IRenderedComponent<InstallWizard>> AtQuestionsAsync()
    {
        var page = await OpenNextcloudAsync();
        await page.TypeAsync("install-domain", "cloud.velo.example");
        await page.ContinueAsync();
        Assert.NotNull(page.Find("#install-q-admin_password"));
        return page;
    }

    private async Task NothingWasSentAsync() =>
        Assert.Empty(await Get<IOperationJournal>().ListAsync(ct: Ct));

    [Theory]
    [InlineData("fr", "Une réponse est nécessaire.")]
    [InlineData("en", "An answer is needed.")]
    public async Task A_missing_required_answer_is_said_next_to_its_field_in_French_and_English(string culture, string message)
    {
        UseCulture(culture);
        var page = await AtQuestionsAsync();

        await page.ContinueAsync();

        Assert.Contains(message, page.Field("q-admin_password"));
        Assert.DoesNotContain(message, page.Field("q-admin_username"));
        Assert.NotNull(page.Find("#install-q-admin_password"));
        await NothingWasSentAsync();
    }

    [Theory]
    [InlineData("fr", "Au moins 10 caractères sont nécessaires.")]
    [InlineData("en", "At least 10 characters are needed.")]
    public async Task A_too_short_answer_is_said_next_to_its_field_in_French_and_English(string culture, string message)
    {
        UseCulture(culture);
        var page = await AtQuestionsAsync();

        await page.TypeAsync("install-q-admin_password", "court");
        await page.ContinueAsync();

        Assert.Contains(message, page.Field("q-admin_password"));
        await NothingWasSentAsync();
    }

    [Theory]
    [InlineData("fr", "Écrivez deux lettres majuscules, par exemple FR.")]
    [InlineData("en", "Write two capital letters, for example FR.")]
    public async Task A_pattern_mismatch_says_the_manifest_s_message_next_to_its_field_in_French_and_English(string culture, string message)
    {
        UseCulture(culture);
        var page = await AtQuestionsAsync();

        await page.TypeAsync("install-q-admin_password", "un mot de passe solide");
        await page.TypeAsync("install-q-phone_region", "fr");
        await page.ContinueAsync();

        Assert.Contains(message, page.Field("q-phone_region"));
        Assert.DoesNotContain(message, page.Field("q-admin_password"));
        await NothingWasSentAsync();
    }

    [Theory]
    [InlineData("fr", "« nextcloud » n'est pas un nom complet")]
    [InlineData("en", "“nextcloud” is not a full name")]
    public async Task A_bad_domain_is_said_next_to_its_field_in_French_and_English(string culture, string message)
    {
        UseCulture(culture);
        var page = await OpenNextcloudAsync();

        await page.TypeAsync("install-domain", "nextcloud");
        await page.ContinueAsync();

        Assert.Contains(message, page.Field("domain"));
        Assert.NotNull(page.Find("#install-domain"));
        await NothingWasSentAsync();
    }

    [Theory]
    [InlineData("fr", "Cette application a besoin de sa propre adresse")]
    [InlineData("en", "This app needs its own address")]
    public async Task A_missing_domain_is_said_next_to_its_field_in_French_and_English(string culture, string message)
    {
        UseCulture(culture);
        var page = await OpenNextcloudAsync();

        await page.ContinueAsync();

        Assert.Contains(message, page.Field("domain"));
    }

    [Theory]
    [InlineData("fr", "ne convient pas comme nom")]
    [InlineData("en", "cannot be a name")]
    public async Task A_bad_name_is_said_next_to_its_field(string culture, string message)
    {
        UseCulture(culture);
        var page = await OpenNextcloudAsync();

        await page.TypeAsync("install-domain", "cloud.velo.example");
        await page.TypeAsync("install-name", "Nextcloud de l'asso");
        await page.ContinueAsync();

        Assert.Contains(message, page.Field("name"));
        Assert.DoesNotContain(message, page.Field("domain"));
    }

    [Fact]
    public async Task The_fields_have_visible_labels_and_the_manifest_s_help()
    {
        UseCulture("fr");
        var page = await AtQuestionsAsync();

        Assert.Contains("Mot de passe du compte administrateur", page.Find("label[for='install-q-admin_password']").TextContent);
        Assert.Contains("Au moins 10 caractères : Nextcloud refuse ensuite", page.Field("q-admin_password"));
        Assert.Equal("password", page.Find("#install-q-admin_password").GetAttribute("type"));
        Assert.Equal("FR", page.Find("#install-q-phone_region").GetAttribute("value"));
    }

    [Fact]
    public async Task Once_corrected_the_answers_lead_to_the_summary_which_never_shows_the_password()
    {
        UseCulture("fr");
        var page = await AtQuestionsAsync();
        await page.TypeAsync("install-q-admin_password", "court");
        await page.ContinueAsync();

        await page.TypeAsync("install-q-admin_password", "un mot de passe solide");
        await page.ContinueAsync();

        Assert.Contains("Récapitulatif", page.Step());
        var answers = page.Find("#install-summary-answers").TextContent;
        Assert.Contains("(choisi, non affiché)", answers);
        Assert.Contains("admin", answers);
        Assert.DoesNotContain("un mot de passe solide", page.Markup);
        Assert.Contains("https://cloud.velo.example", page.Find("#install-summary-address").TextContent);
        Assert.NotNull(page.Submit());
    }

    [Fact]
    public async Task The_summary_shows_the_records_to_create_when_the_address_does_not_point_here_yet()
    {
        UseCulture("fr");
        var page = await AtQuestionsAsync();
        await page.TypeAsync("install-q-admin_password", "un mot de passe solide");

        await page.ContinueAsync();

        var records = page.Find("#install-dns-records");
        Assert.Equal(["A", "cloud.velo.example", "127.0.0.1"], records.QuerySelectorAll("tbody td").Select(c => c.TextContent.Trim()));
        Assert.Contains("n'existe pas encore dans le DNS", page.Find("#install-dns").TextContent);
        Assert.Contains("Vous pouvez installer dès maintenant", page.Find("#install-dns").TextContent);
    }

    [Fact]
    public async Task The_address_check_says_when_it_already_points_here()
    {
        ((TestResolver)Get<IDomainResolver>()).Names["cloud.velo.example"] = [System.Net.IPAddress.Loopback];
        UseCulture("en");
        var page = await OpenNextcloudAsync();
        await page.TypeAsync("install-domain", "cloud.velo.example");

        await page.Find("#install-domain-check").ClickAsync(new MouseEventArgs());

        page.Eventually(() => Assert.Contains("The address points to this server.", page.Find("#install-dns-ready").TextContent));
        Assert.Empty(page.FindAll("#install-dns-records"));
    }

    [Fact]
    public async Task Back_keeps_what_was_typed()
    {
        UseCulture("fr");
        var page = await AtQuestionsAsync();

        await page.Find("#install-back").ClickAsync(new MouseEventArgs());

        Assert.Contains("Adresse et nom", page.Step());
        Assert.Equal("cloud.velo.example", page.Find("#install-domain").GetAttribute("value"));
        Assert.Equal("nextcloud", page.Find("#install-name").GetAttribute("value"));
    }
}
