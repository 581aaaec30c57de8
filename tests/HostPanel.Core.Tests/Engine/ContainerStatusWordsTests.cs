using HostPanel.Core.Engine;

namespace HostPanel.Core.Tests.Engine;

public class ContainerStatusWordsTests
{
    [Theory]
    [InlineData("running", ContainerState.Running)]
    [InlineData("Exited", ContainerState.Exited)]
    [InlineData("created", ContainerState.Created)]
    [InlineData("restarting", ContainerState.Restarting)]
    [InlineData("paused", ContainerState.Paused)]
    [InlineData("dead", ContainerState.Dead)]
    [InlineData("removing", ContainerState.Removing)]
    [InlineData("something new", ContainerState.Unknown)]
    [InlineData(null, ContainerState.Unknown)]
    public void MapsStates(string? word, ContainerState expected)
    {
        Assert.Equal(expected, ContainerStatusWords.ParseState(word));
    }

    [Theory]
    [InlineData("starting", ContainerHealth.Starting)]
    [InlineData("healthy", ContainerHealth.Healthy)]
    [InlineData("unhealthy", ContainerHealth.Unhealthy)]
    [InlineData("none", ContainerHealth.None)]
    [InlineData("", ContainerHealth.None)]
    [InlineData(null, ContainerHealth.None)]
    public void MapsHealth(string? word, ContainerHealth expected)
    {
        Assert.Equal(expected, ContainerStatusWords.ParseHealth(word));
    }

    [Theory]
    [InlineData(ContainerState.Running, ContainerHealth.None, true)]
    [InlineData(ContainerState.Running, ContainerHealth.Healthy, true)]
    [InlineData(ContainerState.Running, ContainerHealth.Starting, false)]
    [InlineData(ContainerState.Running, ContainerHealth.Unhealthy, false)]
    [InlineData(ContainerState.Restarting, ContainerHealth.None, false)]
    [InlineData(ContainerState.Exited, ContainerHealth.Healthy, false)]
    public void ReadyMeansRunningAndNotUnhealthy(ContainerState state, ContainerHealth health, bool ready)
    {
        var info = new ContainerInfo("id", "name", "image", state, new Dictionary<string, string>(), null) { Health = health };

        Assert.Equal(ready, info.IsReady);
    }
}
