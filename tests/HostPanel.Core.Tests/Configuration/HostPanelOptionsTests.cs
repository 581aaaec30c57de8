using HostPanel.Core.Configuration;

namespace HostPanel.Core.Tests.Configuration;

public class HostPanelOptionsTests
{
    [Fact]
    public void ConfiguredEndpointWinsOverDockerHost()
    {
        var options = new HostPanelOptions { DockerEndpoint = "unix:///run/a.sock" };

        Assert.Equal("unix:///run/a.sock", options.ResolveDockerEndpoint(_ => "unix:///run/b.sock"));
    }

    [Fact]
    public void DockerHostIsUsedWhenNothingIsConfigured()
    {
        var options = new HostPanelOptions();

        Assert.Equal("unix:///run/b.sock", options.ResolveDockerEndpoint(name => name == "DOCKER_HOST" ? "unix:///run/b.sock" : null));
    }

    [Fact]
    public void FallsBackToTheEngineDefaultSocket()
    {
        Assert.Equal(HostPanelOptions.DefaultDockerSocket, new HostPanelOptions().ResolveDockerEndpoint(_ => null));
    }

    [Fact]
    public void FilesLiveInTheDataDirectory()
    {
        var options = new HostPanelOptions { DataDirectory = "/srv/hp" };

        Assert.Equal("/srv/hp/hostpanel.db", options.DatabasePath);
        Assert.Equal("/srv/hp/keys", options.KeyRingDirectory);
        Assert.Equal("/srv/hp/appsettings.json", options.SettingsFile);
    }

    [Fact]
    public void CatalogDefaultsToTheFolderShippedWithTheProgram()
    {
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "app-catalog"), new HostPanelOptions().ResolveCatalogDirectory());
        Assert.Equal("/srv/catalog", new HostPanelOptions { CatalogDirectory = "/srv/catalog" }.ResolveCatalogDirectory());
    }
}
