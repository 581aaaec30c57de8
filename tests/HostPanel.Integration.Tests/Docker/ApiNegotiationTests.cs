using HostPanel.Infrastructure.Docker;

namespace HostPanel.Integration.Tests.Docker;

public class ApiNegotiationTests
{
    [Theory]
    [InlineData("1.41", "1.41")]
    [InlineData("1.54", "1.54")]
    [InlineData("1.60", "1.54")]
    [InlineData("garbage", "1.54")]
    [InlineData(null, "1.54")]
    public void TalksAtTheOlderOfEngineAndClient(string? engine, string expected)
    {
        Assert.Equal(Version.Parse(expected), DockerClientProvider.Negotiate(engine));
    }
}
