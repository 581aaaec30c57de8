using HostPanel.Web.Hosting;

namespace HostPanel.Web.Tests.Hosting;

public sealed class HostPanelCommandLineTests
{
    [Fact]
    public void TakesTheDataDirectoryOutOfTheArguments()
    {
        var (dataDirectory, others) = HostPanelCommandLine.Split(["--urls", "http://127.0.0.1:9000", "--data-dir", "/srv/hp"]);

        Assert.Equal("/srv/hp", dataDirectory);
        Assert.Equal(["--urls", "http://127.0.0.1:9000"], others);
    }

    [Fact]
    public void AcceptsTheEqualsFormAndTheOptionName()
    {
        Assert.Equal("/a", HostPanelCommandLine.Split(["--data-dir=/a"]).DataDirectory);
        Assert.Equal("/b", HostPanelCommandLine.Split(["--DataDirectory", "/b"]).DataDirectory);
    }

    [Fact]
    public void LeavesTheDataDirectoryUnsetWhenAbsent()
    {
        var (dataDirectory, others) = HostPanelCommandLine.Split(["--urls=http://127.0.0.1:1"]);

        Assert.Null(dataDirectory);
        Assert.Equal(["--urls=http://127.0.0.1:1"], others);
    }

    [Fact]
    public void RefusesASwitchWithoutItsValue()
    {
        Assert.Throws<ArgumentException>(() => HostPanelCommandLine.Split(["--data-dir"]));
    }

    [Theory]
    [InlineData("/apps", "/apps")]
    [InlineData("/", "/")]
    [InlineData("//evil.example/x", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("", "/")]
    [InlineData(null, "/")]
    public void RedirectsOnlyWithinTheSite(string? requested, string expected)
    {
        Assert.Equal(expected, LocalUrl.OrRoot(requested));
    }
}
