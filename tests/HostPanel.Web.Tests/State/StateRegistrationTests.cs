using HostPanel.Core.Apps;
using HostPanel.Core.Configuration;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using HostPanel.Core.Secrets;
using HostPanel.Infrastructure.Accounts;
using HostPanel.Infrastructure.Data;
using HostPanel.Infrastructure.Secrets;
using HostPanel.Infrastructure.State;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.State;

public sealed class StateRegistrationTests : IDisposable
{
    private readonly TempDataDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HostPanelOptions Options => new() { DataDirectory = _data.Path };

    [Fact]
    public async Task IdentityAndTheSingletonStoresShareOneDatabaseRegistration()
    {
        // What the panel will have: accounts on the scoped context, stores on the factory.
        var services = new ServiceCollection().AddLogging();
        services.AddHostPanelDataProtection(Options);
        services.AddHostPanelData(Options);
        services.AddHostPanelAccounts(Options);
        services.AddHostPanelState(Options);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await provider.GetRequiredService<HostPanelDatabase>().MigrateAsync(Ct);

        await using (var scope = provider.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>();
            var created = await users.CreateAsync(
                new HostPanelUser { UserName = "alice@example.org", Email = "alice@example.org", DisplayName = "Alice" },
                "une phrase assez longue");
            Assert.True(created.Succeeded);
        }

        var organization = await provider.GetRequiredService<IOrganizationStore>().EnsureDefaultAsync(Ct);
        await provider.GetRequiredService<IInstanceStore>().AddAsync(
            new AppInstance { Name = "cloud", OrganizationId = organization.Id, AppId = "nextcloud", Version = "30.0.1" }, Ct);
        await provider.GetRequiredService<ISecretStore>().SetAsync("cloud", "secrets.db_password", "pw", Ct);

        Assert.Single(services, d => d.ServiceType == typeof(IDbContextFactory<HostPanelDbContext>));
        Assert.Single(services, d => d.ServiceType == typeof(HostPanelDbContext));
        Assert.Same(provider.GetRequiredService<IOperationJournal>(), provider.GetRequiredService<IOperationJournal>());
        Assert.NotNull(await provider.GetRequiredService<IInstanceStore>().FindAsync("cloud", Ct));
    }

    [Fact]
    public void RegisteringAgainWithTheSameDataDirectoryChangesNothing()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHostPanelData(Options);
        services.AddHostPanelState(Options);
        var count = services.Count;

        services.AddHostPanelData(Options);
        services.AddHostPanelDataProtection(Options);
        services.AddHostPanelState(new HostPanelOptions { DataDirectory = _data.Path });

        Assert.Equal(count, services.Count);
    }

    [Fact]
    public void RegisteringAgainWithAnotherDataDirectoryIsAnError()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHostPanelState(Options);
        var elsewhere = new HostPanelOptions { DataDirectory = Path.Combine(_data.Path, "elsewhere") };

        Assert.Throws<InvalidOperationException>(() => services.AddHostPanelData(elsewhere));
        Assert.Throws<InvalidOperationException>(() => services.AddHostPanelDataProtection(elsewhere));
    }

    [Fact]
    public async Task ThePanelAndTheCommandLineProtectWithTheSameKeys()
    {
        // The panel: Data Protection registered by the accounts, the state on top.
        var panel = new ServiceCollection().AddLogging();
        panel.AddHostPanelDataProtection(Options);
        panel.AddHostPanelData(Options);
        panel.AddHostPanelState(Options);

        // The CLI: data and state only.
        var cli = new ServiceCollection().AddLogging();
        cli.AddHostPanelData(Options);
        cli.AddHostPanelState(Options);

        await using var panelServices = panel.BuildServiceProvider();
        await using var cliServices = cli.BuildServiceProvider();
        const string purpose = "a purpose both know";
        var protectedByCli = cliServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(purpose).Protect("hello");

        Assert.Equal("hello", panelServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(purpose).Unprotect(protectedByCli));
        Assert.NotEmpty(Directory.GetFiles(Options.KeyRingDirectory, "key-*.xml"));
    }
}
