using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using HostPanel.Core.Secrets;
using HostPanel.Infrastructure.Secrets;
using Microsoft.Extensions.Primitives;

namespace HostPanel.Web.SingleSignOn;

/// <summary>One key of the provider: an RSA signing key (PKCS#8) or an AES-256 encryption key.</summary>
/// <param name="Id">The key id (<c>kid</c>), random, stable for the key's life.</param>
/// <param name="CreatedAt">When it was made: its age decides its rotation.</param>
/// <param name="Material">The private key, only ever stored encrypted.</param>
internal sealed record SsoKey(string Id, DateTimeOffset CreatedAt, byte[] Material);

/// <summary>The provider's keys, each list newest (the one in use) first.</summary>
internal sealed record SsoKeySet(IReadOnlyList<SsoKey> Signing, IReadOnlyList<SsoKey> Encryption)
{
    /// <summary>Same keys, by id (their material never changes under one id).</summary>
    public bool SameKeys(SsoKeySet? other) =>
        other is not null
        && Signing.Select(k => k.Id).SequenceEqual(other.Signing.Select(k => k.Id), StringComparer.Ordinal)
        && Encryption.Select(k => k.Id).SequenceEqual(other.Encryption.Select(k => k.Id), StringComparer.Ordinal);
}

/// <summary>
/// When keys change. A key signs (or encrypts) new tokens until it is <see cref="RotationAge"/>
/// old; then a new one takes over and the previous one is still published (and accepted) for
/// <see cref="RetirementWindow"/>, longer than any token it protected lives (refresh tokens: 14 days).
/// </summary>
internal sealed record SsoKeyPolicy
{
    public TimeSpan RotationAge { get; init; } = TimeSpan.FromDays(90);

    public TimeSpan RetirementWindow { get; init; } = TimeSpan.FromDays(30);

    /// <summary>
    /// The keys to keep at <paramref name="now"/>, newest first: a new one made with
    /// <paramref name="create"/> when there is none or the newest is too old; the previous one
    /// while the newest is younger than the retirement window; no older one.
    /// </summary>
    public IReadOnlyList<SsoKey> Rotate(IReadOnlyList<SsoKey> keys, DateTimeOffset now, Func<DateTimeOffset, SsoKey> create)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(create);
        var ordered = keys.OrderByDescending(k => k.CreatedAt).ToList();
        if (ordered.Count == 0 || now - ordered[0].CreatedAt >= RotationAge)
        {
            ordered.Insert(0, create(now));
        }

        var kept = new List<SsoKey> { ordered[0] };
        if (ordered.Count > 1 && now - ordered[0].CreatedAt < RetirementWindow)
        {
            kept.Add(ordered[1]);
        }

        return kept;
    }
}

/// <summary>
/// The provider's signing keys (RSA 2048, RS256) and token encryption keys (AES-256), made here,
/// kept encrypted in the panel's secret store (Data Protection; never a key in clear on disk or in
/// the database) and rotated by age (<see cref="SsoKeyPolicy"/>). A rotation is announced through
/// <see cref="ChangeToken"/>, so that the provider's options are built again with the new keys.
/// </summary>
internal sealed partial class SsoKeyManager(ISecretStore secrets, TimeProvider time, ILogger<SsoKeyManager> logger, SsoKeyPolicy? policy = null)
{
    /// <summary>The secret store owner and name of the key set (not an app: no app name has a dot).</summary>
    public const string Owner = "panel.sso-keys";

    public const string SecretName = "keyset.v1";

    private const int RsaKeyBits = 2048;

    private const int AesKeyBytes = 32;

    private readonly SsoKeyPolicy _policy = policy ?? new SsoKeyPolicy();

    private readonly SemaphoreSlim _gate = new(1, 1);

    private CancellationTokenSource _changed = new();

    private volatile SsoKeySet? _current;

    /// <summary>The keys last loaded, or null before the first load.</summary>
    public SsoKeySet? Current => _current;

    /// <summary>Fires once when the keys in use change (a rotation, or keys replaced).</summary>
    public IChangeToken ChangeToken => new CancellationChangeToken(_changed.Token);

    /// <summary>The keys, loaded (and rotated when due) on first use.</summary>
    public async Task<SsoKeySet> GetAsync(CancellationToken ct = default) => _current ?? await RefreshAsync(ct).ConfigureAwait(false);

    /// <summary>
    /// Reads the stored keys, rotates them when due, stores the result when it changed, and
    /// announces a change of the keys in use.
    /// </summary>
    public async Task<SsoKeySet> RefreshAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var stored = await LoadAsync(ct).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var next = new SsoKeySet(
                _policy.Rotate(stored?.Signing ?? [], now, NewSigningKey),
                _policy.Rotate(stored?.Encryption ?? [], now, NewEncryptionKey));
            if (!next.SameKeys(stored))
            {
                await secrets.SetAsync(Owner, SecretName, JsonSerializer.Serialize(StoredKeySet.From(next)), ct).ConfigureAwait(false);
                LogKeysChanged(next.Signing[0].Id, next.Signing.Count, next.Encryption.Count);
            }

            var previous = _current;
            _current = next;
            if (previous is not null && !next.SameKeys(previous))
            {
                var changed = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
                await changed.CancelAsync().ConfigureAwait(false);
                changed.Dispose();
            }

            return next;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<SsoKeySet?> LoadAsync(CancellationToken ct)
    {
        try
        {
            var values = await secrets.GetAllAsync(Owner, ct).ConfigureAwait(false);
            return values.TryGetValue(SecretName, out var json) ? JsonSerializer.Deserialize<StoredKeySet>(json)?.ToKeySet() : null;
        }
        catch (Exception e) when (e is SecretUnreadableException or JsonException or CryptographicException or FormatException)
        {
            // Keys nobody can read protect nothing: new ones are made (tokens signed with the
            // lost ones are refused, and people sign in to their apps again).
            LogUnreadable(e);
            return null;
        }
    }

    private static SsoKey NewSigningKey(DateTimeOffset now)
    {
        using var rsa = RSA.Create(RsaKeyBits);
        return new SsoKey(NewId(), now, rsa.ExportPkcs8PrivateKey());
    }

    private static SsoKey NewEncryptionKey(DateTimeOffset now) => new(NewId(), now, RandomNumberGenerator.GetBytes(AesKeyBytes));

    private static string NewId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));

    [LoggerMessage(Level = LogLevel.Information, Message = "Single sign-on keys rotated: signing with {KeyId}; {Signing} signing and {Encryption} encryption keys published")]
    private partial void LogKeysChanged(string keyId, int signing, int encryption);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The single sign-on keys could not be read; new keys are made and people sign in to their apps again")]
    private partial void LogUnreadable(Exception e);

    /// <summary>The stored form (JSON, then encrypted by the secret store).</summary>
    private sealed record StoredKeySet(List<StoredKey> Signing, List<StoredKey> Encryption)
    {
        public static StoredKeySet From(SsoKeySet set) => new([.. set.Signing.Select(StoredKey.From)], [.. set.Encryption.Select(StoredKey.From)]);

        public SsoKeySet ToKeySet() => new([.. (Signing ?? []).Select(k => k.ToKey())], [.. (Encryption ?? []).Select(k => k.ToKey())]);
    }

    private sealed record StoredKey(string Id, DateTimeOffset CreatedAt, string Material)
    {
        public static StoredKey From(SsoKey key) => new(key.Id, key.CreatedAt, Convert.ToBase64String(key.Material));

        public SsoKey ToKey() => new(Id, CreatedAt, Convert.FromBase64String(Material));
    }
}
