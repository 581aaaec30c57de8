using System.Text.Json.Nodes;
using Bunit;
using HostPanel.Core.Accounts;
using HostPanel.Core.Configuration;
using HostPanel.Core.Mail;
using HostPanel.Core.Organizations;
using HostPanel.Web.Components.Pages.Settings;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Panel.Settings;

public sealed class SettingsPageTests : PanelPageContext
{
    private const string Password = "Tr0ub4dor-and-3-horses";
    private readonly RecordingTransport _mail = new();

    public SettingsPageTests()
    {
        Services.AddSingleton<IMailTransport>(_mail);
        UseCulture("fr");
    }

    private string DefaultBackups => Path.Combine(Options.DataDirectory, "backups", Organization.DefaultId);

    [Fact]
    public async Task A_member_sees_their_sign_in_security_and_language_but_not_the_organization_s_settings()
    {
        await SignInAsync("bob@velo.example", OrganizationRole.Member);

        var page = Render<SettingsPage>();

        page.WaitForAssertion(() => Assert.Contains("désactivée", page.Find("#settings-2fa-state").TextContent));
        Assert.Equal("/account/2fa", page.Find("#settings-2fa-link").GetAttribute("href"));
        Assert.Equal("/account/passkeys", page.Find("#settings-passkeys-link").GetAttribute("href"));
        Assert.Contains("Français", page.Find("#settings-language-current").TextContent);
        Assert.NotEmpty(page.FindAll("#settings-language form.hp-language"));
        Assert.NotNull(page.Find("#settings-organization-note"));
        Assert.Empty(page.FindAll("#settings-backup"));
        Assert.Empty(page.FindAll("#mail-form"));
        Assert.Empty(page.FindAll("#acme-form"));
    }

    [Fact]
    public async Task An_organization_administrator_sees_where_backups_go_but_cannot_change_it()
    {
        await SignInAsync("alice@velo.example");

        var page = Render<SettingsPage>();

        page.WaitForAssertion(() => Assert.Contains(DefaultBackups, page.Find("#backup-target-current").TextContent));
        Assert.Contains("l'administrateur de l'hébergement qui choisit cet emplacement", page.Find("#backup-target-readonly").TextContent);
        Assert.Contains("Demandez à l'hébergeur", page.Find("#backup-target-same-disk").TextContent);
        Assert.Empty(page.FindAll("#backup-target-form"));
        Assert.Empty(page.FindAll("#acme-form"));
        Assert.NotNull(page.Find("#mail-form"));
    }

    [Fact]
    public async Task A_hoster_gets_the_backup_target_form()
    {
        await SignInAsync("root@hoster.example", role: null, hoster: true);

        var page = Render<SettingsPage>();

        page.WaitForElement("#backup-target-form");
        Assert.NotNull(page.Find("#backup-location"));
        Assert.NotNull(page.Find("#backup-target-submit"));
        Assert.Empty(page.FindAll("#backup-target-readonly"));
    }

    [Fact]
    public async Task A_place_that_cannot_be_used_is_refused_in_plain_words_and_nothing_changes()
    {
        var hoster = await SignInAsync("root@hoster.example", role: null, hoster: true);
        var page = Render<SettingsPage>();
        page.WaitForElement("#backup-target-form");

        await page.InvokeAsync(() => page.Find("#backup-location").Change("/proc/hostpanel-test/backups"));
        await page.InvokeAsync(() => page.Find("#backup-target-form").Submit());

        page.WaitForAssertion(() => Assert.Contains("Cet emplacement n'a pas été retenu.", page.Find("#backup-target-problem").TextContent), TimeSpan.FromSeconds(60));
        Assert.Contains($"Rien n'a été changé : les sauvegardes continuent d'aller dans {DefaultBackups}.", page.Find("#backup-target-problem").TextContent);
        Assert.Contains("/proc/hostpanel-test/backups ne peut pas être créé", page.Find("#backup-location").Closest(".mud-input-control")!.TextContent);
        Assert.NotNull(page.Find("#backup-target-problem details"));
        Assert.True((await Get<HostPanel.Core.Backups.BackupService>().TargetAsync(hoster, Organization.DefaultId, Ct)).IsDefault);
    }

    [Fact]
    public async Task The_mail_password_is_never_rendered_and_an_empty_field_keeps_it()
    {
        var admin = await SignInAsync("alice@velo.example");
        var page = Render<SettingsPage>();
        page.WaitForElement("#mail-form");

        await page.InvokeAsync(() => page.Find("#mail-host").Change("smtp.velo.example"));
        await page.InvokeAsync(() => page.Find("#mail-port").Change("587"));
        await page.InvokeAsync(() => page.Find("#mail-user").Change("contact@velo.example"));
        await page.InvokeAsync(() => page.Find("#mail-password").Change(Password));
        await page.InvokeAsync(() => page.Find("#mail-from").Change("contact@velo.example"));
        await page.InvokeAsync(() => page.Find("#mail-form").Submit());

        page.WaitForAssertion(() => Assert.Contains("Serveur d'e-mail vérifié et enregistré : smtp.velo.example:587", page.Find("#mail-status").TextContent));
        Assert.DoesNotContain(Password, page.Markup, StringComparison.Ordinal);
        Assert.Equal(Password, _mail.Tested.Single().Password);
        Assert.Contains("Laissez vide pour garder le mot de passe enregistré", page.Find("#mail-password").Closest(".mud-input-control")!.TextContent);

        await page.InvokeAsync(() => page.Find("#mail-from").Change("bureau@velo.example"));
        await page.InvokeAsync(() => page.Find("#mail-form").Submit());

        page.WaitForAssertion(() => Assert.Contains("expéditeur bureau@velo.example", page.Find("#mail-status").TextContent));
        Assert.Equal(Password, _mail.Tested[^1].Password);
        Assert.DoesNotContain(Password, page.Markup, StringComparison.Ordinal);
        Assert.Equal("bureau@velo.example", (await Get<MailService>().FindAsync(admin, Organization.DefaultId, Ct))?.FromAddress);
    }

    [Fact]
    public async Task A_refused_login_is_shown_next_to_the_user_name_and_the_password_is_gone()
    {
        await SignInAsync("alice@velo.example");
        _mail.Failure = new MailTransportException(MailFailure.LoginRefused, "535 5.7.8 authentication failed");
        var page = Render<SettingsPage>();
        page.WaitForElement("#mail-form");

        await page.InvokeAsync(() => page.Find("#mail-host").Change("smtp.velo.example"));
        await page.InvokeAsync(() => page.Find("#mail-user").Change("contact@velo.example"));
        await page.InvokeAsync(() => page.Find("#mail-password").Change(Password));
        await page.InvokeAsync(() => page.Find("#mail-from").Change("contact@velo.example"));
        await page.InvokeAsync(() => page.Find("#mail-form").Submit());

        page.WaitForAssertion(() => Assert.Contains("Rien n'a été enregistré", page.Find("#mail-user").Closest(".mud-input-control")!.TextContent));
        Assert.DoesNotContain(Password, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_test_mail_says_where_it_went_and_its_reference()
    {
        var admin = await SignInAsync("alice@velo.example");
        await Get<MailService>().SaveAsync(admin, new MailProfileInput { OrganizationId = Organization.DefaultId, Host = "smtp.velo.example", Port = 587, Security = "starttls", FromAddress = "contact@velo.example" }, Ct);
        var page = Render<SettingsPage>();
        page.WaitForAssertion(() => Assert.Contains("smtp.velo.example:587", page.Find("#mail-current").TextContent));

        await page.InvokeAsync(() => page.Find("#mail-test-to").Change("bob@velo.example"));
        await page.InvokeAsync(() => page.Find("#mail-test-form").Submit());

        page.WaitForAssertion(() => Assert.Contains("E-mail d'essai envoyé à bob@velo.example par smtp.velo.example", page.Find("#mail-test-status").TextContent));
        var sent = Assert.Single(_mail.Sent);
        Assert.Contains(sent.Subject.Split(' ')[^1], page.Find("#mail-test-status").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hoster_saves_the_certificate_authority_and_is_told_a_restart_applies_it()
    {
        await File.WriteAllTextAsync(Options.SettingsFile, """{ "PanelUrl": "https://panel.velo.example", "ProxyAdminSocket": "/run/hostpanel/caddy-admin.sock" }""", Ct);
        await SignInAsync("root@hoster.example", role: null, hoster: true);
        var page = Render<SettingsPage>();
        page.WaitForElement("#acme-form");

        await page.InvokeAsync(() => page.Find("#acme-email").Change("technique@velo.example"));
        await page.InvokeAsync(() => page.Find("#acme-directory-staging").Change(true));
        await page.InvokeAsync(() => page.Find("#acme-form").Submit());

        page.WaitForAssertion(() => Assert.Contains("au prochain redémarrage du panneau", page.Find("#acme-status").TextContent));
        Assert.Contains("Let's Encrypt, environnement d'essai", page.Find("#acme-pending").TextContent);
        var saved = JsonNode.Parse(await File.ReadAllTextAsync(Options.SettingsFile, Ct))!.AsObject();
        Assert.Equal(HostPanelOptions.LetsEncryptStaging, (string?)saved["AcmeDirectory"]);
        Assert.Equal("technique@velo.example", (string?)saved["AcmeContactEmail"]);
        Assert.Equal("https://panel.velo.example", (string?)saved["PanelUrl"]);
        Assert.Equal(HostPanelOptions.LetsEncrypt, Options.AcmeDirectory);
    }

    [Theory]
    [InlineData("fr", "n'est pas l'adresse d'un répertoire ACME (Autorité de certification)")]
    [InlineData("en", "is not the address of an ACME directory (Certificate authority)")]
    public async Task A_directory_that_is_not_https_is_refused_next_to_its_field(string culture, string expected)
    {
        UseCulture(culture);
        await SignInAsync("root@hoster.example", role: null, hoster: true);
        var page = Render<SettingsPage>();
        page.WaitForElement("#acme-form");

        await page.InvokeAsync(() => page.Find("#acme-directory-custom").Change(true));
        await page.InvokeAsync(() => page.Find("#acme-custom-url").Change("http://acme.velo.example/directory"));
        await page.InvokeAsync(() => page.Find("#acme-form").Submit());

        page.WaitForAssertion(() => Assert.Contains(expected, page.Find("#acme-custom-url").Closest(".mud-input-control")!.TextContent));
        Assert.False(File.Exists(Options.SettingsFile));
    }

    [Fact]
    public async Task The_page_speaks_english_when_asked_to()
    {
        UseCulture("en");
        await SignInAsync("alice@velo.example");

        var page = Render<SettingsPage>();

        page.WaitForAssertion(() => Assert.Equal("Settings", page.Find("h1").TextContent.Trim()));
        Assert.Contains("English", page.Find("#settings-language-current").TextContent);
        Assert.Contains("The hosting administrator chooses this place", page.Find("#backup-target-readonly").TextContent);
    }

    private sealed class RecordingTransport : IMailTransport
    {
        public List<MailServer> Tested { get; } = [];

        public List<OutgoingMail> Sent { get; } = [];

        public MailTransportException? Failure { get; set; }

        public Task TestAsync(MailServer server, string fromAddress, CancellationToken ct = default)
        {
            Tested.Add(server);
            return Failure is null ? Task.CompletedTask : Task.FromException(Failure);
        }

        public Task SendAsync(MailServer server, MailSender from, OutgoingMail message, CancellationToken ct = default)
        {
            Sent.Add(message);
            return Failure is null ? Task.CompletedTask : Task.FromException(Failure);
        }
    }
}
