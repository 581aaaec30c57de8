using System.Security.Cryptography;
using System.Text;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Backups;
using HostPanel.Core.Configuration;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Handover;

/// <summary>A kit just made: the sealed block (also written in DATA_DIR/recovery) and each holder's documents.</summary>
public sealed record RecoveryKitIssue(
    Guid Id,
    DateTimeOffset IssuedAt,
    int Threshold,
    IReadOnlyList<string> Holders,
    string SealedKit,
    string SealedKitFile,
    IReadOnlyList<RecoveryShareDocument> Documents);

public enum RecoveryKitChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>One covered thing that is not as the kit sealed it ("repository:velo", "keyring:key-….xml").</summary>
public sealed record RecoveryKitChange(string Item, RecoveryKitChangeKind Kind)
{
    /// <summary>The kit itself served for an emergency access: its shares were brought together.</summary>
    public const string UsedItem = "kit:used";

    /// <summary>In the current culture's words: "the backup repository of velo changed".</summary>
    public string Describe()
    {
        if (Item == UsedItem)
        {
            return RecoveryText.Get("ChangeKitUsed");
        }

        var repository = Item.StartsWith(CoveredSecrets.RepositoryItem, StringComparison.Ordinal);
        var name = Item[(repository ? CoveredSecrets.RepositoryItem : CoveredSecrets.KeyRingItem).Length..];
        return RecoveryText.Format((repository ? "ChangeRepository" : "ChangeKeyRing") + Kind, name);
    }
}

/// <summary>The last kit as the panel knows it, and what changed since among what it covers.</summary>
public sealed record RecoveryKitStatus(RecoveryKitSummary Summary, string IssuedBy, IReadOnlyList<RecoveryKitChange> Changes);

/// <summary>
/// Issues the server's recovery kit — a random key seals everything needed to rebuild on a fresh
/// server, and the key is split with Shamir into one share per named holder — and tells whether
/// the kit handed out last still covers the secrets in use.
/// </summary>
public sealed class RecoveryKitService(RecoverySecrets secrets, IRecoveryKitStore kits, HostPanelOptions options, TimeProvider time, IAuditLog? audit = null)
    : IRecoveryKitState
{
    public const string AuditAction = AuditActions.RecoveryKitCreate;
    public const int MaxHolderLength = 80;

    /// <summary>
    /// Makes a kit for <paramref name="holders"/>, any <paramref name="threshold"/> of whom can
    /// open it. Hoster administrators and root only. The sealed kit is written in
    /// DATA_DIR/recovery; the shares are only returned, never kept.
    /// </summary>
    public async Task<RecoveryKitIssue> CreateAsync(Caller caller, int threshold, IReadOnlyList<string> holders, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        try
        {
            AccessControl.RequireHoster(caller);
        }
        catch (AccessDeniedException)
        {
            await RecordAsync(caller, AuditResult.Refused, null, null, ct).ConfigureAwait(false);
            throw;
        }

        var names = ValidateHolders(holders);
        Shamir.ValidateShape(threshold, names.Count);

        var covered = await secrets.CollectAsync(forKit: true, ct).ConfigureAwait(false);
        var issuedAt = time.GetUtcNow();
        issuedAt = new DateTimeOffset(issuedAt.UtcTicks - (issuedAt.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var credential = "hprc-" + ShareAlphabet.Encode(RandomNumberGenerator.GetBytes(20));
        var contents = new RecoveryKitContents
        {
            KitId = Guid.NewGuid(),
            IssuedAt = issuedAt,
            Threshold = threshold,
            Holders = names,
            PanelAddress = string.IsNullOrWhiteSpace(options.PanelUrl) ? null : options.PanelUrl,
            Repositories = covered.Repositories,
            KeyRing = covered.KeyRing,
            RecoveryCredential = credential,
        };

        var key = RandomNumberGenerator.GetBytes(SealedKit.KeyLength);
        string sealedKit;
        List<RecoveryShareDocument> documents;
        try
        {
            sealedKit = SealedKit.Seal(contents, names.Count, key);
            var taken = new HashSet<string>(StringComparer.Ordinal);
            documents = [.. RecoveryShareFormat.Lines(contents.KitId, key, threshold, names.Count).Select((line, i) =>
                RecoveryShareDocuments.Build(contents, names.Count, names[i], i + 1, line, sealedKit, RecoveryShareDocuments.FileStem(names[i], i + 1, taken)))];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        var directory = KitDirectory;
        PrivateFiles.CreateDirectory(directory);
        var file = Path.Combine(directory, $"kit-{issuedAt:yyyyMMdd-HHmmss}-{RecoveryShareFormat.KitTag(contents.KitId)}.sealed");
        await using (var stream = PrivateFiles.Create(file))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(sealedKit), ct).ConfigureAwait(false);
        }

        var items = covered.ItemFingerprints();
        await kits.AddAsync(new IssuedRecoveryKit(contents.KitId, issuedAt, caller.Name, threshold, names, CoveredSecrets.Fingerprint(items), items, CredentialHash(credential)), ct).ConfigureAwait(false);
        await RecordAsync(caller, AuditResult.Succeeded, threshold, names, ct).ConfigureAwait(false);
        return new RecoveryKitIssue(contents.KitId, issuedAt, threshold, names, sealedKit, file, documents);
    }

    /// <summary>The last kit and what changed since (hoster administrators and root only); null when none was issued.</summary>
    public async Task<RecoveryKitStatus?> StatusAsync(Caller caller, CancellationToken ct = default)
    {
        AccessControl.RequireHoster(caller);
        var kit = await kits.LatestAsync(ct).ConfigureAwait(false);
        if (kit is null)
        {
            return null;
        }

        var now = await secrets.CollectAsync(forKit: false, ct).ConfigureAwait(false);
        var items = now.ItemFingerprints();
        var changes = new List<RecoveryKitChange>();
        var stateSavedAt = PanelStateMark.Read(options.DataDirectory);
        foreach (var (item, hash) in items)
        {
            if (!kit.Items.TryGetValue(item, out var then))
            {
                // Data Protection adds a key every 90 days: one the last whole backup of the panel's
                // state holds comes back with it in a recovery, and does not call for a new kit.
                if (!IsSavedWithThePanelState(item, stateSavedAt))
                {
                    changes.Add(new RecoveryKitChange(item, RecoveryKitChangeKind.Added));
                }
            }
            else if (then != hash)
            {
                changes.Add(new RecoveryKitChange(item, RecoveryKitChangeKind.Changed));
            }
        }

        changes.AddRange(kit.Items.Keys.Where(i => !items.ContainsKey(i)).Select(i => new RecoveryKitChange(i, RecoveryKitChangeKind.Removed)));
        if (UsedAt(RecoveryShareFormat.KitTag(kit.Id)) is not null)
        {
            changes.Add(new RecoveryKitChange(RecoveryKitChange.UsedItem, RecoveryKitChangeKind.Changed));
        }
        var current = changes.Count == 0;
        return new RecoveryKitStatus(new RecoveryKitSummary(kit.Id, kit.IssuedAt, kit.Threshold, kit.Holders, current, now.NewestChange), kit.IssuedBy, changes);
    }

    private bool IsSavedWithThePanelState(string item, DateTimeOffset? stateSavedAt)
    {
        if (stateSavedAt is not { } saved || !item.StartsWith(CoveredSecrets.KeyRingItem, StringComparison.Ordinal))
        {
            return false;
        }

        var file = Path.Combine(options.KeyRingDirectory, item[CoveredSecrets.KeyRingItem.Length..]);
        return File.Exists(file) && File.GetLastWriteTimeUtc(file) < saved.UtcDateTime;
    }

    /// <inheritdoc />
    public async Task<RecoveryKitSummary?> CurrentAsync(CancellationToken ct = default) =>
        (await StatusAsync(Caller.System("recovery-kit"), ct).ConfigureAwait(false))?.Summary;

    /// <summary>Where the sealed kits are written when issued (DATA_DIR/recovery).</summary>
    private string KitDirectory => Path.Combine(options.DataDirectory, "recovery");

    /// <summary>
    /// Opens the kit issued last on this very server with <paramref name="shares"/> (share lines,
    /// or whole holder sheets): the sealed block is the one kept in DATA_DIR/recovery when the kit
    /// was made, or, when that file is gone, <paramref name="sealedKitGiven"/> (from a pasted
    /// sheet). Only the kit issued last opens (its recovery credential is checked against the one
    /// kept). Throws <see cref="AppRequestException"/> on "share" when no kit was made, its block
    /// is nowhere, or the shares are too few, damaged, of another kit or do not open it.
    /// </summary>
    public async Task<RecoveryKitContents> OpenIssuedAsync(IReadOnlyList<string> shares, string? sealedKitGiven = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(shares);
        var kit = await kits.LatestAsync(ct).ConfigureAwait(false)
            ?? throw new AppRequestException("share", RecoveryText.Get("EmergencyNoKit"));
        var tag = RecoveryShareFormat.KitTag(kit.Id);
        for (var i = 0; i < shares.Count; i++)
        {
            var share = RecoveryShareFormat.Parse(RecoveryShareFormat.FindLine(shares[i] ?? string.Empty) ?? shares[i] ?? string.Empty, i + 1);
            if (share.KitTag != tag)
            {
                throw new AppRequestException("share", RecoveryText.Format("EmergencyNotLatestKit", share.KitTag, tag));
            }
        }

        if (UsedAt(tag) is { } used)
        {
            throw new AppRequestException("share", RecoveryText.Format("EmergencyKitUsed", tag, used.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture)));
        }

        var directory = KitDirectory;
        var file = Directory.Exists(directory) ? Directory.GetFiles(directory, $"kit-*-{tag}.sealed").Order(StringComparer.Ordinal).LastOrDefault() : null;
        string sealedKit;
        if (file is not null)
        {
            sealedKit = await File.ReadAllTextAsync(file, ct).ConfigureAwait(false);
        }
        else
        {
            sealedKit = sealedKitGiven ?? throw new AppRequestException("share", RecoveryText.Format("EmergencySealedMissing", tag));
        }

        var contents = RecoveryKitReader.Open(shares, sealedKit);
        // The shares opened a block of the kit issued last; its credential, checked against the one
        // kept when the kit was made, proves the block is that kit's own.
        if (contents.KitId != kit.Id || !Opens(kit, contents.RecoveryCredential))
        {
            throw new AppRequestException("share", RecoveryText.Format("EmergencyCredentialMismatch", tag));
        }

        return contents;
    }

    /// <summary>
    /// Records that the kit served for an emergency access (DATA_DIR/recovery/kit-TAG.used): it
    /// opens that page no more, and its status says a new kit is needed.
    /// </summary>
    public void MarkUsed(Guid kitId, string account)
    {
        PrivateFiles.CreateDirectory(KitDirectory);
        MomentFile.Write(UsedMark(RecoveryShareFormat.KitTag(kitId)), time.GetUtcNow(), account);
    }

    private string UsedMark(string tag) => Path.Combine(KitDirectory, $"kit-{tag}.used");

    /// <summary>When the kit of <paramref name="tag"/> served for an emergency access; null when it has not.</summary>
    private DateTimeOffset? UsedAt(string tag)
    {
        var mark = UsedMark(tag);
        return File.Exists(mark) ? MomentFile.Read(mark) ?? new DateTimeOffset(File.GetLastWriteTimeUtc(mark), TimeSpan.Zero) : null;
    }

    /// <summary>Whether <paramref name="credential"/> is the recovery credential of the kit issued last.</summary>
    public async Task<bool> IsRecoveryCredentialAsync(string credential, CancellationToken ct = default)
    {
        var kit = await kits.LatestAsync(ct).ConfigureAwait(false);
        return kit is not null && Opens(kit, credential);
    }

    /// <summary>2 to 255 distinct, non-empty names of at most 80 characters, trimmed; else a refusal naming the holder.</summary>
    public static IReadOnlyList<string> ValidateHolders(IReadOnlyList<string>? holders)
    {
        var names = (holders ?? []).Select(h => (h ?? string.Empty).Trim()).ToList();
        if (names.Count is < 2 or > Shamir.MaxShares)
        {
            throw new AppRequestException("holder", RecoveryText.Format("HoldersCount", names.Count, Shamir.MaxShares));
        }

        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            if (name.Length == 0 || name.Length > MaxHolderLength || name.Any(char.IsControl))
            {
                throw new AppRequestException("holder", RecoveryText.Format("HolderInvalid", i + 1, MaxHolderLength));
            }

            if (names.FindIndex(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) < i)
            {
                throw new AppRequestException("holder", RecoveryText.Format("HolderTwice", name));
            }
        }

        return names;
    }

    private static bool Opens(IssuedRecoveryKit kit, string credential) =>
        !string.IsNullOrEmpty(credential)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(CredentialHash(credential.Trim())), Encoding.ASCII.GetBytes(kit.CredentialHash));

    private static string CredentialHash(string credential) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(credential)));

    private async Task RecordAsync(Caller caller, AuditResult result, int? threshold, IReadOnlyList<string>? holders, CancellationToken ct)
    {
        if (audit is null)
        {
            return;
        }

        await audit.RecordAsync(new AuditRecord
        {
            Actor = caller.Name,
            Action = AuditAction,
            Subject = threshold is { } k && holders is not null ? $"{k} of {holders.Count}" : null,
            Result = result,
            Detail = holders is null ? null : string.Join(", ", holders),
        }, ct).ConfigureAwait(false);
    }
}
