using HostPanel.Core.Apps;
using HostPanel.Core.Apps.Planning;
using HostPanel.Core.Operations;

namespace HostPanel.Core.Tests.Apps;

/// <summary>The single sign-on steps on the executor and in the compensation, with an in-memory provider.</summary>
public class SsoExecutionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SsoWorld Mastodon(FakeSsoRegistry? registry) => new("mastodon", "social-asso", "social.velo-lyon.fr", registry);

    [Fact]
    public async Task RegisteringSendsTheRenderedAddressesAndAgainChangesNothing()
    {
        var registry = new FakeSsoRegistry();
        var world = Mastodon(registry);
        var step = new EnsureSsoClientStep(world.Manifest.Version);

        await world.RunAsync(step);
        var first = registry.Clients["social-asso"];
        await world.RunAsync(step);

        Assert.Equal(2, registry.Ensured.Count);
        Assert.Equal(registry.Ensured[0].RedirectUris, registry.Ensured[1].RedirectUris);
        var request = registry.Ensured[0];
        Assert.Equal("social-asso", request.Instance);
        Assert.Equal("velo-lyon", request.OrganizationId);
        Assert.Equal(["https://social.velo-lyon.fr/auth/auth/openid_connect/callback"], request.RedirectUris);
        Assert.Equal(["https://social.velo-lyon.fr", "https://social.velo-lyon.fr/"], request.PostLogoutRedirectUris);
        Assert.Equal("Mastodon (social.velo-lyon.fr)", request.DisplayName);
        Assert.Single(registry.Clients);
        Assert.Equal(first.Secret, registry.Clients["social-asso"].Secret);
    }

    [Fact]
    public async Task TheAppsPlaceholdersCarryItsClientOnlyOnceItHasOne()
    {
        var registry = new FakeSsoRegistry();
        var world = Mastodon(registry);

        var before = await world.Executor.ContextAsync(world.Instance, Ct);
        await world.RunAsync(new EnsureSsoClientStep(world.Manifest.Version));
        var after = await world.Executor.ContextAsync(world.Instance, Ct);

        Assert.Null(before.Sso);
        Assert.NotNull(after.Sso);
        Assert.Equal("https://panel.velo-lyon.fr/", after.Sso.Issuer);
        Assert.Equal("social-asso", after.Sso.ClientId);
        Assert.Equal(registry.Clients["social-asso"].Secret, after.Sso.ClientSecret);
        Assert.Equal("https://panel.velo-lyon.fr/.well-known/openid-configuration", after.Sso.DiscoveryUrl);

        // Asking for the secret keeps the client exactly as the registration made it.
        Assert.True(registry.Ensured.Count >= 2);
        Assert.All(registry.Ensured, r =>
        {
            Assert.Equal(registry.Ensured[0].RedirectUris, r.RedirectUris);
            Assert.Equal(registry.Ensured[0].PostLogoutRedirectUris, r.PostLogoutRedirectUris);
            Assert.Equal(registry.Ensured[0].DisplayName, r.DisplayName);
        });
    }

    [Fact]
    public async Task WithoutAProviderOrAnIssuerTheStepsDoNothingAndTheAppHasItsOwnAccounts()
    {
        var noIssuer = new FakeSsoRegistry(issuer: null);
        PlanStep[] steps = [new SsoNotConfiguredStep(), new EnsureSsoClientStep("4.7.4"), new RunHookStep("sso", 0, "4.7.4"), new RemoveSsoClientStep()];
        var withoutProvider = Mastodon(null);
        var withoutIssuer = Mastodon(noIssuer);

        // Mastodon has no sso steps: the hook step is left out here.
        await withoutProvider.RunAsync(steps[0], steps[1], steps[3]);
        await withoutIssuer.RunAsync(steps[0], steps[1], steps[3]);

        Assert.Empty(noIssuer.Ensured);
        Assert.Null((await withoutProvider.Executor.ContextAsync(withoutProvider.Instance, Ct)).Sso);
        Assert.Null((await withoutIssuer.Executor.ContextAsync(withoutIssuer.Instance, Ct)).Sso);
        Assert.Equal(["social-asso"], noIssuer.Removed);
        Assert.Empty(withoutProvider.Engine.Executed);
    }

    [Fact]
    public async Task RemovingTheClientWorksAfterTheAppIsForgottenToo()
    {
        var registry = new FakeSsoRegistry();
        var world = Mastodon(registry);
        await world.RunAsync(new EnsureSsoClientStep(world.Manifest.Version));

        await world.RunAsync(new ForgetInstanceStep());
        await world.RunAsync(new RemoveSsoClientStep());
        await world.RunAsync(new RemoveSsoClientStep());

        Assert.Empty(registry.Clients);
        Assert.Equal(["social-asso", "social-asso"], registry.Removed);
    }

    [Theory]
    [InlineData(StepState.Done, true)]
    [InlineData(StepState.Running, true)]
    [InlineData(StepState.Pending, false)]
    public async Task AFailedInstallRemovesTheClientItRegistered(StepState registration, bool removed)
    {
        var registry = new FakeSsoRegistry();
        var world = Mastodon(registry);
        var operation = world.Operation();
        var plan = LifecyclePlanner.Install(world.Manifest, world.Instance, sso: SsoAvailability.Available);
        await world.Journal.CreateAsync(operation, plan, Ct);
        var register = plan.ToList().FindIndex(s => s is EnsureSsoClientStep);
        await world.Journal.SetStepStateAsync(operation.Id, register, registration, null, DateTimeOffset.UtcNow, Ct);
        if (registration != StepState.Pending)
        {
            await world.RunAsync(plan[register]);
        }

        var undo = await world.Compensation.UndoAsync(operation, [], Ct);

        Assert.NotNull(undo);
        Assert.Equal(removed, undo.Any(s => s is RemoveSsoClientStep));
        foreach (var step in undo.OfType<RemoveSsoClientStep>())
        {
            await world.RunAsync(step);
        }

        Assert.Empty(registry.Clients);
    }

    [Fact]
    public async Task AFailedInstallLeavesAClientTheAppHadBefore()
    {
        var registry = new FakeSsoRegistry();
        var world = Mastodon(registry);
        var operation = world.Operation();
        var plan = LifecyclePlanner.Install(world.Manifest, world.Instance, sso: SsoAvailability.Registered);
        await world.Journal.CreateAsync(operation, plan, Ct);
        await world.Journal.SetStepStateAsync(operation.Id, plan.ToList().FindIndex(s => s is EnsureSsoClientStep), StepState.Done, null, DateTimeOffset.UtcNow, Ct);

        var undo = await world.Compensation.UndoAsync(operation, [], Ct);

        Assert.DoesNotContain(undo!, s => s is RemoveSsoClientStep);
    }

    [Fact]
    public async Task AFailedMoveGivesTheClientItsAddressesAtThePreviousDomainBack()
    {
        var registry = new FakeSsoRegistry();
        var world = new SsoWorld("nextcloud", "nuage-asso", "cloud.velo-lyon.fr", registry);
        await world.RunAsync(new EnsureSsoClientStep(world.Manifest.Version));
        Assert.Equal(["https://cloud.velo-lyon.fr/apps/user_oidc/code"], registry.Clients["nuage-asso"].Request.RedirectUris);

        var operation = world.Operation(OperationKind.ChangeDomain);
        var plan = LifecyclePlanner.ChangeDomain(world.Manifest, world.Instance, "nuage.velo-lyon.fr", SsoAvailability.Registered);
        await world.Journal.CreateAsync(operation, plan, Ct);
        var register = plan.ToList().FindIndex(s => s is EnsureSsoClientStep);
        for (var i = 0; i <= register; i++)
        {
            await world.Journal.SetStepStateAsync(operation.Id, i, StepState.Done, null, DateTimeOffset.UtcNow, Ct);
        }

        await world.RunAsync(plan[0], plan[register]);
        Assert.Equal(["https://nuage.velo-lyon.fr/apps/user_oidc/code"], registry.Clients["nuage-asso"].Request.RedirectUris);

        var undo = (await world.Compensation.UndoAsync(operation, [], Ct))!;

        Assert.IsType<SetDomainStep>(undo[0]);
        var back = Assert.Single(undo.OfType<EnsureSsoClientStep>());
        Assert.True(back.ExistedBefore);
        await world.RunAsync(undo[0], back);
        Assert.Equal(["https://cloud.velo-lyon.fr/apps/user_oidc/code"], registry.Clients["nuage-asso"].Request.RedirectUris);
        Assert.Equal(["https://cloud.velo-lyon.fr", "https://cloud.velo-lyon.fr/"], registry.Clients["nuage-asso"].Request.PostLogoutRedirectUris);
    }

    [Fact]
    public async Task AFailedUpdateRemovesAClientItCreated()
    {
        var registry = new FakeSsoRegistry();
        var world = Mastodon(registry);
        var operation = world.Operation(OperationKind.Update);
        var plan = LifecyclePlanner.Update(world.Manifest, world.Manifest, world.Instance, SsoAvailability.Available);
        await world.Journal.CreateAsync(operation, plan, Ct);

        var undo = (await world.Compensation.UndoAsync(operation, [], Ct))!;

        Assert.Equal(new RemoveSsoClientStep(), undo[^2]);
    }
}
