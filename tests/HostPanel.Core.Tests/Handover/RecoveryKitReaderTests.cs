using System.Security.Cryptography;
using HostPanel.Core.Apps;
using HostPanel.Core.Handover;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Tests.Handover;

public class RecoveryKitReaderTests
{
    private sealed record Kit(RecoveryKitContents Contents, string Sealed, List<string> Shares, byte[] Key);

    private static Kit Make(int k, int n)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var contents = new RecoveryKitContents
        {
            KitId = Guid.NewGuid(),
            IssuedAt = new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.Zero),
            Threshold = k,
            Holders = [.. Enumerable.Range(1, n).Select(i => $"Holder {i}")],
            PanelAddress = "https://panel.velo-lyon.fr",
            Repositories =
            [
                new RecoveryRepository { OrganizationId = "default", Location = "/var/lib/hostpanel/backups/default", Password = "pw-default-0123456789" },
                new RecoveryRepository { OrganizationId = "velo", Location = "sftp:backup@host:/srv/velo", Password = "pw-velo-0123456789", SshKeyFile = "/root/.ssh/velo", SshKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n", SshKnownHostsFile = "/root/.ssh/known", SshKnownHosts = "host ssh-ed25519 AAAA" },
            ],
            KeyRing = new Dictionary<string, string> { ["key-1.xml"] = "<key id=\"1\" />" },
            RecoveryCredential = "hprc-credential",
        };
        var lines = RecoveryShareFormat.Lines(contents.KitId, key, k, n).ToList();
        return new Kit(contents, SealedKit.Seal(contents, n, key), lines, key);
    }

    [Fact]
    public void KSharesOpenTheKitWithEverythingItSealed()
    {
        var kit = Make(2, 3);

        var opened = RecoveryKitReader.Open([kit.Shares[2], kit.Shares[0]], kit.Sealed);

        Assert.Equal(kit.Contents.KitId, opened.KitId);
        Assert.Equal(kit.Contents.IssuedAt, opened.IssuedAt);
        Assert.Equal(kit.Contents.Holders, opened.Holders);
        Assert.Equal(kit.Contents.Repositories.Count, opened.Repositories.Count);
        Assert.All(opened.Repositories, (r, i) => Assert.Equal(kit.Contents.Repositories[i], r));
        Assert.Equal(kit.Contents.KeyRing, opened.KeyRing);
        Assert.Equal("hprc-credential", opened.RecoveryCredential);
        Assert.Equal("https://panel.velo-lyon.fr", opened.PanelAddress);
        Assert.StartsWith(SealedKit.Begin, kit.Sealed, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-velo", kit.Sealed, StringComparison.Ordinal);
    }

    [Fact]
    public void FewerThanKSharesAreRefusedAndTheRefusalRevealsNothing()
    {
        using var english = CultureScope.English();
        var kit = Make(3, 5);

        var error = Assert.Throws<AppRequestException>(() => RecoveryKitReader.Open([kit.Shares[0], kit.Shares[4]], kit.Sealed));

        Assert.Equal("2 share(s) given, 3 needed to open this kit. Nothing was opened: ask other holders for their shares.", error.Message);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public void SharesOfTwoKitsMixedAreRefusedAsMismatched()
    {
        using var english = CultureScope.English();
        var first = Make(2, 3);
        var second = Make(2, 3);

        var mixed = Assert.Throws<AppRequestException>(() => RecoveryKitReader.Open([first.Shares[0], second.Shares[1]], first.Sealed));
        var otherBlock = Assert.Throws<AppRequestException>(() => RecoveryKitReader.Open([second.Shares[0], second.Shares[1]], first.Sealed));

        Assert.StartsWith("The 2nd share does not come from the same recovery kit as the 1st", mixed.Message, StringComparison.Ordinal);
        Assert.StartsWith("The 1st share (kit", otherBlock.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameShareTwiceIsRefused()
    {
        using var english = CultureScope.English();
        var kit = Make(2, 3);

        var error = Assert.Throws<AppRequestException>(() => RecoveryKitReader.Open([kit.Shares[1], kit.Shares[0], kit.Shares[1].ToLowerInvariant()], kit.Sealed));

        Assert.StartsWith("The 1st and the 3rd shares are the same share (number 2)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATamperedSealedKitDoesNotOpen()
    {
        using var english = CultureScope.English();
        var kit = Make(2, 3);
        var lines = kit.Sealed.Split('\n');
        var body = Array.FindIndex(lines, l => l.Length == 64);
        var flipped = (string[])lines.Clone();
        flipped[body] = (flipped[body][10] == 'A' ? 'B' : 'A') + flipped[body][1..];
        var relabelled = kit.Sealed.Replace("Issued: 2026-11-27T09:30", "Issued: 2026-11-28T09:30", StringComparison.Ordinal);

        var body1 = Assert.Throws<AppRequestException>(() => RecoveryKitReader.Open(kit.Shares[..2], string.Join('\n', flipped)));
        var header = Assert.Throws<AppRequestException>(() => RecoveryKitReader.Open(kit.Shares[..2], relabelled));
        var missing = Assert.Throws<AppRequestException>(() => RecoveryKitReader.Open(kit.Shares[..2], "nothing here"));

        Assert.StartsWith("The sealed kit does not open with these shares", body1.Message, StringComparison.Ordinal);
        Assert.StartsWith("The sealed kit does not open with these shares", header.Message, StringComparison.Ordinal);
        Assert.StartsWith("The sealed kit was not found", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SharesMadeForAShortKeyOpenNothingAndSayIt()
    {
        using var english = CultureScope.English();
        var kit = Make(2, 3);

        // Shares anyone can make: a 5-byte key, its commitment, the kit's own labels.
        var shortKey = RandomNumberGenerator.GetBytes(5);
        var made = RecoveryShareFormat.Lines(kit.Contents.KitId, shortKey, 2, 3).Take(2).ToList();

        var error = Assert.Throws<AppRequestException>(() => RecoveryKitReader.Open(made, kit.Sealed));

        Assert.StartsWith("The sealed kit does not open with these shares", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASealedKitThatWouldUnpackIntoTooMuchIsRefusedAsDamaged()
    {
        using var english = CultureScope.English();
        var key = RandomNumberGenerator.GetBytes(SealedKit.KeyLength);
        var bomb = Make(2, 3).Contents with { KeyRing = new Dictionary<string, string> { ["key.xml"] = new string('a', SealedKit.MaxContentsLength) } };
        var sealedBomb = SealedKit.Seal(bomb, 3, key);

        var error = Assert.Throws<AppRequestException>(() => SealedKit.Open(sealedBomb, key));

        Assert.True(sealedBomb.Length < 200_000, $"{sealedBomb.Length} characters sealed");
        Assert.Equal(RecoveryText.Get("KitDamaged"), error.Message);
    }

    [Fact]
    public void SharesThatPassTheirChecksButDoNotFitAreCaughtByTheCommitment()
    {
        using var english = CultureScope.English();
        var kit = Make(2, 3);

        // A share re-made with other bytes but the same kit, number and commitment: its checks
        // pass (as with a typo the checks missed), the combination does not give the key.
        var real = RecoveryShareFormat.Parse(kit.Shares[1], 2);
        var forged = RecoveryShareFormat.Format(real with { Value = RandomNumberGenerator.GetBytes(32) });

        var error = Assert.Throws<AppRequestException>(() => RecoveryKitReader.Open([kit.Shares[0], forged], kit.Sealed));

        Assert.StartsWith("The shares given do not rebuild the kit key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShareDocumentsAreEnough()
    {
        var kit = Make(2, 3);
        string Document(int i) => $"Holder {i + 1}\nSome words\n\n  {kit.Shares[i]}\n\n{kit.Sealed}";

        var opened = RecoveryKitReader.OpenDocuments([Document(0), Document(2)]);

        Assert.Equal(kit.Contents.KitId, opened.KitId);
        Assert.Equal(kit.Sealed, RecoveryKitReader.FindSealedKit([Document(1)]));
    }
}
