using HostPanel.Core.Resources;
using HostPanel.Tests;

namespace HostPanel.Core.Tests;

/// <summary>Every resource pair of the core (refusals, outcomes, audit, recovery, continuity, runbook words) in French and English.</summary>
public sealed class CoreResourceTests
{
    public static TheoryData<string> ResourceFiles() => [.. ResourcePairs.BaseNames(typeof(CoreText).Assembly, "HostPanel.Core.Resources.")];

    [Fact]
    public void TheCoreHasItsResourceFiles()
    {
        Assert.Contains("HostPanel.Core.Resources.CoreText", ResourceFiles().Select(r => (string)r.Data));
        Assert.Contains("HostPanel.Core.Resources.RecoveryText", ResourceFiles().Select(r => (string)r.Data));
    }

    [Theory]
    [MemberData(nameof(ResourceFiles))]
    public void EveryFrenchTextHasAnEnglishOneWithTheSamePlaceholders(string baseName) =>
        ResourcePairs.AssertPaired(typeof(CoreText).Assembly, baseName);
}
