using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace HostPanel.Web.SingleSignOn;

/// <summary>
/// Gives OpenIddict the keys of <see cref="SsoKeyManager"/>: every kept signing key (RS256) and
/// encryption key (AES-256 key wrap), the one in use first. Rebuilt whenever the keys change
/// (<see cref="IOptionsChangeTokenSource{TOptions}"/>), so a rotation takes effect without a restart.
/// </summary>
internal sealed class SsoServerCredentials(SsoKeyManager keys)
    : IConfigureOptions<OpenIddictServerOptions>, IPostConfigureOptions<OpenIddictServerOptions>, IOptionsChangeTokenSource<OpenIddictServerOptions>
{
    // One set of key objects per key set, made once (RSA objects are not made again on each rebuild).
    private readonly ConditionalWeakTable<SsoKeySet, Credentials> _made = [];

    public string? Name => Options.DefaultName;

    public IChangeToken GetChangeToken() => keys.ChangeToken;

    public void Configure(OpenIddictServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // The keys are loaded at start-up (SsoKeyRotationService); this only waits when the
        // options are asked for before it ran.
        var set = keys.Current ?? keys.GetAsync().GetAwaiter().GetResult();
        var made = _made.GetValue(set, Make);
        options.SigningCredentials.AddRange(made.Signing);
        options.EncryptionCredentials.AddRange(made.Encryption);
    }

    /// <summary>
    /// OpenIddict sorts the credentials by kind and certificate dates only, which says nothing
    /// between two plain RSA keys: the key in use is put back first, so it is the one that signs.
    /// Registered after OpenIddict's own post-configuration.
    /// </summary>
    public void PostConfigure(string? name, OpenIddictServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (keys.Current is not { } set)
        {
            return;
        }

        var order = set.Signing.Select((k, i) => (k.Id, i)).Concat(set.Encryption.Select((k, i) => (k.Id, i)))
            .GroupBy(p => p.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        int Rank(SecurityKey key) => key.KeyId is { } id && order.TryGetValue(id, out var rank) ? rank : int.MaxValue;

        var signing = options.SigningCredentials.OrderBy(c => Rank(c.Key)).ToList();
        options.SigningCredentials.Clear();
        options.SigningCredentials.AddRange(signing);
        var encryption = options.EncryptionCredentials.OrderBy(c => Rank(c.Key)).ToList();
        options.EncryptionCredentials.Clear();
        options.EncryptionCredentials.AddRange(encryption);
    }

    private static Credentials Make(SsoKeySet set)
    {
        var signing = set.Signing.Select(key =>
        {
            var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(key.Material, out _);
            return new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = key.Id }, SecurityAlgorithms.RsaSha256);
        }).ToList();
        var encryption = set.Encryption.Select(key => new EncryptingCredentials(
            new SymmetricSecurityKey(key.Material) { KeyId = key.Id },
            SecurityAlgorithms.Aes256KW,
            SecurityAlgorithms.Aes256CbcHmacSha512)).ToList();
        return new Credentials(signing, encryption);
    }

    private sealed record Credentials(List<SigningCredentials> Signing, List<EncryptingCredentials> Encryption);
}

/// <summary>Loads the keys before the panel answers, then rotates them when due (checked every few hours).</summary>
internal sealed partial class SsoKeyRotationService(SsoKeyManager keys, TimeProvider time, ILogger<SsoKeyRotationService> logger) : BackgroundService
{
    private static readonly TimeSpan Check = TimeSpan.FromHours(6);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await keys.GetAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Check, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await keys.RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The single sign-on keys could not be checked for rotation")]
    private partial void LogFailed(Exception e);
}
