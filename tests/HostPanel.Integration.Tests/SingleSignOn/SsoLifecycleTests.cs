using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using HostPanel.Integration.Tests.Apps;

namespace HostPanel.Integration.Tests.SingleSignOn;

/// <summary>
/// An app whose manifest wires single sign-on, installed with the panel's real provider (OpenIddict
/// stores in SQLite): its client exists from before its first start, its container has the client
/// in its environment and the panel's name in its hosts file, and removing the app removes it.
/// </summary>
public sealed class SsoLifecycleTests : IAsyncDisposable
{
    private const string PanelUrl = "http://panel.hostpanel.test/";

    private readonly Scratch _scratch = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _scratch.DisposeAsync();

    [Fact]
    public async Task AnAppGetsItsClientAtInstallAndLosesItAtUninstall()
    {
        var name = _scratch.Name("sso");
        await using var life = await Lifecycle.StartAsync(_scratch.DataDirectory, 1, Ct, o => o.PanelUrl = PanelUrl, null);
        var registry = life.Get<ISsoClientRegistry>();
        Assert.Equal(PanelUrl, registry.Issuer);

        var install = await life.Apps.InstallAsync(new InstallRequest("signin", Callers.Root) { Name = name, Domain = $"{name}.velo-lyon.fr" }, Ct);
        Assert.Equal(OperationState.Succeeded, install.State);
        Assert.True(await registry.ExistsAsync(name, Ct));
        var client = await registry.EnsureAsync(new SsoClientRequest(name, "default", name, [$"https://{name}.velo-lyon.fr/auth/callback"], [$"https://{name}.velo-lyon.fr/"]), Ct);

        var container = ResourceNames.Container(name, "web");
        var env = await life.Engine.Containers.ExecAsync(container, new ExecRequest { Command = ["env"] }, Ct);
        Assert.Contains($"OIDC_CLIENT_ID={name}", env.Stdout, StringComparison.Ordinal);
        Assert.Contains($"OIDC_CLIENT_SECRET={client.ClientSecret}", env.Stdout, StringComparison.Ordinal);
        Assert.Contains($"OIDC_ISSUER={PanelUrl}", env.Stdout, StringComparison.Ordinal);
        var hosts = await life.Engine.Containers.ExecAsync(container, new ExecRequest { Command = ["cat", "/etc/hosts"] }, Ct);
        Assert.Contains("panel.hostpanel.test", hosts.Stdout, StringComparison.Ordinal);

        // The journal never holds the secret.
        var steps = await life.Get<IOperationJournal>().StepsAsync(install.Id, Ct);
        Assert.DoesNotContain(steps, s => s.Step.ToString()!.Contains(client.ClientSecret, StringComparison.Ordinal));

        Assert.Equal(OperationState.Succeeded, (await life.Apps.RemoveAsync(name, Callers.Root, purge: false, confirmed: false, Ct)).State);
        Assert.False(await registry.ExistsAsync(name, Ct));
        Assert.Equal(OperationState.Succeeded, (await life.Apps.RemoveAsync(name, Callers.Root, purge: true, confirmed: true, Ct)).State);
    }
}
