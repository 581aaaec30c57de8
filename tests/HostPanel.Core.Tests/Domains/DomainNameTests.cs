using HostPanel.Core.Domains;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Tests.Domains;

public sealed class DomainNameTests
{
    [Theory]
    [InlineData("cloud.velo-lyon.fr", "cloud.velo-lyon.fr")]
    [InlineData("  Cloud.Velo-Lyon.FR.  ", "cloud.velo-lyon.fr")]
    [InlineData("a.b.c.d.example.org", "a.b.c.d.example.org")]
    [InlineData("123.example.org", "123.example.org")]
    [InlineData("x--y.example.org", "x--y.example.org")]
    public void AcceptsAndNormalizesPlainNames(string typed, string ascii)
    {
        var name = DomainName.TryParse(typed, allowWildcard: false, out var problem);

        Assert.Null(problem);
        Assert.NotNull(name);
        Assert.Equal(ascii, name.Ascii);
        Assert.Equal(ascii, name.Unicode);
        Assert.False(name.IsWildcard);
    }

    [Fact]
    public void InternationalNamesAreKeptInPunycodeAndShownWithTheirAccents()
    {
        var name = DomainName.Parse("Atelier-Vélo.Café.fr");

        Assert.Equal("xn--atelier-vlo-jbb.xn--caf-dma.fr", name.Ascii);
        Assert.Equal("atelier-vélo.café.fr", name.Unicode);
        Assert.Equal(name, DomainName.Parse(name.Ascii));
    }

    [Fact]
    public void AWildcardIsAcceptedOnlyWhereDnsValidationIsChosen()
    {
        Assert.Null(DomainName.TryParse("*.velo-lyon.fr", allowWildcard: false, out var refused));
        Assert.Equal(CoreText.Format("DomainWildcardNeedsDns", "*.velo-lyon.fr"), refused);

        var wildcard = DomainName.Parse("*.Vélo-Lyon.fr", allowWildcard: true);
        Assert.True(wildcard.IsWildcard);
        Assert.Equal("*.xn--vlo-lyon-b1a.fr", wildcard.Ascii);
        Assert.Equal("*.vélo-lyon.fr", wildcard.Unicode);
    }

    public static TheoryData<string?, string> Refused => new()
    {
        { null, CoreText.Get("DomainEmpty") },
        { "", CoreText.Get("DomainEmpty") },
        { "   ", CoreText.Get("DomainEmpty") },
        { "https://cloud.velo-lyon.fr", CoreText.Format("DomainNotAName", "https://cloud.velo-lyon.fr") },
        { "cloud.velo-lyon.fr/nextcloud", CoreText.Format("DomainNotAName", "cloud.velo-lyon.fr/nextcloud") },
        { "contact@velo-lyon.fr", CoreText.Format("DomainNotAName", "contact@velo-lyon.fr") },
        { "192.0.2.10", CoreText.Format("DomainIsAddress", "192.0.2.10") },
        { "2001:db8::1", CoreText.Format("DomainIsAddress", "2001:db8::1") },
        { "[2001:db8::1]", CoreText.Format("DomainIsAddress", "[2001:db8::1]") },
        { "cloud.velo-lyon.fr:8443", CoreText.Format("DomainHasPort", "cloud.velo-lyon.fr:8443") },
        { "a.*.velo-lyon.fr", CoreText.Format("DomainBadWildcard", "a.*.velo-lyon.fr") },
        { "cloud..velo-lyon.fr", CoreText.Format("DomainEmptyLabel", "cloud..velo-lyon.fr") },
        { ".velo-lyon.fr", CoreText.Format("DomainEmptyLabel", ".velo-lyon.fr") },
        { "cloud velo.fr", CoreText.Format("DomainBadCharacter", "cloud velo.fr", "U+0020") },
        { "my_cloud.velo.fr", CoreText.Format("DomainBadCharacter", "my_cloud.velo.fr", "_") },
        { "cloud!.velo.fr", CoreText.Format("DomainBadCharacter", "cloud!.velo.fr", "!") },
        { "-cloud.velo.fr", CoreText.Format("DomainLabelHyphen", "-cloud.velo.fr", "-cloud") },
        { "cloud-.velo.fr", CoreText.Format("DomainLabelHyphen", "cloud-.velo.fr", "cloud-") },
        { "localhost", CoreText.Format("DomainNeedsDot", "localhost") },
        { "nextcloud", CoreText.Format("DomainNeedsDot", "nextcloud") },
        { "10.0.0.300", CoreText.Format("DomainNotAName", "10.0.0.300") },
        { "xn--zz-.velo.fr", CoreText.Format("DomainLabelHyphen", "xn--zz-.velo.fr", "xn--zz-") },
        { "xn--a.velo.fr", CoreText.Format("DomainNotAName", "xn--a.velo.fr") },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void RefusesWithAMessageThatSaysWhatIsWrong(string? typed, string expected)
    {
        Assert.Null(DomainName.TryParse(typed, allowWildcard: false, out var problem));
        Assert.Equal(expected, problem);
        Assert.Equal(expected, Assert.Throws<FormatException>(() => DomainName.Parse(typed)).Message);
    }

    [Fact]
    public void RefusesTooLongLabelsAndNames()
    {
        var label = new string('a', 64);
        Assert.Null(DomainName.TryParse($"{label}.velo.fr", false, out var longLabel));
        Assert.Equal(CoreText.Format("DomainLabelTooLong", $"{label}.velo.fr", label, 63), longLabel);
        Assert.NotNull(DomainName.TryParse($"{label[..63]}.velo.fr", false, out _));

        // 4 labels of 63 + 3 dots = 255 > 253; 253 is still fine.
        var part = new string('b', 63);
        var tooLong = $"{part}.{part}.{part}.{part}";
        Assert.Null(DomainName.TryParse(tooLong, false, out var problem));
        Assert.Equal(CoreText.Format("DomainTooLong", 255, 253), problem);
        var longest = $"{part}.{part}.{part}.{new string('c', 61)}";
        Assert.Equal(253, DomainName.Parse(longest).Ascii.Length);
    }

    [Fact]
    public void TheLengthLimitCountsThePunycodeForm()
    {
        // 42 accented letters make a label of 65 characters once in punycode.
        var label = string.Concat(Enumerable.Repeat("àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ", 2))[..42];
        Assert.Null(DomainName.TryParse(label + ".velo.fr", false, out var problem));
        Assert.Equal(CoreText.Format("DomainLabelTooLong", label + ".velo.fr", label, 63), problem);
        Assert.NotNull(DomainName.TryParse(label[..41] + ".velo.fr", false, out _));
    }
}
