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

    private static Dictionary<string, string> Texts(string baseName, string culture) =>
        HostPanel.Tests.ResourcePairs.Texts(typeof(SharedResource).Assembly, baseName, culture);

    /// <summary>Every resource file of the panel (one per area of pages), by its base name.</summary>
    public static TheoryData<string> ResourceFiles() =>
        [.. HostPanel.Tests.ResourcePairs.BaseNames(typeof(SharedResource).Assembly, "HostPanel.Web.Resources.")];

    [Fact]
    public void ThePanelHasTheSharedResourcesAmongItsFiles()
    {
        Assert.Contains("HostPanel.Web.Resources.SharedResource", ResourceFiles().Select(r => (string)r.Data));
    }

    [Theory]
    [MemberData(nameof(ResourceFiles))]
    public void EveryFrenchTextHasAnEnglishOneWithTheSamePlaceholders(string baseName) =>
        HostPanel.Tests.ResourcePairs.AssertPaired(typeof(SharedResource).Assembly, baseName);

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
