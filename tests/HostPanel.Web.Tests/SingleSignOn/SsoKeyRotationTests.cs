using System.Collections.Concurrent;
using System.Security.Cryptography;
using HostPanel.Core.Secrets;
using HostPanel.Web.SingleSignOn;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace HostPanel.Web.Tests.SingleSignOn;

public sealed class SsoKeyRotationTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 10, 8, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SsoKeyManager Manager(ISecretStore secrets, TimeProvider time) =>
        new(secrets, time, NullLogger<SsoKeyManager>.Instance);

    [Fact]
    public void TheNewestKeySignsUntilItIsNinetyDaysOldThenThePreviousOneStaysThirtyDays()
    {
        var policy = new SsoKeyPolicy();
        var made = 0;
        SsoKey Create(DateTimeOffset at) => new($"k{++made}", at, [(byte)made]);

        var first = policy.Rotate([], Start, Create);
        Assert.Equal(["k1"], first.Select(k => k.Id));

        // Young enough: nothing changes.
        Assert.Same(first[0], Assert.Single(policy.Rotate(first, Start.AddDays(89), Create)));

        // 90 days: a new key takes over, the old one is still published.
        var rotated = policy.Rotate(first, Start.AddDays(90), Create);
        Assert.Equal(["k2", "k1"], rotated.Select(k => k.Id));
        Assert.Equal(["k2", "k1"], policy.Rotate(rotated, Start.AddDays(119), Create).Select(k => k.Id));

        // 30 days after the rotation the old key is gone.
        Assert.Equal(["k2"], policy.Rotate(rotated, Start.AddDays(120), Create).Select(k => k.Id));

        // A panel stopped for a year: one new key, the stale one kept only for the window, never more than two.
        var late = policy.Rotate(rotated, Start.AddDays(500), Create);
        Assert.Equal(["k3", "k2"], late.Select(k => k.Id));
    }

    [Fact]
    public async Task KeysAreMadeOnceKeptEncryptedAndRotatedByAge()
    {
        var secrets = new MemorySecretStore();
        var time = new ManualTime(Start);
        var manager = Manager(secrets, time);

        var keys = await manager.GetAsync(Ct);
        var signing = Assert.Single(keys.Signing);
        var encryption = Assert.Single(keys.Encryption);
        using (var rsa = RSA.Create())
        {
            rsa.ImportPkcs8PrivateKey(signing.Material, out _);
            Assert.True(rsa.KeySize >= 2048);
        }

        Assert.Equal(32, encryption.Material.Length);

        // Stored under the panel's own owner, read back the same by another process.
        Assert.True(secrets.Values.ContainsKey((SsoKeyManager.Owner, SsoKeyManager.SecretName)));
        var again = await Manager(secrets, time).GetAsync(Ct);
        Assert.True(again.SameKeys(keys));
        Assert.Equal(signing.Material, again.Signing[0].Material);

        // Not due: the same keys, no change announced.
        var token = manager.ChangeToken;
        time.Now = Start.AddDays(89);
        Assert.True((await manager.RefreshAsync(Ct)).SameKeys(keys));
        Assert.False(token.HasChanged);

        // Due: a new key signs, the previous one is still published, and the change is announced.
        time.Now = Start.AddDays(90);
        var rotated = await manager.RefreshAsync(Ct);
        Assert.True(token.HasChanged);
        Assert.Equal([rotated.Signing[0].Id, signing.Id], rotated.Signing.Select(k => k.Id));
        Assert.NotEqual(signing.Id, rotated.Signing[0].Id);
        Assert.Equal([rotated.Encryption[0].Id, encryption.Id], rotated.Encryption.Select(k => k.Id));
        Assert.Equal(time.Now, rotated.Signing[0].CreatedAt);

        // End of the window: the old key is dropped.
        time.Now = Start.AddDays(120);
        var retired = await manager.RefreshAsync(Ct);
        Assert.Equal([rotated.Signing[0].Id], retired.Signing.Select(k => k.Id));
        Assert.True((await Manager(secrets, time).GetAsync(Ct)).SameKeys(retired));
    }

    [Fact]
    public async Task UnreadableKeysAreReplaced()
    {
        var secrets = new MemorySecretStore();
        await secrets.SetAsync(SsoKeyManager.Owner, SsoKeyManager.SecretName, "not json", Ct);
        var keys = await Manager(secrets, new ManualTime(Start)).GetAsync(Ct);
        Assert.Single(keys.Signing);
        Assert.NotEqual("not json", secrets.Values[(SsoKeyManager.Owner, SsoKeyManager.SecretName)]);
    }

    [Fact]
    public async Task TheProviderSignsWithTheNewKeyAfterARotationWithoutARestart()
    {
        var secrets = new MemorySecretStore();
        var time = new ManualTime(Start);
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<ISecretStore>(secrets);
        services.AddSingleton<TimeProvider>(time);
        services.AddOpenIddict().AddServer(server => server
            .SetTokenEndpointUris("connect/token")
            .AllowClientCredentialsFlow()
            .EnableDegradedMode()
            .AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler => handler.UseInlineHandler(_ => default)));
        services.AddSingleton<SsoKeyManager>();
        services.AddSingleton<SsoServerCredentials>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>>(sp => sp.GetRequiredService<SsoServerCredentials>());
        services.AddSingleton<IPostConfigureOptions<OpenIddictServerOptions>>(sp => sp.GetRequiredService<SsoServerCredentials>());
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>>(sp => sp.GetRequiredService<SsoServerCredentials>());
        await using var provider = services.BuildServiceProvider();
        var manager = provider.GetRequiredService<SsoKeyManager>();
        var monitor = provider.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>();

        var first = await manager.GetAsync(Ct);
        var options = monitor.CurrentValue;
        var signing = Assert.Single(options.SigningCredentials);
        Assert.Equal(first.Signing[0].Id, signing.Key.KeyId);
        Assert.Equal(SecurityAlgorithms.RsaSha256, signing.Algorithm);
        Assert.IsType<RsaSecurityKey>(signing.Key);
        Assert.Equal(first.Encryption[0].Id, Assert.Single(options.EncryptionCredentials).Key.KeyId);

        time.Now = Start.AddDays(91);
        var rotated = await manager.RefreshAsync(Ct);
        options = monitor.CurrentValue;
        Assert.Equal([rotated.Signing[0].Id, first.Signing[0].Id], options.SigningCredentials.Select(c => c.Key.KeyId));
        Assert.Equal([rotated.Encryption[0].Id, first.Encryption[0].Id], options.EncryptionCredentials.Select(c => c.Key.KeyId));

        // Whatever order the keys come in, the key in use is put first (OpenIddict does not tell two RSA keys apart).
        var reversed = new OpenIddictServerOptions();
        reversed.SigningCredentials.AddRange(options.SigningCredentials.AsEnumerable().Reverse());
        reversed.EncryptionCredentials.AddRange(options.EncryptionCredentials.AsEnumerable().Reverse());
        provider.GetRequiredService<SsoServerCredentials>().PostConfigure(Options.DefaultName, reversed);
        Assert.Equal(rotated.Signing[0].Id, reversed.SigningCredentials[0].Key.KeyId);
        Assert.Equal(rotated.Encryption[0].Id, reversed.EncryptionCredentials[0].Key.KeyId);
    }

    /// <summary>A clock the test sets.</summary>
    internal sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>The secret store's contract, in memory.</summary>
    internal sealed class MemorySecretStore : ISecretStore
    {
        public ConcurrentDictionary<(string Owner, string Name), string> Values { get; } = new();

        public Task<IReadOnlyDictionary<string, string>> GetAllAsync(string instance, CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyDictionary<string, string>>(Values.Where(v => v.Key.Owner == instance).ToDictionary(v => v.Key.Name, v => v.Value));

        public Task AddMissingAsync(string instance, IReadOnlyDictionary<string, string> values, CancellationToken ct = default)
        {
            foreach (var (name, value) in values)
            {
                Values.TryAdd((instance, name), value);
            }

            return Task.CompletedTask;
        }

        public Task SetAsync(string instance, string name, string value, CancellationToken ct = default)
        {
            Values[(instance, name)] = value;
            return Task.CompletedTask;
        }

        public Task DeleteAllAsync(string instance, CancellationToken ct = default)
        {
            foreach (var key in Values.Keys.Where(k => k.Owner == instance).ToList())
            {
                Values.TryRemove(key, out _);
            }

            return Task.CompletedTask;
        }
    }
}
