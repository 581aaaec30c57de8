using System.Collections;
using System.Globalization;
using System.Resources;
using HostPanel.Web.Localization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace HostPanel.Web.Tests.Pages;

public sealed class LocalizationTests
{
    private static Dictionary<string, string> Texts(string culture) => Texts("HostPanel.Web.Resources.SharedResource", culture);

    private static Dictionary<string, string> Texts(string baseName, string culture)
    {
        var resources = new ResourceManager(baseName, typeof(SharedResource).Assembly);
        var set = resources.GetResourceSet(CultureInfo.GetCultureInfo(culture), createIfNotExists: true, tryParents: false);
        Assert.NotNull(set);
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }

    /// <summary>Every resource file of the panel (one per area of pages), by its base name.</summary>
    public static TheoryData<string> ResourceFiles()
    {
        var names = typeof(SharedResource).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("HostPanel.Web.Resources.", StringComparison.Ordinal) && n.EndsWith(".resources", StringComparison.Ordinal))
            .Select(n => n[..^".resources".Length]);
        return [.. names.Order(StringComparer.Ordinal)];
    }

    [Fact]
    public void ThePanelHasTheSharedResourcesAmongItsFiles()
    {
        Assert.Contains("HostPanel.Web.Resources.SharedResource", ResourceFiles().Select(r => (string)r.Data));
    }

    [Theory]
    [MemberData(nameof(ResourceFiles))]
    public void EveryFrenchTextHasAnEnglishOneWithTheSamePlaceholders(string baseName)
    {
        var french = Texts(baseName, CultureInfo.InvariantCulture.Name);
        var english = Texts(baseName, "en");

        Assert.True(french.Count > 0, $"no text found in the neutral (French) resources of {baseName}");
        Assert.Empty(french.Keys.Except(english.Keys));
        Assert.Empty(english.Keys.Except(french.Keys));
        foreach (var (key, text) in french)
        {
            Assert.False(string.IsNullOrWhiteSpace(english[key]), key);
            for (var i = 0; i < 6; i++)
            {
                var placeholder = "{" + i + "}";
                Assert.True(text.Contains(placeholder, StringComparison.Ordinal) == english[key].Contains(placeholder, StringComparison.Ordinal), $"{baseName}: {key}");
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
