using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;

namespace HostPanel.Core.Handover;

/// <summary>Shares as typed on the emergency access page, and the sealed block of a pasted sheet, if any.</summary>
public sealed record EmergencyShares(IReadOnlyList<string> Lines, string? SealedKit);

/// <summary>
/// The recovery kit's way back into the panel, without a terminal: when nobody can administer the
/// server any more (the only administrator left, lost their second factor, or no e-mail goes out),
/// k holders type their shares on the panel's emergency access page. The shares open the kit
/// issued last on this server; its recovery credential, checked against the one kept, is the proof.
/// Then an existing account gets the hosting role back with a new password, its second factors
/// cleared (enrolled again at the next sign-in) and its sessions ended — the same recovery as
/// <c>hostpanel admin recover</c>. Every attempt goes in the audit log, refusals included, and a
/// kit that served is spent: it opens this page no more, and its status asks for a new one.
/// </summary>
public sealed class EmergencyAccess(RecoveryKitService kits, MemberService members, IAuditLog? audit = null)
{
    /// <summary>The actor the audit log names for the kit's holders.</summary>
    public const string Actor = "recovery-kit";

    /// <summary>The panel's page where holders type their shares.</summary>
    public const string PagePath = "/access/emergency";

    /// <summary>
    /// The shares in what was typed or pasted: every non-empty line when the text is share lines
    /// only (so a miscopied line is named, not skipped); the share lines and the sealed block when
    /// whole holder sheets were pasted.
    /// </summary>
    public static EmergencyShares SharesIn(string? text)
    {
        var lines = (text ?? string.Empty).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        return SealedKit.Find(text ?? string.Empty) is { } block
            ? new EmergencyShares([.. lines.Where(RecoveryShareFormat.IsShareLine)], block)
            : new EmergencyShares(lines, null);
    }

    /// <summary>
    /// Gives <paramref name="email"/>'s account the administration of the server back with
    /// <paramref name="password"/>, once <paramref name="given"/> opens the kit issued last. Throws
    /// <see cref="AppRequestException"/> naming the field at fault ("share", "email", "password");
    /// nothing changes then.
    /// </summary>
    public async Task<Person> RestoreAdministratorAsync(EmergencyShares given, string? email, string? password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(given);
        try
        {
            var contents = await kits.OpenIssuedAsync(given.Lines, given.SealedKit, ct).ConfigureAwait(false);
            var caller = Caller.Server($"{Actor} {RecoveryShareFormat.KitTag(contents.KitId)}");
            var person = await members.RecoverAdministratorAsync(caller, email, password, AuditActions.AdministratorRecoverWithKit, ct).ConfigureAwait(false);
            // A kit serves once: its shares were brought together on this page.
            kits.MarkUsed(contents.KitId, person.Email);
            return person;
        }
        catch (AppRequestException)
        {
            // Refusals are kept without their words: those may quote a miscopied group of a share.
            await RecordAsync(AuditResult.Refused, email, ct).ConfigureAwait(false);
            throw;
        }
    }

    private Task RecordAsync(AuditResult result, string? email, CancellationToken ct) =>
        audit is null
            ? Task.CompletedTask
            : audit.RecordAsync(new AuditRecord
            {
                Actor = Actor,
                Action = AuditActions.AdministratorRecoverWithKit,
                // Typed by anyone: kept as typed, within an address's length.
                Subject = string.IsNullOrWhiteSpace(email) ? null : email.Trim()[..Math.Min(email.Trim().Length, 254)],
                Result = result,
            }, ct);
}
