using System.Collections;
using System.Globalization;
using System.Resources;
using HostPanel.Web.Localization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace HostPanel.Web.Tests.Pages;

public sealed class LocalizationTests
{
    private static Dictionary<string, string> Texts(string culture)
    {
        var resources = new ResourceManager("HostPanel.Web.Resources.SharedResource", typeof(SharedResource).Assembly);
        var set = resources.GetResourceSet(CultureInfo.GetCultureInfo(culture), createIfNotExists: true, tryParents: false);
        Assert.NotNull(set);
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }

    [Fact]
    public void EveryFrenchTextHasAnEnglishOneWithTheSamePlaceholders()
    {
        var french = Texts(CultureInfo.InvariantCulture.Name);
        var english = Texts("en");

        Assert.True(french.Count > 50, $"only {french.Count} texts found in the neutral (French) resources");
        Assert.Empty(french.Keys.Except(english.Keys));
        Assert.Empty(english.Keys.Except(french.Keys));
        foreach (var (key, text) in french)
        {
            Assert.False(string.IsNullOrWhiteSpace(english[key]), key);
            for (var i = 0; i < 3; i++)
            {
                var placeholder = "{" + i + "}";
                Assert.True(text.Contains(placeholder, StringComparison.Ordinal) == english[key].Contains(placeholder, StringComparison.Ordinal), key);
            }
        }
    }

    [Fact]
    public void TheNeutralResourcesAreFrench()
    {
        Assert.Equal("Tableau de bord", Texts(CultureInfo.InvariantCulture.Name)["Dashboard.Heading"]);
        Assert.Equal("Dashboard", Texts("en")["Dashboard.Heading"]);
    }

    [Fact]
    public void MudBlazorTextsComeFromThePanelResources()
    {
        var services = new ServiceCollection().AddLogging().AddHostPanelLocalization().BuildServiceProvider();
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fr");
            var localizer = services.GetRequiredService<MudLocalizer>();

            Assert.Equal("Fermer", localizer["MudAlert_Close"].Value);
            Assert.False(localizer["MudAlert_Close"].ResourceNotFound);
            Assert.True(localizer["MudSomething_Unknown"].ResourceNotFound);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
