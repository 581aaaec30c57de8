using HostPanel.Core.Apps.Planning;
using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using HostPanel.Core.Tests.Apps;

namespace HostPanel.Core.Tests.Catalog;

/// <summary>
/// Each seed app that uses the panel's single sign-on, from its real manifest through the real
/// executor: the client it registers (its callback address, as the app itself builds it), and
/// what the app receives — in its environment or in its sso steps — to find the provider and
/// prove who it is.
/// </summary>
public class RealManifestSsoTests
{
    private const string Issuer = "https://panel.velo-lyon.fr/";
    private const string Discovery = "https://panel.velo-lyon.fr/.well-known/openid-configuration";
    private const string Domain = "cloud.velo-lyon.fr";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What single sign-on rendered for one app: the values its services and steps got.</summary>
    private sealed record Rendered(SsoWorld World, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Environments, IReadOnlyList<(string Container, ExecRequest Request)> Steps)
    {
        public string ClientId => World.Instance.Name;

        public string Secret => World.Registry!.Clients[ClientId].Secret;

        public IEnumerable<string> Values =>
            Environments.Values.SelectMany(e => e.Values).Concat(Steps.SelectMany(s => s.Request.Command.Concat(s.Request.Environment.Values)));
    }

    /// <summary>Registers the app's client, creates the services that get the SSO variables and runs the sso steps.</summary>
    private static async Task<Rendered> RenderAsync(string app, FakeSsoRegistry? registry)
    {
        var world = new SsoWorld(app, $"{app}-asso", Domain, registry);
        var manifest = world.Manifest;
        var steps = LifecyclePlanner.Install(manifest, world.Instance, sso: registry is null ? SsoAvailability.None : SsoAvailability.Available);
        var register = steps.OfType<EnsureSsoClientStep>().SingleOrDefault();
        if (register is not null)
        {
            await world.RunAsync(register);
        }

        var environments = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var service in manifest.Sso.Services ?? [])
        {
            await world.RunAsync(steps.OfType<CreateContainerStep>().Single(c => c.Service == service));
            environments[service] = world.Engine.Created.Single(c => c.Name == $"hp-{world.Instance.Name}-{service}").Environment;
        }

        // Without single sign-on there are no sso steps in the plan; run them anyway, as a plan
        // made when the panel had it would, resumed where it has not.
        var hooks = Enumerable.Range(0, manifest.Sso.Steps?.Count ?? 0).Select(i => new RunHookStep("sso", i, manifest.Version)).ToArray();
        await world.RunAsync(hooks);
        return new Rendered(world, environments, [.. world.Engine.Executed]);
    }

    [Theory]
    [InlineData("nextcloud", "/apps/user_oidc/code")]
    [InlineData("mastodon", "/auth/auth/openid_connect/callback")]
    [InlineData("peertube", "/plugins/auth-openid-connect/router/code-cb")]
    [InlineData("bigbluebutton", "/auth/openid_connect/callback")]
    public async Task TheAppGetsThePanelsProviderItsOwnClientAndItsSecretAndRegistersItsRealCallback(string app, string callback)
    {
        var registry = new FakeSsoRegistry(Issuer);

        var rendered = await RenderAsync(app, registry);

        var request = Assert.Single(registry.Ensured.DistinctBy(r => (r.Instance, string.Join(' ', r.RedirectUris))));
        Assert.Equal([$"https://{Domain}{callback}"], request.RedirectUris);
        Assert.Equal($"{app}-asso", request.Instance);
        Assert.Equal("velo-lyon", request.OrganizationId);
        Assert.Contains($"https://{Domain}", request.PostLogoutRedirectUris);
        Assert.Contains(Domain, request.DisplayName, StringComparison.Ordinal);

        var values = rendered.Values.ToList();
        Assert.NotEmpty(values);
        Assert.Contains(values, v => v.Contains(Issuer.TrimEnd('/'), StringComparison.Ordinal));
        Assert.Contains(values, v => v.Contains(rendered.ClientId, StringComparison.Ordinal));
        Assert.Contains(values, v => v.Contains(rendered.Secret, StringComparison.Ordinal));
        Assert.All(values, v => Assert.DoesNotContain("${", v, StringComparison.Ordinal));
    }

    [Fact]
    public async Task MastodonWebAndSidekiqGetTheOidcVariablesAndTheCallbackTheClientHas()
    {
        var rendered = await RenderAsync("mastodon", new FakeSsoRegistry(Issuer));

        Assert.Equal(["web", "sidekiq"], rendered.World.Manifest.Sso.Services);
        foreach (var service in new[] { "web", "sidekiq" })
        {
            var env = rendered.Environments[service];
            Assert.Equal("true", env["OIDC_ENABLED"]);
            Assert.Equal("true", env["OIDC_DISCOVERY"]);
            Assert.Equal(Issuer, env["OIDC_ISSUER"]);
            Assert.Equal("mastodon-asso", env["OIDC_CLIENT_ID"]);
            Assert.Equal(rendered.Secret, env["OIDC_CLIENT_SECRET"]);
            Assert.Equal(rendered.World.Registry!.Clients["mastodon-asso"].Request.RedirectUris[0], env["OIDC_REDIRECT_URI"]);
            Assert.Equal("true", env["OIDC_USE_PKCE"]);
        }

        Assert.Empty(rendered.Steps);
    }

    [Fact]
    public async Task GreenlightBuildsFromItsBaseAddressTheCallbackTheClientHas()
    {
        var rendered = await RenderAsync("bigbluebutton", new FakeSsoRegistry(Issuer));

        var env = rendered.Environments["greenlight"];
        Assert.Equal(Issuer, env["OPENID_CONNECT_ISSUER"]);
        Assert.Equal("bigbluebutton-asso", env["OPENID_CONNECT_CLIENT_ID"]);
        Assert.Equal(rendered.Secret, env["OPENID_CONNECT_CLIENT_SECRET"]);

        // Greenlight's callback is File.join(OPENID_CONNECT_REDIRECT, "auth", "openid_connect", "callback")
        // (config/initializers/omniauth.rb), which joins with exactly one slash.
        var callback = env["OPENID_CONNECT_REDIRECT"].TrimEnd('/') + "/auth/openid_connect/callback";
        Assert.Equal([callback], rendered.World.Registry!.Clients["bigbluebutton-asso"].Request.RedirectUris);
    }

    [Fact]
    public async Task NextcloudRegistersThePanelAsItsProviderByOcc()
    {
        var rendered = await RenderAsync("nextcloud", new FakeSsoRegistry(Issuer));

        Assert.Empty(rendered.Environments);
        Assert.All(rendered.Steps, s => Assert.Equal("hp-nextcloud-asso-app", s.Container));
        var provider = rendered.Steps.Single(s => s.Request.Command.Contains("user_oidc:provider")).Request;
        Assert.Equal(["php", "occ", "user_oidc:provider", "hostpanel"], provider.Command.Take(4));
        Assert.Contains("--clientid=nextcloud-asso", provider.Command);
        Assert.Contains($"--clientsecret={rendered.Secret}", provider.Command);
        Assert.Contains($"--discoveryuri={Discovery}", provider.Command);
        Assert.Equal("www-data", provider.User);
    }

    [Fact]
    public async Task PeerTubeConfiguresItsPluginWithThePanelsDiscoveryAddress()
    {
        var rendered = await RenderAsync("peertube", new FakeSsoRegistry(Issuer));

        var step = Assert.Single(rendered.Steps);
        Assert.Equal("hp-peertube-asso-app", step.Container);
        Assert.Equal(["node", "/opt/hostpanel/configure-oidc.mjs"], step.Request.Command);
        var env = step.Request.Environment;
        Assert.Equal(Discovery, env["OIDC_DISCOVERY_URL"]);
        Assert.Equal("peertube-asso", env["OIDC_CLIENT_ID"]);
        Assert.Equal(rendered.Secret, env["OIDC_CLIENT_SECRET"]);
        Assert.Equal(SsoWorld.AdminPassword, env["PEERTUBE_ROOT_PASSWORD"]);
        Assert.Contains("files/configure-oidc.mjs", rendered.World.Manifest.Services["app"].Files!.Select(f => f.Template));
    }

    [Theory]
    [InlineData("nextcloud")]
    [InlineData("mastodon")]
    [InlineData("peertube")]
    [InlineData("bigbluebutton")]
    public async Task WithoutAProviderTheAppIsInstalledAsBeforeWithItsOwnAccounts(string app)
    {
        var rendered = await RenderAsync(app, registry: null);

        Assert.Empty(rendered.Steps);
        Assert.All(rendered.Environments.Values, env => Assert.DoesNotContain(env.Keys, k => rendered.World.Manifest.Sso.Env!.ContainsKey(k)));
    }

    [Theory]
    [InlineData("nextcloud")]
    [InlineData("mastodon")]
    public async Task WithoutAPanelAddressNothingIsRegisteredAndTheAppHasItsOwnAccounts(string app)
    {
        var registry = new FakeSsoRegistry(issuer: null);

        var rendered = await RenderAsync(app, registry);

        Assert.Empty(registry.Ensured);
        Assert.Empty(rendered.Steps);
        Assert.DoesNotContain(rendered.Values, v => v.Contains("panel.velo-lyon.fr", StringComparison.Ordinal));
    }

    [Fact]
    public void TheSeedAppsWireSingleSignOnAsExpected()
    {
        var modes = new Dictionary<string, SsoMode>
        {
            ["nextcloud"] = SsoMode.OidcCommand,
            ["mastodon"] = SsoMode.OidcEnv,
            ["peertube"] = SsoMode.OidcCommand,
            ["bigbluebutton"] = SsoMode.OidcEnv,
            ["wordpress"] = SsoMode.Manual,
            ["bigbluebutton-server"] = SsoMode.None,
        };

        foreach (var (app, mode) in modes)
        {
            Assert.Equal(mode, new SsoWorld(app, $"{app}-asso", Domain, null).Manifest.Sso.Mode);
        }
    }
}
