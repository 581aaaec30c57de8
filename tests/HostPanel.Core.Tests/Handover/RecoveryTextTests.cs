using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Tests.Handover;

public partial class RecoveryTextTests
{
    private static Dictionary<string, string> Texts(string culture)
    {
        var resources = new ResourceManager("HostPanel.Core.Resources.RecoveryText", typeof(RecoveryText).Assembly);
        var set = resources.GetResourceSet(CultureInfo.GetCultureInfo(culture), createIfNotExists: true, tryParents: false)!;
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }

    [Fact]
    public void EveryFrenchTextHasAnEnglishOneWithTheSamePlaceholders()
    {
        var french = Texts("");
        var english = Texts("en");

        Assert.NotEmpty(french);
        Assert.Equal(french.Keys.Order(StringComparer.Ordinal), english.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, text) in french)
        {
            Assert.True(Placeholders(text).SetEquals(Placeholders(english[key])), key);
        }
    }

    [Theory]
    [InlineData("en", 1, "1st")]
    [InlineData("en", 2, "2nd")]
    [InlineData("en", 3, "3rd")]
    [InlineData("en", 4, "4th")]
    [InlineData("en", 11, "11th")]
    [InlineData("en", 12, "12th")]
    [InlineData("en", 21, "21st")]
    [InlineData("en", 113, "113th")]
    [InlineData("fr", 1, "1re")]
    [InlineData("fr", 2, "2e")]
    [InlineData("fr", 21, "21e")]
    public void SharesAreNamedByTheirPlace(string culture, int position, string expected)
    {
        using var scope = culture == "en" ? CultureScope.English() : CultureScope.French();
        Assert.Equal(expected, RecoveryText.Ordinal(position));
    }

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"\{[0-9]+\}")]
    private static partial Regex Placeholder();
}
