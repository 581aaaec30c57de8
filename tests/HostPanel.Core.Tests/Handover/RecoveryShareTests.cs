using System.Security.Cryptography;
using HostPanel.Core.Apps;
using HostPanel.Core.Handover;

namespace HostPanel.Core.Tests.Handover;

public class RecoveryShareTests
{
    [Fact]
    public void ALineReadsBackAsTheShareItWasMadeFrom()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var kit = Guid.NewGuid();
        var line = RecoveryShareFormat.Lines(kit, key, 3, 5)[3];

        var share = RecoveryShareFormat.Parse(line, 1);

        Assert.Matches("^HPK1-[0-9A-Z]{8}-3of5-4(-[0-9A-Z]{5}){14}-[0-9A-Z]{3}-[0-9A-Z]{8}$", line);
        Assert.Equal(RecoveryShareFormat.KitTag(kit), share.KitTag);
        Assert.Equal((3, 5, (byte)4), (share.Threshold, share.Count, share.X));
        Assert.Equal(32, share.Value.Length);
        Assert.Equal(RecoveryShareFormat.Commitment(key), share.Commitment);

        // Typed by hand: lower case, spaces and line breaks, O for 0 and l for 1 are forgiven.
        var typed = string.Join(' ', line.ToLowerInvariant().Replace('0', 'o').Replace('1', 'l').Chunk(20).Select(c => new string(c)));
        Assert.Equal(share.Value, RecoveryShareFormat.Parse(typed.Replace("hpkl", "hpk1", StringComparison.Ordinal).Insert(30, "\n"), 1).Value);
    }

    [Fact]
    public void AnyChangedCharacterIsDetectedAndItsShareNamed()
    {
        using var english = CultureScope.English();
        var line = RecoveryShareFormat.Lines(Guid.NewGuid(), RandomNumberGenerator.GetBytes(32), 2, 3)[1];
        for (var i = 0; i < line.Length; i++)
        {
            foreach (var step in new[] { 1, 7, 16 })
            {
                var changed = line[..i] + Other(line[i], step) + line[(i + 1)..];
                var error = Assert.Throws<AppRequestException>(() => RecoveryShareFormat.Parse(changed, 2));
                Assert.StartsWith("The 2nd share", error.Message, StringComparison.Ordinal);
                Assert.Equal("share", error.Field);
            }
        }
    }

    [Fact]
    public void ATypoInTheLettersNamesItsGroup()
    {
        using var english = CultureScope.English();
        var line = RecoveryShareFormat.Lines(Guid.NewGuid(), RandomNumberGenerator.GetBytes(32), 2, 3)[0];
        var parts = line.Split('-');

        // The third group of letters is the 7th dash-separated part (HPK1, kit, 2of3, 1, g1, g2, g3).
        parts[6] = Other(parts[6][0], 3) + parts[6][1..];
        var group = Assert.Throws<AppRequestException>(() => RecoveryShareFormat.Parse(string.Join('-', parts), 1));
        parts = line.Split('-');
        parts[3] = "3";
        var header = Assert.Throws<AppRequestException>(() => RecoveryShareFormat.Parse(string.Join('-', parts), 3));

        Assert.Contains("The 1st share: group 3", group.Message, StringComparison.Ordinal);
        Assert.Contains("The 3rd share does not match its final check", header.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusalsAreInFrenchByDefault()
    {
        using var french = CultureScope.French();
        var error = Assert.Throws<AppRequestException>(() => RecoveryShareFormat.Parse("HPK2-ABC", 1));

        Assert.StartsWith("La 1re part ne commence pas par HPK1-", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("HPK1-ABCDEFGH-2of3-1")]
    [InlineData("HPK1-ABCDEFGH-1of3-1-00000-00000000")]
    [InlineData("HPK1-ABCDEFGH-4of3-1-00000-00000000")]
    [InlineData("HPK1-ABCDEFGH-2of3-4-00000-00000000")]
    [InlineData("HPK1-ABCDEFGH-2of3-0-00000-00000000")]
    [InlineData("HPK1-ABCDEFGU-2of3-1-00000-00000000")]
    [InlineData("HPK1-ABCDEFGH-2of3-1-00000-0000000")]
    [InlineData("hello world")]
    public void MalformedLinesAreRefused(string text)
    {
        Assert.Throws<AppRequestException>(() => RecoveryShareFormat.Parse(text, 1));
    }

    /// <summary>Another character than <paramref name="c"/>, <paramref name="step"/> letters further in the alphabet (a dash becomes a letter).</summary>
    private static char Other(char c, int step)
    {
        var value = ShareAlphabetValue(c);
        return value < 0 ? 'Q' : "0123456789ABCDEFGHJKMNPQRSTVWXYZ"[(value + step) % 32];
    }

    private static int ShareAlphabetValue(char c) => char.ToUpperInvariant(c) switch
    {
        'O' => 0,
        'I' or 'L' => 1,
        var u => "0123456789ABCDEFGHJKMNPQRSTVWXYZ".IndexOf(u, StringComparison.Ordinal),
    };
}
