using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;

namespace HostPanel.Integration.Tests.Handover;

public partial class RecoveryCliTextTests
{
    private static Dictionary<string, string> Texts(string culture)
    {
        var resources = new ResourceManager("HostPanel.Cli.Resources.RecoveryCliText", typeof(HostPanel.Cli.HostPanelCli).Assembly);
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

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"\{[0-9]+\}")]
    private static partial Regex Placeholder();
}
