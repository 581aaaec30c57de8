using AngleSharp.Dom;
using Bunit;
using HostPanel.Core.Accounts;
using HostPanel.Core.Backups;
using HostPanel.Core.Handover;
using HostPanel.Core.Organizations;
using HostPanel.Web.Components.Pages.Continuity;
using HostPanel.Web.Panel.RecoveryKit;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Panel.RecoveryKit;

/// <summary>
/// The recovery kit's page at /continuity/kit on the real kit service, stores and SQLite; the
/// panel's state is backed up with the real restic into the data directory (a stand-in only
/// where the backup must fail).
/// </summary>
public sealed class RecoveryKitPageTests : RecoveryKitPageContext
{
    [Theory]
    [InlineData("fr", "Aucun kit de secours n'a encore été fait", "Faites-en un ci-dessous.")]
    [InlineData("en", "No recovery kit has been made yet", "Make one below.")]
    public async Task With_no_kit_a_hoster_is_told_so_and_asked_to_make_one(string culture, string none, string next)
    {
        UseCulture(culture);
        await SignInAsync("root@example.org", hoster: true);

        var page = RenderPage();

        Assert.Contains(none, page.Find("#kit-none").TextContent, StringComparison.Ordinal);
        Assert.Equal(next, page.Find("#kit-none-next").TextContent.Trim());
        Assert.Empty(page.FindAll("#kit-current, #kit-outdated"));
    }

    [Theory]
    [InlineData("fr", "N'importe quelles 2 de ses 3 parts suffisent pour l'ouvrir.", "Détentrices et détenteurs des parts : Alice, Bob, Carole.", "À jour")]
    [InlineData("en", "Any 2 of its 3 shares open it.", "Share holders: Alice, Bob, Carole.", "Up to date")]
    public async Task A_current_kit_says_when_by_whom_k_of_n_its_holders_and_that_it_is_up_to_date(string culture, string threshold, string holders, string current)
    {
        UseCulture(culture);
        var root = await SignInAsync("root@example.org", hoster: true);
        await Kits.CreateAsync(root, 2, ["Alice", "Bob", "Carole"], Ct);

        var page = RenderPage();

        Assert.Contains("root@example.org", page.Find("#kit-status-issued").TextContent, StringComparison.Ordinal);
        Assert.Equal(threshold, page.Find("#kit-status-threshold").TextContent.Trim());
        Assert.Equal(holders, page.Find("#kit-status-holders").TextContent.Trim());
        Assert.StartsWith(current, page.Find("#kit-current").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#kit-outdated"));
        Assert.Empty(page.FindAll("#kit-too-few"));
    }

    [Theory]
    [InlineData("fr", "Plus à jour depuis le", "l'organisation autre est apparue et ses sauvegardes ne sont pas dans le kit", "Faites un nouveau kit ci-dessous")]
    [InlineData("en", "Out of date since", "autre", "Make a new kit below")]
    public async Task An_out_of_date_kit_says_why_in_plain_words(string culture, string outdated, string change, string renew)
    {
        UseCulture(culture);
        var root = await SignInAsync("root@example.org", hoster: true);
        await Kits.CreateAsync(root, 2, ["Alice", "Bob"], Ct);
        await Get<IOrganizationStore>().AddAsync(new Organization("autre", "Autre", DateTimeOffset.UtcNow.AddMinutes(1)), Ct);

        var page = RenderPage();

        Assert.StartsWith(outdated, page.Find("#kit-outdated-what").TextContent.Trim(), StringComparison.Ordinal);
        var reason = Assert.Single(page.FindAll("#kit-changes li"));
        Assert.Equal("repository:autre", reason.GetAttribute("data-item"));
        Assert.Equal("Added", reason.GetAttribute("data-kind"));
        Assert.Contains(change, reason.TextContent, StringComparison.Ordinal);
        Assert.StartsWith(renew, page.Find("#kit-renew").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#kit-current"));

        // With 2 holders for 2 shares, losing one loses the kit: said too.
        Assert.Contains("3", page.Find("#kit-too-few").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_organization_administrator_sees_the_status_without_the_other_organizations_names_and_no_form()
    {
        var root = await SignInAsync("root@example.org", hoster: true);
        await Kits.CreateAsync(root, 2, ["Alice", "Bob", "Carole"], Ct);
        await Get<IOrganizationStore>().AddAsync(new Organization("secret-org", "Secret", DateTimeOffset.UtcNow.AddMinutes(1)), Ct);
        await SignInAsync("marie@velo.example.org", OrganizationRole.Administrator, "velo");

        var page = RenderPage();

        // velo itself appeared after the kit too: its own change is named, the other one is not.
        Assert.Contains("Plus à jour", page.Find("#kit-outdated").TextContent, StringComparison.Ordinal);
        var shown = page.FindAll("#kit-changes li").Select(li => li.GetAttribute("data-item")).ToList();
        Assert.Equal(["repository:velo"], shown);
        Assert.DoesNotContain("secret-org", page.Markup, StringComparison.Ordinal);
        Assert.Contains("autres organisations", page.Find("#kit-changes-others").TextContent, StringComparison.Ordinal);
        Assert.StartsWith("Demandez à l'hébergeur", page.Find("#kit-renew").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#kit-issue"));
        Assert.Empty(page.FindAll("#kit-form"));
    }

    [Fact]
    public async Task A_member_is_told_the_kit_is_for_administrators()
    {
        await SignInAsync("paul@velo.example.org", OrganizationRole.Member, "velo");

        var page = RenderPage();

        Assert.Contains("réservé aux administratrices et administrateurs", page.Find("#kit-not-allowed").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#kit-status"));
    }

    [Fact]
    public async Task Without_a_fresh_identity_check_the_hoster_is_sent_to_confirm_it_and_sees_no_form()
    {
        await SignInAsync("root@example.org", hoster: true);

        var page = RenderPage();

        page.WaitForElement("#kit-reauth");
        Assert.Equal("/account/confirm?ReturnUrl=%2Fcontinuity%2Fkit", page.Find("#kit-reauth").GetAttribute("href"));
        Assert.Empty(page.FindAll("#kit-form"));
    }

    [Theory]
    [InlineData("Alice", 2, "kit-holders", "1 personne(s) indiquée(s) : il en faut au moins 2")]
    [InlineData("Alice\nBob", 3, "kit-threshold", "k = 3 pour 2 personnes")]
    [InlineData("Alice\nBob\n  alice  ", 2, "kit-holders", "« alice » est indiqué deux fois (lignes 1 et 3)")]
    [InlineData("Alice\nBob", 1, "kit-threshold", "k = 1 : il faut au moins 2 parts")]
    public async Task Bad_input_is_refused_next_to_its_field_and_makes_no_kit(string holders, int threshold, string field, string said)
    {
        await SignInAsync("root@example.org", hoster: true);
        ConfirmIdentityNow();
        var page = RenderPage();
        page.WaitForElement("#kit-form");

        await FillAsync(page, holders, threshold);
        await page.InvokeAsync(() => page.Find("#kit-form").Submit());

        page.WaitForAssertion(() => Assert.StartsWith(said, ErrorUnder(page, field), StringComparison.Ordinal));
        var other = field == "kit-holders" ? "kit-threshold" : "kit-holders";
        Assert.Null(ErrorUnder(page, other));
        Assert.Empty(page.FindAll("#kit-shares"));
        Assert.Null(await Kits.StatusAsync(Caller.System("test"), Ct));
        Assert.False(Directory.Exists(Path.Combine(Options.DataDirectory, "recovery")));
    }

    [Fact]
    public async Task The_rule_is_explained_with_the_numbers_typed_and_k_equal_to_n_is_warned()
    {
        await SignInAsync("root@example.org", hoster: true);
        ConfirmIdentityNow();
        var page = RenderPage();
        page.WaitForElement("#kit-form");
        Assert.Equal("2", page.Find("#kit-threshold").GetAttribute("value"));

        await FillAsync(page, "Alice\nBob\nCarole", 2);
        page.WaitForAssertion(() => Assert.Equal(
            "N'importe quelles 2 de ces 3 personnes, ensemble, pourront tout reconstruire ; 1 ou moins n'apprennent rien. Jusqu'à 1 part(s) pourront être perdues sans perdre le kit.",
            page.Find("#kit-rule").TextContent.Trim()));
        Assert.Empty(page.FindAll("#kit-rule-warning"));

        await FillAsync(page, "Alice\nBob\nCarole", 3);
        page.WaitForAssertion(() => Assert.Contains("toutes les parts seront nécessaires", page.Find("#kit-rule-warning").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Issuing_makes_the_kit_offers_each_file_once_backs_the_state_up_and_warns_to_split_the_shares()
    {
        var root = await SignInAsync("root@example.org", hoster: true);
        ConfirmIdentityNow();
        var page = RenderPage();
        page.WaitForElement("#kit-form");

        await FillAsync(page, "Alice Martin\nBob\nCarole", 2);
        await page.InvokeAsync(() => page.Find("#kit-form").Submit());

        page.WaitForElement("#kit-shares", TimeSpan.FromSeconds(10));
        Assert.Contains("2 de ses 3 parts", page.Find("#kit-issued-done").TextContent, StringComparison.Ordinal);
        Assert.Contains("Donnez à chaque personne sa part, et seulement la sienne", page.Find("#kit-issued-warning").TextContent, StringComparison.Ordinal);
        Assert.Contains("une seule fois, dans les 10 minutes", page.Find("#kit-issued-once").TextContent, StringComparison.Ordinal);

        // The service made the kit: the status above says so, and the sealed kit is in DATA/recovery.
        var status = await Kits.StatusAsync(root, Ct);
        Assert.NotNull(status);
        Assert.Equal(["Alice Martin", "Bob", "Carole"], status.Summary.Holders);
        page.WaitForElement("#kit-current");
        Assert.Single(Directory.GetFiles(Path.Combine(Options.DataDirectory, "recovery"), "*.sealed"));

        var rows = page.FindAll("#kit-shares tbody tr");
        Assert.Equal(["Alice Martin", "Bob", "Carole"], rows.Select(r => r.GetAttribute("data-holder")));
        var alice = rows[0];
        var sheet = alice.QuerySelector(".share-sheet a")!;
        Assert.Equal("share-alice-martin.txt", sheet.GetAttribute("download"));
        Assert.Equal("share-alice-martin.png", alice.QuerySelector(".share-qr a")!.GetAttribute("download"));
        Assert.Equal("Télécharger la feuille de Alice Martin", sheet.GetAttribute("aria-label"));

        // Each link serves its file once, to the person who issued the kit only.
        var id = Uri.UnescapeDataString(sheet.GetAttribute("href")!.Split('/')[^1]);
        Assert.Null(Downloads.Take("someone-else", id));
        var file = Downloads.Take(root.Id, id);
        Assert.NotNull(file);
        var text = System.Text.Encoding.UTF8.GetString(file.Content);
        Assert.Contains("Alice Martin", text, StringComparison.Ordinal);
        Assert.Contains(RecoveryShareFormat.Prefix + "-", text, StringComparison.Ordinal);
        Assert.Null(Downloads.Take(root.Id, id));

        var qrId = Uri.UnescapeDataString(alice.QuerySelector(".share-qr a")!.GetAttribute("href")!.Split('/')[^1]);
        var qr = Downloads.Take(root.Id, qrId)!;
        Assert.Equal("image/png", qr.ContentType);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], qr.Content[..4]);

        var sealedLink = page.Find("#kit-sealed a");
        Assert.EndsWith(".sealed", sealedLink.GetAttribute("download"), StringComparison.Ordinal);

        // The panel's state went into the default organization's backups (real restic).
        page.WaitForAssertion(() => Assert.Contains("L'état du panneau est sauvegardé", page.Find("#kit-state-backup").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        // A link clicked gives way to a word that it was downloaded.
        await page.InvokeAsync(() => page.Find("tr[data-holder='Bob'] .share-sheet a").Click());
        page.WaitForAssertion(() => Assert.Contains("share-bob.txt téléchargé", page.Find("tr[data-holder='Bob'] .share-sheet").TextContent, StringComparison.Ordinal));

        // Closing forgets the files not downloaded; a page opened again shows none of them.
        var bobQr = Uri.UnescapeDataString(page.Find("tr[data-holder='Carole'] .share-qr a").GetAttribute("href")!.Split('/')[^1]);
        await page.InvokeAsync(() => page.Find("#kit-close").Click());
        Assert.False(Downloads.IsWaiting(bobQr));
        Assert.Empty(page.FindAll("#kit-shares"));
        page.WaitForElement("#kit-form");

        // With a kit and the form both on the page, each id is the form's or the status's, not both.
        Assert.Single(page.FindAll("#kit-holders"));
        Assert.Single(page.FindAll("#kit-threshold"));
        Assert.Equal("Détentrices et détenteurs des parts : Alice Martin, Bob, Carole.", page.Find("#kit-status-holders").TextContent.Trim());

        var again = RenderPage();
        Assert.Empty(again.FindAll("#kit-shares"));
    }

    [Fact]
    public async Task Leaving_the_page_forgets_the_files_not_downloaded()
    {
        await SignInAsync("root@example.org", hoster: true);
        ConfirmIdentityNow();
        var page = RenderPage();
        page.WaitForElement("#kit-form");
        await FillAsync(page, "Alice\nBob\nCarole", 2);
        await page.InvokeAsync(() => page.Find("#kit-form").Submit());
        page.WaitForElement("#kit-shares", TimeSpan.FromSeconds(10));
        var ids = page.FindAll("#kit-issue a.kit-download").Select(a => Uri.UnescapeDataString(a.GetAttribute("href")!.Split('/')[^1])).ToList();
        Assert.Equal(7, ids.Count);
        Assert.All(ids, id => Assert.True(Downloads.IsWaiting(id)));

        await DisposeComponentsAsync();

        Assert.All(ids, id => Assert.False(Downloads.IsWaiting(id)));
    }

    [Fact]
    public async Task The_continuity_page_links_the_kit_and_a_hoster_gets_a_link_to_make_it()
    {
        await SignInAsync("root@example.org", hoster: true);

        var page = Render<ContinuityPage>();

        page.WaitForElement("#kit-link");
        Assert.Equal(RecoveryKitEndpoints.PagePath, page.Find("#kit-link").GetAttribute("href"));
        page.WaitForElement("li[data-check='NoRecoveryKit'] a");
        Assert.Equal(RecoveryKitEndpoints.PagePath, page.Find("li[data-check='NoRecoveryKit'] a").GetAttribute("href"));
    }
}
