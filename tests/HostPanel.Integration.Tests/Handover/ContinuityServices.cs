using HostPanel.Core.Accounts;
using HostPanel.Core.Configuration;
using HostPanel.Core.Handover;
using HostPanel.Infrastructure.Accounts;
using HostPanel.Infrastructure.Data;
using HostPanel.Infrastructure.Handover;
using HostPanel.Infrastructure.State;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HostPanel.Integration.Tests.Handover;

/// <summary>
/// HostPanel's accounts, state and continuity services as the CLI registers them, on a real
/// SQLite file in a temporary data directory; no container engine (the test world is not needed).
/// The recovery kit's state is a stand-in the test sets.
/// </summary>
internal sealed class ContinuityServices : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly string _dataDirectory;

    private ContinuityServices(ServiceProvider services, string dataDirectory, FakeTimeProvider time, KitState kit)
    {
        _services = services;
        _dataDirectory = dataDirectory;
        Time = time;
        Kit = kit;
    }

    public FakeTimeProvider Time { get; }

    public KitState Kit { get; }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public static async Task<ContinuityServices> StartAsync(CancellationToken ct)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("hp-cont-").FullName;
        var options = new HostPanelOptions { DataDirectory = dataDirectory };
        var services = new ServiceCollection();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));
        var kit = new KitState();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging();
        services.AddSingleton(options);
        services.AddHostPanelState(options);
        services.AddHostPanelAccounts(options);
        services.AddSingleton<AccessControl>();
        services.AddSingleton<CallerResolver>();
        services.AddSingleton<IRecoveryKitState>(kit);
        services.AddHostPanelContinuity();
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<HostPanelDatabase>().MigrateAsync(ct);
        await provider.GetRequiredService<FirstRunState>().PrepareAsync(ct);
        return new ContinuityServices(provider, dataDirectory, time, kit);
    }

    /// <summary>A person with an account; a hoster administrator when <paramref name="hoster"/>.</summary>
    public async Task<Person> PersonAsync(string email, bool hoster = false, bool twoFactor = false, CancellationToken ct = default)
    {
        var person = await Get<IPeopleDirectory>().CreateAsync(email, email.Split('@')[0], "a long enough password", ct);
        await using var scope = _services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>();
        var user = (await users.FindByIdAsync(person.Id))!;
        if (hoster)
        {
            Assert.True((await users.AddToRoleAsync(user, HostPanelRoles.HosterAdministrator)).Succeeded);
        }

        if (twoFactor)
        {
            await TwoFactorAsync(person.Id, true);
        }

        return (await Get<IPeopleDirectory>().FindAsync(person.Id, ct))!;
    }

    public async Task TwoFactorAsync(string userId, bool enabled)
    {
        await using var scope = _services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>();
        Assert.True((await users.SetTwoFactorEnabledAsync((await users.FindByIdAsync(userId))!, enabled)).Succeeded);
    }

    /// <summary>The caller a person is when they act (their roles read from the accounts).</summary>
    public async Task<Caller> CallerAsync(Person person, CancellationToken ct) =>
        (await Get<CallerResolver>().ForPersonAsync(person.Id, ct))!;

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    /// <summary>The recovery kit as the panel would know it; none until a test sets one.</summary>
    internal sealed class KitState : IRecoveryKitState
    {
        public RecoveryKitSummary? Current { get; set; }

        public Task<RecoveryKitSummary?> CurrentAsync(CancellationToken ct = default) => Task.FromResult(Current);
    }
}
