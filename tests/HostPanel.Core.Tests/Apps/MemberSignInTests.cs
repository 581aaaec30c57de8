using HostPanel.Core.Apps.Planning;
using HostPanel.Core.Catalog.Loading;

namespace HostPanel.Core.Tests.Apps;

/// <summary>How members sign in to an app, as the catalog says before install (the CLI and the panel alike).</summary>
public class MemberSignInTests
{
    [Theory]
    [InlineData("mastodon", MemberSignIn.PanelAccount)]
    [InlineData("nextcloud", MemberSignIn.PanelAccount)]
    [InlineData("wordpress", MemberSignIn.SetUpByHand)]
    [InlineData("bigbluebutton-server", MemberSignIn.SeparateAccounts)]
    public void Follows_the_manifest_s_single_sign_on_mode(string app, MemberSignIn expected)
    {
        var manifest = CatalogLoader.LoadDirectory(RepositoryPaths.AppCatalog).Apps.Single(a => a.Manifest.Id == app).Manifest;

        Assert.Equal(expected, SsoPlanning.SignInOf(manifest));
    }
}
