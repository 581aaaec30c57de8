using System.Globalization;
using HostPanel.Core.Resources;
using HostPanel.Tests;

namespace HostPanel.Core.Tests.Handover;

public sealed class ContinuityTextTests
{
    [Fact]
    public void Every_check_has_its_words_in_both_languages()
    {
        var french = ResourcePairs.Texts(typeof(ContinuityText).Assembly, "HostPanel.Core.Resources.ContinuityText", CultureInfo.InvariantCulture.Name);
        foreach (var check in Enum.GetNames<HostPanel.Core.Handover.BusFactorCheck>())
        {
            Assert.Contains(french.Keys, k => k.StartsWith(check + ".", StringComparison.Ordinal) || (check == "SingleAdministrator" && k.StartsWith("SingleHoster.", StringComparison.Ordinal)));
        }
    }
}
