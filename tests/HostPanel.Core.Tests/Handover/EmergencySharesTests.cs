using System.Security.Cryptography;
using HostPanel.Core.Handover;

namespace HostPanel.Core.Tests.Handover;

/// <summary>What the emergency access page reads in its text field, and what the holders' sheets say of it.</summary>
public class EmergencySharesTests
{
    private static (RecoveryKitContents Contents, string Sealed, List<string> Lines) Make()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var contents = new RecoveryKitContents
        {
            KitId = Guid.NewGuid(),
            IssuedAt = new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.Zero),
            Threshold = 2,
            Holders = ["Ada", "Bruno", "Chloé"],
            PanelAddress = "https://panel.velo-lyon.fr/",
            Repositories = [],
            KeyRing = new Dictionary<string, string>(),
            RecoveryCredential = "hprc-credential",
        };
        var lines = RecoveryShareFormat.Lines(contents.KitId, key, 2, 3).ToList();
        return (contents, SealedKit.Seal(contents, 3, key), lines);
    }

    [Fact]
    public void TypedLinesAreEachAShareEvenAMiscopiedOne()
    {
        var (_, _, lines) = Make();

        var given = EmergencyAccess.SharesIn($"  {lines[0]}  \r\n\r\n{lines[1]}\nHKP1-not-a-share\n");

        Assert.Equal([lines[0], lines[1], "HKP1-not-a-share"], given.Lines);
        Assert.Null(given.SealedKit);
        Assert.Empty(EmergencyAccess.SharesIn("  \n ").Lines);
        Assert.Empty(EmergencyAccess.SharesIn(null).Lines);
    }

    [Fact]
    public void PastedSheetsGiveTheirShareLinesAndTheSealedKit()
    {
        var (contents, sealedKit, lines) = Make();
        var sheets = new[] { 1, 3 }.Select(x => RecoveryShareDocuments.Build(contents, 3, contents.Holders[x - 1], x, lines[x - 1], sealedKit, $"sheet-{x}").Text);

        var given = EmergencyAccess.SharesIn(string.Join("\n", sheets));

        Assert.Equal([lines[0], lines[2]], given.Lines);
        Assert.Equal(SealedKit.Find(sealedKit), given.SealedKit);
        Assert.Equal(contents.KitId, RecoveryKitReader.Open(given.Lines, given.SealedKit!).KitId);
    }

    [Fact]
    public void EachSheetSaysWhereTheEmergencyAccessIsInBothLanguages()
    {
        var (contents, sealedKit, lines) = Make();

        var sheet = RecoveryShareDocuments.Build(contents, 3, "Ada", 1, lines[0], sealedKit, "sheet-1").Text;

        Assert.Contains("2 détenteurs réunis peuvent rendre l'accès à un compte depuis la page « Accès de secours » du panneau (https://panel.velo-lyon.fr/access/emergency)", sheet, StringComparison.Ordinal);
        Assert.Contains("2 holders together can give an account access back from the panel's \"Emergency access\" page (https://panel.velo-lyon.fr/access/emergency)", sheet, StringComparison.Ordinal);
    }
}
