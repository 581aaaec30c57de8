using System.Text.RegularExpressions;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Handover;

/// <summary>
/// An external account as a person types it: every field is checked by
/// <see cref="ExternalAccountService"/>, which names the field at fault.
/// </summary>
public sealed record ExternalAccountInput(
    string? Purpose,
    string? Provider,
    string? SignInAddress,
    IReadOnlyList<string>? Holders,
    string? Notes)
{
    /// <summary>Holders typed in one box, one per line or separated by commas or semicolons.</summary>
    public static IReadOnlyList<string> SplitHolders(string? typed) =>
        [.. (typed ?? string.Empty).Split(['\n', '\r', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

/// <summary>An external account's fields once checked: trimmed, holders without duplicates.</summary>
public sealed record ExternalAccountFields(string Purpose, string Provider, string? SignInAddress, IReadOnlyList<string> Holders, string? Notes);

/// <summary>Where the external accounts are kept.</summary>
public interface IExternalAccountStore
{
    Task<IReadOnlyList<ExternalAccount>> ListAsync(string organizationId, CancellationToken ct = default);

    Task<ExternalAccount?> FindAsync(Guid id, CancellationToken ct = default);

    Task AddAsync(ExternalAccount account, CancellationToken ct = default);

    Task UpdateAsync(ExternalAccount account, CancellationToken ct = default);

    Task RemoveAsync(Guid id, CancellationToken ct = default);
}

/// <summary>
/// The accounts outside HostPanel an organization depends on (domain registrar, server provider,
/// mail relay…) and who holds each access. Administrators of the organization and hosters list
/// and change them; members do not see them. Every change is recorded in the audit log when one
/// is given. Passwords never belong here: only who has them.
/// </summary>
public sealed partial class ExternalAccountService(
    AccessControl access,
    IExternalAccountStore store,
    TimeProvider time,
    IAuditLog? audit = null) : IExternalAccounts
{
    public const int PurposeMaxLength = 120;
    public const int ProviderMaxLength = 120;
    public const int HolderMaxLength = 120;
    public const int SignInAddressMaxLength = 500;
    public const int NotesMaxLength = 1000;

    /// <summary>The organization's external accounts, by purpose.</summary>
    public async Task<IReadOnlyList<ExternalAccount>> ListAsync(Caller caller, string organizationId, CancellationToken ct = default)
    {
        var organization = await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        return [.. (await store.ListAsync(organization.Id, ct).ConfigureAwait(false)).OrderBy(a => a.Purpose, StringComparer.CurrentCultureIgnoreCase)];
    }

    public async Task<ExternalAccount> AddAsync(Caller caller, string? organizationId, ExternalAccountInput input, CancellationToken ct = default)
    {
        var organization = await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        var valid = Validate(input);
        var account = new ExternalAccount(Guid.NewGuid(), organization.Id, valid.Purpose, valid.Provider, valid.SignInAddress, valid.Holders, valid.Notes, time.GetUtcNow());
        await store.AddAsync(account, ct).ConfigureAwait(false);
        await RecordAsync(caller, AuditActions.ExternalAccountAdd, account, ct).ConfigureAwait(false);
        return account;
    }

    public async Task<ExternalAccount> UpdateAsync(Caller caller, string? organizationId, Guid id, ExternalAccountInput input, CancellationToken ct = default)
    {
        var existing = await FindAsync(caller, organizationId, id, ct).ConfigureAwait(false);
        var valid = Validate(input);
        var account = existing with
        {
            Purpose = valid.Purpose,
            Provider = valid.Provider,
            SignInAddress = valid.SignInAddress,
            Holders = valid.Holders,
            Notes = valid.Notes,
            UpdatedAt = time.GetUtcNow(),
        };
        await store.UpdateAsync(account, ct).ConfigureAwait(false);
        await RecordAsync(caller, AuditActions.ExternalAccountUpdate, account, ct).ConfigureAwait(false);
        return account;
    }

    public async Task RemoveAsync(Caller caller, string? organizationId, Guid id, CancellationToken ct = default)
    {
        var existing = await FindAsync(caller, organizationId, id, ct).ConfigureAwait(false);
        await store.RemoveAsync(existing.Id, ct).ConfigureAwait(false);
        await RecordAsync(caller, AuditActions.ExternalAccountRemove, existing, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks and cleans what a person typed: trimmed fields, holders without duplicates. Throws
    /// <see cref="AppRequestException"/> naming the first field at fault
    /// (purpose, provider, signInAddress, holders, notes).
    /// </summary>
    public static ExternalAccountFields Validate(ExternalAccountInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var purpose = Required(input.Purpose, "purpose", PurposeMaxLength);
        var provider = Required(input.Provider, "provider", ProviderMaxLength);

        var address = Clean(input.SignInAddress);
        if (address is not null
            && (address.Length > SignInAddressMaxLength
                || !Uri.TryCreate(address, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                || string.IsNullOrEmpty(uri.Host)
                || !string.IsNullOrEmpty(uri.UserInfo)))
        {
            throw new AppRequestException("signInAddress", ContinuityText.Format("SignInAddressInvalid", address));
        }

        var holders = new List<string>();
        foreach (var typed in input.Holders ?? [])
        {
            var holder = Clean(typed);
            if (holder is null)
            {
                continue;
            }

            if (holder.Length > HolderMaxLength || holder.Any(char.IsControl))
            {
                throw new AppRequestException("holders", ContinuityText.Format("HolderInvalid", Shorten(holder), HolderMaxLength));
            }

            if (!holders.Contains(holder, StringComparer.OrdinalIgnoreCase))
            {
                holders.Add(holder);
            }
        }

        if (holders.Count == 0)
        {
            throw new AppRequestException("holders", ContinuityText.Get("HoldersRequired"));
        }

        var notes = input.Notes?.Trim();
        notes = string.IsNullOrEmpty(notes) ? null : notes;
        if (notes is not null && notes.Length > NotesMaxLength)
        {
            throw new AppRequestException("notes", ContinuityText.Format("NotesTooLong", NotesMaxLength, notes.Length));
        }

        if (notes is not null && LooksLikeSecret().IsMatch(notes))
        {
            // The notes end up in the runbook, printed and handed around: a password would leak.
            throw new AppRequestException("notes", ContinuityText.Get("NotesHoldSecret"));
        }

        return new ExternalAccountFields(purpose, provider, address, holders, notes);
    }

    private async Task<ExternalAccount> FindAsync(Caller caller, string? organizationId, Guid id, CancellationToken ct)
    {
        var organization = await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        var account = await store.FindAsync(id, ct).ConfigureAwait(false);

        // Another organization's account is answered exactly like one that does not exist.
        return account is not null && account.OrganizationId == organization.Id
            ? account
            : throw new AppRequestException("id", ContinuityText.Get("ExternalAccountUnknown"));
    }

    private async Task RecordAsync(Caller caller, string action, ExternalAccount account, CancellationToken ct)
    {
        if (audit is null)
        {
            return;
        }

        await audit.RecordAsync(new AuditRecord
        {
            Actor = caller.Name,
            OrganizationId = account.OrganizationId,
            Action = action,
            Subject = account.Purpose,
            Result = AuditResult.Succeeded,
            Detail = $"{account.Provider}; holders: {string.Join(", ", account.Holders)}",
        }, ct).ConfigureAwait(false);
    }

    private static string Required(string? typed, string field, int maxLength)
    {
        var text = Clean(typed);
        if (text is null)
        {
            throw new AppRequestException(field, ContinuityText.Get(field == "purpose" ? "PurposeRequired" : "ProviderRequired"));
        }

        if (text.Length > maxLength || text.Any(char.IsControl))
        {
            throw new AppRequestException(field, ContinuityText.Format(field == "purpose" ? "PurposeInvalid" : "ProviderInvalid", maxLength));
        }

        return text;
    }

    private static string? Clean(string? typed)
    {
        var text = typed?.Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>"password: …", "mot de passe = …", "mdp : …", "pwd=…": a secret written down, not who holds it.</summary>
    [GeneratedRegex(@"(?i)\b(mot\s+de\s+passe|password|passwd|passphrase|pwd|mdp|secret|api[\s_-]?key|token)\s*[:=]\s*\S", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex LooksLikeSecret();
}
