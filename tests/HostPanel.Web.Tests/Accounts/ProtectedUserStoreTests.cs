using System.Runtime.Versioning;
using HostPanel.Core.Configuration;
using HostPanel.Infrastructure.Accounts;
using HostPanel.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Accounts;

/// <summary>The two-step sign-in secrets in the database: the key encrypted, the recovery codes hashed.</summary>
[SupportedOSPlatform("linux")]
public sealed class ProtectedUserStoreTests : IAsyncLifetime
{
    private readonly TempDataDirectory _data = new();
    private ServiceProvider _services = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // As the CLI registers accounts: no web panel, the same store.
        var options = new HostPanelOptions { DataDirectory = _data.Path };
        var services = new ServiceCollection().AddLogging();
        services.AddHostPanelData(options);
        services.AddHostPanelAccounts(options).AddDefaultTokenProviders();
        _services = services.BuildServiceProvider();
        await _services.GetRequiredService<HostPanelDatabase>().MigrateAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        _data.Dispose();
    }

    private async Task<HostPanelUser> CreateAsync(UserManager<HostPanelUser> users, string email)
    {
        var user = new HostPanelUser { UserName = email, Email = email, DisplayName = email, CreatedAt = DateTimeOffset.UtcNow };
        Assert.True((await users.CreateAsync(user, "une phrase assez longue")).Succeeded);
        return user;
    }

    private async Task<string?> RawTokenAsync(string userId, string name)
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HostPanelDbContext>();
        return await db.UserTokens.AsNoTracking()
            .Where(t => t.UserId == userId && t.LoginProvider == ProtectedUserStore.InternalLoginProvider && t.Name == name)
            .Select(t => t.Value)
            .SingleOrDefaultAsync(Ct);
    }

    [Fact]
    public async Task TheAccountsOfTheCliAndThePanelUseTheProtectedStore()
    {
        await using var scope = _services.CreateAsyncScope();
        Assert.IsType<ProtectedUserStore>(scope.ServiceProvider.GetRequiredService<IUserStore<HostPanelUser>>());
    }

    [Fact]
    public async Task TheAuthenticatorKeyIsEncryptedAndBoundToItsAccount()
    {
        await using var scope = _services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>();
        var alice = await CreateAsync(users, "alice@example.org");
        var bob = await CreateAsync(users, "bob@example.org");

        await users.ResetAuthenticatorKeyAsync(alice);
        var key = await users.GetAuthenticatorKeyAsync(alice);
        Assert.NotNull(key);
        Assert.Matches("^[A-Z2-7]{32}$", key);

        // The code an app computes from the key is accepted: the key read back is the real one.
        var code = Totp.Code(key, Totp.StepAt(DateTimeOffset.UtcNow));
        Assert.True(await users.VerifyTwoFactorTokenAsync(alice, users.Options.Tokens.AuthenticatorTokenProvider, code));

        var stored = await RawTokenAsync(alice.Id, ProtectedUserStore.AuthenticatorKeyTokenName);
        Assert.NotNull(stored);
        Assert.StartsWith("dp1:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(key, stored, StringComparison.OrdinalIgnoreCase);

        // Copied onto another account, the value does not decrypt.
        await users.SetAuthenticationTokenAsync(bob, ProtectedUserStore.InternalLoginProvider, ProtectedUserStore.AuthenticatorKeyTokenName, stored);
        var copied = await Assert.ThrowsAsync<InvalidOperationException>(() => users.GetAuthenticatorKeyAsync(bob));
        Assert.Contains("key ring", copied.Message, StringComparison.Ordinal);

        RawDatabase.AssertHoldsNone(await RawDatabase.ReadAfterCheckpointAsync(Path.Combine(_data.Path, "hostpanel.db"), Ct), [key]);
    }

    [Fact]
    public async Task RecoveryCodesAreKeptAsHashesAndEachWorksOnce()
    {
        await using var scope = _services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>();
        var alice = await CreateAsync(users, "alice@example.org");
        var bob = await CreateAsync(users, "bob@example.org");

        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(alice, 10))!.ToList();
        Assert.Equal(10, codes.Count);
        Assert.Equal(10, codes.Distinct().Count());
        Assert.Equal(10, await users.CountRecoveryCodesAsync(alice));

        var stored = await RawTokenAsync(alice.Id, ProtectedUserStore.RecoveryCodesTokenName);
        Assert.NotNull(stored);
        Assert.Equal(10, stored.Split(';').Length);
        Assert.All(stored.Split(';'), hash => Assert.Matches("^h1:[0-9a-f]{64}$", hash));

        // As a person types it: lower case, with spaces.
        Assert.True((await users.RedeemTwoFactorRecoveryCodeAsync(alice, " " + codes[0].ToLowerInvariant().Replace("-", " - ", StringComparison.Ordinal))).Succeeded);
        Assert.False((await users.RedeemTwoFactorRecoveryCodeAsync(alice, codes[0])).Succeeded);
        Assert.Equal(9, await users.CountRecoveryCodesAsync(alice));
        Assert.False((await users.RedeemTwoFactorRecoveryCodeAsync(alice, "")).Succeeded);

        // The same hashes on another account do not redeem the same codes: they are salted with the account.
        await users.SetAuthenticationTokenAsync(bob, ProtectedUserStore.InternalLoginProvider, ProtectedUserStore.RecoveryCodesTokenName, stored);
        Assert.False((await users.RedeemTwoFactorRecoveryCodeAsync(bob, codes[1])).Succeeded);

        // New codes replace all the old ones.
        var renewed = (await users.GenerateNewTwoFactorRecoveryCodesAsync(alice, 10))!.ToList();
        Assert.False((await users.RedeemTwoFactorRecoveryCodeAsync(alice, codes[1])).Succeeded);
        Assert.True((await users.RedeemTwoFactorRecoveryCodeAsync(alice, renewed[1])).Succeeded);

        RawDatabase.AssertHoldsNone(await RawDatabase.ReadAfterCheckpointAsync(Path.Combine(_data.Path, "hostpanel.db"), Ct), [.. codes, .. renewed]);
    }
}
