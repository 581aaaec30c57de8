using HostPanel.Core.Accounts;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Handover;

/// <summary>An entry as a person reads it: the entry, and what happened in a sentence of their language.</summary>
public sealed record AuditLine(AuditEntry Entry, string Words);

/// <summary>The result of checking the whole log, with the actions that could not be written in it.</summary>
public sealed record AuditCheck(AuditVerdict Verdict, IReadOnlyList<UnrecordedAction> Unrecorded)
{
    /// <summary>The verdict in the reader's words.</summary>
    public string Words => AuditService.Describe(Verdict);
}

/// <summary>
/// Reading the audit log, scoped like everything else: hoster administrators (and root) read
/// every entry; an organization's administrators read that organization's entries only;
/// members read none. Checking the whole chain is for hoster administrators.
/// </summary>
public sealed class AuditService(IAuditStore store, AccessControl access)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 10_000;

    /// <summary>
    /// The newest entries first, in the organization given (any the caller administers) or in
    /// every one the caller may read, written since <paramref name="since"/>, at most <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<AuditLine>> ListAsync(Caller caller, string? organizationId, DateTimeOffset? since = null, int? limit = DefaultLimit, CancellationToken ct = default)
    {
        if (limit is < 1 or > MaxLimit)
        {
            throw new Apps.AppRequestException("limit", AuditText.Format("LimitInvalid", limit, MaxLimit));
        }

        var scope = await ScopeAsync(caller, organizationId, ct).ConfigureAwait(false);
        var entries = await store.ListAsync(new AuditQuery(scope, since, limit), ct).ConfigureAwait(false);
        return [.. entries.Select(e => new AuditLine(e, Words(e)))];
    }

    /// <summary>Every entry the caller may read, oldest first (for an export).</summary>
    public async Task<IReadOnlyList<AuditLine>> ExportAsync(Caller caller, string? organizationId, DateTimeOffset? since = null, CancellationToken ct = default)
    {
        var scope = await ScopeAsync(caller, organizationId, ct).ConfigureAwait(false);
        var entries = await store.ListAsync(new AuditQuery(scope, since), ct).ConfigureAwait(false);
        return [.. entries.Reverse().Select(e => new AuditLine(e, Words(e)))];
    }

    /// <summary>Checks the whole chain against its head anchor (hoster administrators only: it spans every organization).</summary>
    public async Task<AuditCheck> VerifyAsync(Caller caller, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsHosterAdministrator)
        {
            throw new AccessDeniedException(AuditText.Get("VerifyNeedsHoster"));
        }

        var entries = await store.ChainAsync(ct).ConfigureAwait(false);
        var anchor = await store.AnchorAsync(ct).ConfigureAwait(false);
        return new AuditCheck(AuditVerifier.Verify(entries, anchor), await store.UnrecordedAsync(ct).ConfigureAwait(false));
    }

    /// <summary>What the entry says happened, in the current language: "alice@… a installé cloud".</summary>
    public static string Words(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var sentence = AuditText.Find("Action." + entry.Action);
        var said = sentence is null
            ? AuditText.Format("ActionOther", entry.Actor, entry.Action, entry.Subject ?? string.Empty)
            : string.Format(System.Globalization.CultureInfo.CurrentCulture, sentence, entry.Actor, entry.Subject ?? string.Empty, entry.OrganizationId ?? string.Empty);
        return entry.Result == AuditResult.Succeeded ? said : $"{said} ({ResultWord(entry.Result)})";
    }

    public static string ResultWord(AuditResult result) => AuditText.Get("Result." + result);

    /// <summary>The verdict in plain words: intact with the count, or the first bad entry and what is wrong with it.</summary>
    public static string Describe(AuditVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return verdict.Problem switch
        {
            null => AuditText.Format("VerifyIntact", verdict.Count),
            AuditProblem.Edited => AuditText.Format("VerifyEdited", verdict.Sequence, verdict.Position),
            AuditProblem.Removed when verdict.Found is { } found => AuditText.Format("VerifyGap", verdict.Sequence, found),
            AuditProblem.Removed => AuditText.Format("VerifyUnchained", verdict.Sequence),
            AuditProblem.Reordered => AuditText.Format("VerifyReordered", verdict.Sequence, verdict.Found, verdict.Position),
            AuditProblem.NewestRemoved => AuditText.Format("VerifyNewestRemoved", verdict.Sequence, verdict.Found),
            AuditProblem.AnchorMissing => AuditText.Format("VerifyAnchorMissing", verdict.Count),
            AuditProblem.AnchorBehind => AuditText.Format("VerifyAnchorBehind", verdict.Sequence, verdict.Found),
            _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
        };
    }

    /// <summary>The organizations whose entries the caller may read; null for every entry.</summary>
    private async Task<IReadOnlyCollection<string>?> ScopeAsync(Caller caller, string? organizationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!string.IsNullOrEmpty(organizationId))
        {
            var organization = await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false);
            return [organization.Id];
        }

        if (caller.IsHosterAdministrator)
        {
            return null;
        }

        var administered = caller.Roles.Where(r => r.Value == OrganizationRole.Administrator).Select(r => r.Key).ToList();
        return administered.Count > 0 ? administered : throw new AccessDeniedException(AuditText.Get("ReadNeedsAdministrator"));
    }
}
