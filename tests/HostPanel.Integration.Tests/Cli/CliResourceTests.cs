using HostPanel.Cli;
using HostPanel.Tests;

namespace HostPanel.Integration.Tests.Cli;

/// <summary>Every resource pair of the command line in French and English.</summary>
public sealed class CliResourceTests
{
    public static TheoryData<string> ResourceFiles() => [.. ResourcePairs.BaseNames(typeof(HostPanelCli).Assembly, "HostPanel.Cli.Resources.")];

    [Fact]
    public void TheCommandLineHasItsResourceFiles() =>
        Assert.Contains("HostPanel.Cli.Resources.RecoveryCliText", ResourceFiles().Select(r => (string)r.Data));

    [Theory]
    [MemberData(nameof(ResourceFiles))]
    public void EveryFrenchTextHasAnEnglishOneWithTheSamePlaceholders(string baseName) =>
        ResourcePairs.AssertPaired(typeof(HostPanelCli).Assembly, baseName);
}
