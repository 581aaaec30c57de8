using System.Collections;
using System.Globalization;
using System.Resources;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Tests.Handover;

public sealed class ContinuityTextTests
{
    private static Dictionary<string, string> Texts(string culture)
    {
        var resources = new ResourceManager("HostPanel.Core.Resources.ContinuityText", typeof(ContinuityText).Assembly);
        var set = resources.GetResourceSet(CultureInfo.GetCultureInfo(culture), createIfNotExists: true, tryParents: false);
        Assert.NotNull(set);
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }

    [Fact]
    public void Every_French_text_has_an_English_one_with_the_same_placeholders()
    {
        var french = Texts(CultureInfo.InvariantCulture.Name);
        var english = Texts("en");

        Assert.NotEmpty(french);
        Assert.Empty(french.Keys.Except(english.Keys));
        Assert.Empty(english.Keys.Except(french.Keys));
        foreach (var (key, text) in french)
        {
            Assert.False(string.IsNullOrWhiteSpace(english[key]), key);
            for (var i = 0; i < 6; i++)
            {
                var placeholder = "{" + i + "}";
                Assert.True(text.Contains(placeholder, StringComparison.Ordinal) == english[key].Contains(placeholder, StringComparison.Ordinal), key);
            }
        }
    }

    [Fact]
    public void Every_check_has_its_words_in_both_languages()
    {
        var french = Texts(CultureInfo.InvariantCulture.Name);
        foreach (var check in Enum.GetNames<HostPanel.Core.Handover.BusFactorCheck>())
        {
            Assert.Contains(french.Keys, k => k.StartsWith(check + ".", StringComparison.Ordinal) || (check == "SingleAdministrator" && k.StartsWith("SingleHoster.", StringComparison.Ordinal)));
        }
    }
}
