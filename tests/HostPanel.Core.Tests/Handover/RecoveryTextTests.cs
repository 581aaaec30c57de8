using HostPanel.Core.Resources;

namespace HostPanel.Core.Tests.Handover;

public sealed class RecoveryTextTests
{
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
}
