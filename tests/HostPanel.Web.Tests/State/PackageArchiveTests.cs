using HostPanel.Core.Apps;

namespace HostPanel.Web.Tests.State;

public sealed class PackageArchiveTests : StateTestBase
{
    private IPackageArchive Archive => Get<IPackageArchive>();

    private static AppPackage Package(string version) => new(
        $"id: nextcloud\nversion: {version}\nservices:\n  app:\n    image: nextcloud:{version}\n",
        new Dictionary<string, string>
        {
            ["config/php.ini"] = "memory_limit = 512M\n",
            ["hooks/post-install.sh"] = "#!/bin/sh\necho \"déjà installé\"\n",
        });

    [Fact]
    public async Task APackageComesBackAsSaved()
    {
        var package = Package("30.0.1");
        await Archive.SaveAsync("cloud", "30.0.1", package, Ct);

        var found = await Archive.GetAsync("cloud", "30.0.1", Ct);

        Assert.NotNull(found);
        Assert.Equal(package.ManifestYaml, found.ManifestYaml);
        Assert.Equal(package.Files, found.Files);
        Assert.Null(await Archive.GetAsync("cloud", "29.0.0", Ct));
        Assert.Null(await Archive.GetAsync("other", "30.0.1", Ct));
    }

    [Fact]
    public async Task SavingAVersionAgainReplacesIt()
    {
        await Archive.SaveAsync("cloud", "30.0.1", Package("30.0.1"), Ct);
        var again = new AppPackage("id: nextcloud\n", new Dictionary<string, string>());

        await Archive.SaveAsync("cloud", "30.0.1", again, Ct);

        var found = (await Archive.GetAsync("cloud", "30.0.1", Ct))!;
        Assert.Equal("id: nextcloud\n", found.ManifestYaml);
        Assert.Empty(found.Files);
    }

    [Fact]
    public async Task DeletingAllRemovesEveryVersionOfThatInstanceOnly()
    {
        await Archive.SaveAsync("cloud", "30.0.1", Package("30.0.1"), Ct);
        await Archive.SaveAsync("cloud", "31.0.0", Package("31.0.0"), Ct);
        await Archive.SaveAsync("other", "30.0.1", Package("30.0.1"), Ct);

        await Archive.DeleteAllAsync("cloud", Ct);

        Assert.Null(await Archive.GetAsync("cloud", "30.0.1", Ct));
        Assert.Null(await Archive.GetAsync("cloud", "31.0.0", Ct));
        Assert.NotNull(await Archive.GetAsync("other", "30.0.1", Ct));
    }
}
