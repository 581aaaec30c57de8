using HostPanel.Core.Accounts;
using HostPanel.Core.Configuration;
using HostPanel.Core.Secrets;
using HostPanel.Infrastructure.SingleSignOn;
using HostPanel.Web.Tests.State;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace HostPanel.Web.Tests.SingleSignOn;

/// <summary>The client registry as the lifecycle and the CLI use it: plain services, no web host.</summary>
public sealed class SsoClientRegistryTests : StateTestBase
{
    private static SsoClientRequest Request(params string[] redirects) => new(
        "cloud", "default", "Nextcloud (cloud.velo-lyon.fr)",
        redirects.Length == 0 ? ["https://cloud.velo-lyon.fr/apps/user_oidc/code"] : redirects,
        ["https://cloud.velo-lyon.fr", "https://cloud.velo-lyon.fr/"]);

    private async Task<ServiceProvider> WithPanelUrlAsync(string? panelUrl) =>
        await StartServicesAsync(s => s.AddHostPanelSingleSignOn(new HostPanelOptions { DataDirectory = Data.Path, PanelUrl = panelUrl }));

    [Fact]
    public void TheIssuerIsThePanelAddressWithATrailingSlash()
    {
        Assert.Null(SsoIssuer.Normalize(null));
        Assert.Null(SsoIssuer.Normalize("  "));
        Assert.Equal("https://panel.velo-lyon.fr/", SsoIssuer.Normalize("https://panel.velo-lyon.fr"));
        Assert.Equal("https://panel.velo-lyon.fr/", SsoIssuer.Normalize("https://PANEL.velo-lyon.fr/"));
        Assert.Equal("http://127.0.0.1:8080/", SsoIssuer.Normalize("http://127.0.0.1:8080"));
        Assert.Throws<ArgumentException>(() => SsoIssuer.Normalize("panel.velo-lyon.fr"));
        Assert.Throws<ArgumentException>(() => SsoIssuer.Normalize("ftp://panel.velo-lyon.fr"));
        Assert.Throws<ArgumentException>(() => SsoIssuer.Normalize("https://panel.velo-lyon.fr/?x=1"));
    }

    [Fact]
    public async Task WithoutAPanelAddressThereIsNoIssuerAndNoClient()
    {
        var registry = (await WithPanelUrlAsync(null)).GetRequiredService<ISsoClientRegistry>();
        Assert.Null(registry.Issuer);
        await Assert.ThrowsAsync<InvalidOperationException>(() => registry.EnsureAsync(Request(), Ct));
        Assert.False(await registry.ExistsAsync("cloud", Ct));
    }

    [Fact]
    public async Task EnsureIsIdempotentKeepsTheSecretEncryptedAndRemoveForgetsEverything()
    {
        var services = await WithPanelUrlAsync("https://panel.velo-lyon.fr");
        var registry = services.GetRequiredService<ISsoClientRegistry>();
        Assert.Equal("https://panel.velo-lyon.fr/", registry.Issuer);

        var first = await registry.EnsureAsync(Request(), Ct);
        Assert.Equal("https://panel.velo-lyon.fr/", first.Issuer);
        Assert.Equal("cloud", first.ClientId);
        Assert.Equal(43, first.ClientSecret.Length);
        Assert.True(await registry.ExistsAsync("cloud", Ct));

        // Again, with a changed redirect address: same secret, addresses updated.
        var second = await registry.EnsureAsync(Request("https://cloud.velo-lyon.fr/oidc/callback"), Ct);
        Assert.Equal(first.ClientSecret, second.ClientSecret);

        await using (var scope = services.CreateAsyncScope())
        {
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var application = await applications.FindByClientIdAsync("cloud", Ct);
            Assert.NotNull(application);
            Assert.Equal(["https://cloud.velo-lyon.fr/oidc/callback"], await applications.GetRedirectUrisAsync(application, Ct));
            Assert.Equal(ClientTypes.Confidential, await applications.GetClientTypeAsync(application, Ct));
            Assert.True(await applications.ValidateClientSecretAsync(application, first.ClientSecret, Ct));
            var described = new OpenIddictApplicationDescriptor();
            await applications.PopulateAsync(described, application, Ct);
            Assert.False(string.IsNullOrEmpty(described.ClientSecret));
            Assert.NotEqual(first.ClientSecret, described.ClientSecret);
            var permissions = await applications.GetPermissionsAsync(application, Ct);
            Assert.Contains(Permissions.GrantTypes.AuthorizationCode, permissions);
            Assert.Contains(Permissions.GrantTypes.RefreshToken, permissions);
            Assert.Contains(Permissions.Endpoints.EndSession, permissions);
            Assert.Contains(Permissions.Prefixes.Scope + "groups", permissions);
            Assert.Contains(Requirements.Features.ProofKeyForCodeExchange, await applications.GetRequirementsAsync(application, Ct));
        }

        // The secret is kept encrypted under the client's own owner, never with the app's secrets.
        Assert.Equal(first.ClientSecret, (await Get<ISecretStore>().GetAllAsync("sso-client:cloud", Ct))["client_secret"]);
        Assert.Empty(await Get<ISecretStore>().GetAllAsync("cloud", Ct));
        await registry.RemoveAsync("cloud", Ct);
        Assert.False(await registry.ExistsAsync("cloud", Ct));
        Assert.Empty(await Get<ISecretStore>().GetAllAsync("sso-client:cloud", Ct));
        await registry.RemoveAsync("cloud", Ct);

        // Made again after a removal: a new secret.
        Assert.NotEqual(first.ClientSecret, (await registry.EnsureAsync(Request(), Ct)).ClientSecret);
    }
}
