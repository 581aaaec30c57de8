using System.Net;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using HostPanel.Core.Accounts;
using HostPanel.Core.Handover;
using HostPanel.Infrastructure.Accounts;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Functional;

/// <summary>
/// The recovery kit's emergency access on the real panel over HTTP: the only administrator lost
/// their authenticator; two holders of a 2-of-3 kit type their shares and give the account back.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class EmergencyAccessOverHttpTests
{
    private const string NewPassword = "un vélo réparé vaut deux vélos neufs";
    private const string WrongPassword = "Adresse e-mail ou mot de passe incorrect.";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_holders_give_the_only_administrator_access_back_and_one_cannot()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, "--AccountFormsPerMinute", "1000");
        using var ada = await AccountClient.CreateAsync(panel, "ada@velo.example.org", hosterAdministrator: true);
        await ada.SignInAsync();
        await ada.EnrolAsync();
        var kit = await panel.App.Services.GetRequiredService<RecoveryKitService>()
            .CreateAsync(Caller.Server("test"), 2, ["Ada", "Bruno", "Chloé"], Ct);
        var shares = kit.Documents.Select(d => RecoveryShareFormat.FindLine(d.Text)!).ToList();

        using var holders = new AccountClient(panel, "ada@velo.example.org", NewPassword);
        var page = await holders.Http.GetAsync(EmergencyAccess.PagePath, Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(page.Headers.CacheControl?.NoStore);
        Assert.Equal("no-referrer", Assert.Single(page.Headers.GetValues("Referrer-Policy")));
        Assert.Contains("Accès de secours avec le kit de secours", RunningPanel.Text(await page.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);

        // One share: refused before anything is computed, and the account is as it was.
        var one = await SendAsync(holders, shares[0], "ada@velo.example.org");
        Assert.Contains("1 part(s) donnée(s), il en faut 2 pour ouvrir ce kit.", one, StringComparison.Ordinal);
        Assert.DoesNotContain("emergency-done", one, StringComparison.Ordinal);
        Assert.True((await ada.UserAsync()).TwoFactorEnabled);
        Assert.Contains(WrongPassword, await AccountClient.TextAsync(await holders.SignInAsync()), StringComparison.Ordinal);

        // A miscopied share is named with its place; an unknown account is named too.
        var typo = await SendAsync(holders, shares[0] + "\n" + Miscopy(shares[2]), "ada@velo.example.org");
        Assert.Contains("La 2e part : le groupe n° 1", typo, StringComparison.Ordinal);
        Assert.DoesNotContain(NewPassword, typo, StringComparison.Ordinal);
        var nobody = await SendAsync(holders, shares[0] + "\n" + shares[2], "personne@velo.example.org");
        Assert.Contains("personne@velo.example.org", nobody, StringComparison.Ordinal);
        Assert.DoesNotContain("emergency-done", nobody, StringComparison.Ordinal);

        // Two shares: Ada administers again with the new password, her second step is to set up
        // again, her old password and sessions are gone.
        var done = await SendAsync(holders, shares[2] + "\n\n" + shares[0] + "\n", "ada@velo.example.org");
        Assert.Contains("ada@velo.example.org administre de nouveau tout le serveur.", done, StringComparison.Ordinal);
        var user = await ada.UserAsync();
        Assert.False(user.TwoFactorEnabled);
        var signIn = await holders.SignInAsync();
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.DoesNotContain("/signin", AccountClient.Where(signIn) ?? string.Empty, StringComparison.Ordinal);
        using var oldPassword = new AccountClient(panel, "ada@velo.example.org", AccountClient.Password);
        Assert.Contains(WrongPassword, await AccountClient.TextAsync(await oldPassword.SignInAsync()), StringComparison.Ordinal);
        Assert.Contains(await ada.EventsAsync(), e => e.Kind == SecurityEventKinds.AdministratorRecovered);

        // The audit log keeps the refusals and the recovery, under the kit's name.
        var lines = await panel.App.Services.GetRequiredService<AuditService>().ListAsync(Caller.Server("test"), null, ct: Ct);
        var kitLines = lines.Where(l => l.Entry.Action == AuditActions.AdministratorRecoverWithKit).ToList();
        Assert.Contains(kitLines, l => l.Entry.Result == AuditResult.Refused && l.Entry.Actor == EmergencyAccess.Actor);
        var recovered = Assert.Single(kitLines, l => l.Entry.Result == AuditResult.Succeeded);
        Assert.Equal("ada@velo.example.org", recovered.Entry.Subject);
        Assert.StartsWith(EmergencyAccess.Actor + " ", recovered.Entry.Actor, StringComparison.Ordinal);
        // No part of a share is kept: not even the group a refusal quoted.
        var groups = shares.SelectMany(s => s.Split('-').Skip(4)).Where(g => g.Length >= 4).ToList();
        Assert.DoesNotContain(lines, l => groups.Any(g => $"{l.Entry.Subject} {l.Entry.Detail}".Contains(g, StringComparison.Ordinal)));

        // A kit serves once: the same shares open nothing more, and its status asks for a new one.
        var again = await SendAsync(holders, shares[0] + "\n" + shares[1], "ada@velo.example.org");
        Assert.Contains($"Le kit {RecoveryShareFormat.KitTag(kit.Id)} a déjà servi à un accès de secours le", again, StringComparison.Ordinal);
        var status = await panel.App.Services.GetRequiredService<RecoveryKitService>().StatusAsync(Caller.Server("test"), Ct);
        Assert.False(status!.Summary.IsCurrent);
        Assert.Equal([new RecoveryKitChange(RecoveryKitChange.UsedItem, RecoveryKitChangeKind.Changed)], status.Changes);
    }

    [Fact]
    public async Task Only_the_last_kit_opens_and_a_pasted_sheet_stands_in_for_its_lost_sealed_file()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, "--AccountFormsPerMinute", "1000");
        using var ada = await AccountClient.CreateAsync(panel, "ada@velo.example.org", hosterAdministrator: true);
        var kits = panel.App.Services.GetRequiredService<RecoveryKitService>();
        var old = await kits.CreateAsync(Caller.Server("test"), 2, ["Ada", "Bruno", "Chloé"], Ct);
        var last = await kits.CreateAsync(Caller.Server("test"), 2, ["Ada", "Bruno", "Chloé"], Ct);
        using var holders = new AccountClient(panel, "ada@velo.example.org", NewPassword);

        var replaced = await SendAsync(holders, string.Join('\n', old.Documents.Take(2).Select(d => RecoveryShareFormat.FindLine(d.Text))), ada.Email);
        Assert.Contains($"Ces parts sont celles du kit {RecoveryShareFormat.KitTag(old.Id)}", replaced, StringComparison.Ordinal);

        File.Delete(last.SealedKitFile);
        var lines = string.Join('\n', last.Documents.Take(2).Select(d => RecoveryShareFormat.FindLine(d.Text)));
        Assert.Contains("n'est plus sur ce serveur", await SendAsync(holders, lines, ada.Email), StringComparison.Ordinal);
        Assert.Contains(WrongPassword, await AccountClient.TextAsync(await holders.SignInAsync()), StringComparison.Ordinal);

        // Someone who knows the kit's identity seals a kit of their own, with shares that open it:
        // its recovery credential is not the one the server kept.
        var forgedKey = RandomNumberGenerator.GetBytes(SealedKit.KeyLength);
        var forged = new RecoveryKitContents
        {
            KitId = last.Id,
            IssuedAt = last.IssuedAt,
            Threshold = 2,
            Holders = ["Ada", "Bruno", "Chloé"],
            Repositories = [],
            KeyRing = new Dictionary<string, string>(),
            RecoveryCredential = "hprc-forged",
        };
        var forgedLines = RecoveryShareFormat.Lines(last.Id, forgedKey, 2, 3).Take(2);
        var forgery = await SendAsync(holders, string.Join('\n', forgedLines) + "\n" + SealedKit.Seal(forged, 3, forgedKey), ada.Email);
        Assert.Contains($"Le kit {RecoveryShareFormat.KitTag(last.Id)} s'ouvre, mais il ne correspond pas", forgery, StringComparison.Ordinal);
        Assert.Contains(WrongPassword, await AccountClient.TextAsync(await holders.SignInAsync()), StringComparison.Ordinal);

        // Far too much text is refused before anything reads it.
        Assert.Contains("Ce texte est bien trop long pour quelques parts", await SendAsync(holders, new string('A', 300 * 1024), ada.Email), StringComparison.Ordinal);

        // The holders' sheets carry the sealed kit: pasted whole, they open it.
        var done = await SendAsync(holders, last.Documents[1].Text + "\n" + last.Documents[2].Text, ada.Email);
        Assert.Contains("administre de nouveau tout le serveur.", done, StringComparison.Ordinal);
        var signIn = await holders.SignInAsync();
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.DoesNotContain("/signin", AccountClient.Where(signIn) ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kit_that_is_not_the_one_the_server_recorded_is_refused()
    {
        await using var panel = await RunningPanel.StartAsync(Ct, "--AccountFormsPerMinute", "1000");
        using var ada = await AccountClient.CreateAsync(panel, "ada@velo.example.org", hosterAdministrator: true);
        var kit = await panel.App.Services.GetRequiredService<RecoveryKitService>().CreateAsync(Caller.Server("test"), 2, ["Ada", "Bruno"], Ct);
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(panel.DataDirectory, "hostpanel.db")}"))
        {
            await db.OpenAsync(Ct);
            await using var change = db.CreateCommand();
            change.CommandText = "UPDATE RecoveryKits SET CredentialHash = $hash";
            change.Parameters.AddWithValue("$hash", new string('0', 64));
            Assert.Equal(1, await change.ExecuteNonQueryAsync(Ct));
        }

        using var holders = new AccountClient(panel, "ada@velo.example.org", NewPassword);
        var refused = await SendAsync(holders, string.Join('\n', kit.Documents.Select(d => RecoveryShareFormat.FindLine(d.Text))), ada.Email);

        Assert.Contains($"Le kit {RecoveryShareFormat.KitTag(kit.Id)} s'ouvre, mais il ne correspond pas", refused, StringComparison.Ordinal);
        Assert.Contains(WrongPassword, await AccountClient.TextAsync(await holders.SignInAsync()), StringComparison.Ordinal);
    }

    private static async Task<string> SendAsync(AccountClient client, string shares, string email)
    {
        var response = await client.SendFormAsync(EmergencyAccess.PagePath, "emergency", new Dictionary<string, string>
        {
            ["Input.Shares"] = shares,
            ["Input.Email"] = email,
            ["Input.Password"] = NewPassword,
            ["Input.PasswordConfirmation"] = NewPassword,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return RunningPanel.Text(await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>The share with one letter of its first group changed, as a slip of the pen does.</summary>
    private static string Miscopy(string share)
    {
        // HPK1, kit, 2of3, x, then the groups of letters.
        var parts = share.Split('-');
        parts[4] = (parts[4][0] == 'A' ? 'B' : 'A') + parts[4][1..];
        return string.Join('-', parts);
    }
}
