using HostPanel.Core.Engine;

namespace HostPanel.Core.Tests.Engine;

public class HostPanelLabelsTests
{
    [Fact]
    public void BaseLabelsMarkTheObjectAsManaged()
    {
        Assert.True(HostPanelLabels.IsManaged(HostPanelLabels.Base()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    [InlineData("TRUE")]
    [InlineData("")]
    public void OnlyTheExactManagedLabelCounts(string? value)
    {
        var labels = new Dictionary<string, string>();
        if (value is not null)
        {
            labels[HostPanelLabels.Managed] = value;
        }

        Assert.False(HostPanelLabels.IsManaged(labels));
    }

    [Fact]
    public void NullLabelsAreNotManaged()
    {
        Assert.False(HostPanelLabels.IsManaged(null));
    }

    [Fact]
    public void ManagedFilterSelectsOnlyHostPanelObjects()
    {
        var filter = LabelFilter.Managed.And(HostPanelLabels.Instance, "cloud");

        Assert.Equal(["hostpanel.managed=true", "hostpanel.instance=cloud"], filter.Selectors);
    }
}
