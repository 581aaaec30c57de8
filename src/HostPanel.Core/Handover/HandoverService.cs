using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Backups;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Handover;

/// <summary>
/// A transfer of an organization from an administrator who leaves to a successor, as recorded:
/// who, when it started, when the successor proved their sign-in, and how it ended.
/// </summary>
public sealed record Handover
{
    public required Guid Id { get; init; }
    public required string OrganizationId { get; init; }
    public required string DepartingId { get; init; }
    public required string DepartingEmail { get; init; }
    public required string SuccessorId { get; init; }
    public required string SuccessorEmail { get; init; }
    public required string StartedBy { get; init; }
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the successor showed their password and an authenticator code to the flow itself.</summary>
    public DateTimeOffset? SignInProvenAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }
    public string? CompletedBy { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }

    /// <summary>What the completion did, in plain words (never a secret).</summary>
    public string? Summary { get; init; }

    public bool IsOpen => CompletedAt is null && CancelledAt is null;
}

public interface IHandoverStore
{
    /// <summary>The organization's handovers, newest first.</summary>
    Task<IReadOnlyList<Handover>> ListAsync(string organizationId, CancellationToken ct = default);

    Task AddAsync(Handover handover, CancellationToken ct = default);

    Task SaveAsync(Handover handover, CancellationToken ct = default);
}

/// <summary>Where a handover stands: each step, and what is still missing before it can be completed.</summary>
public sealed record HandoverProgress(
    Handover Handover,
    bool SuccessorIsAdministrator,
    bool SuccessorHasTwoFactor,
    DateTimeOffset? SignInProvenAt,
    Operation? Drill,
    IReadOnlyList<string> Missing)
{
    public bool CanComplete => Handover.IsOpen && Missing.Count == 0;
}

/// <summary>
/// The guided transfer of an organization when an administrator leaves: the successor is made
/// administrator; they prove they can sign in with two-step sign-in and that they can decrypt a
/// backup (a restore drill run under their own account); then the secrets the departing person
/// knew are renewed (their tokens revoked, the backup repository given a new password and the
/// old key removed) and the departing person is removed. Every step goes to the audit log.
/// </summary>
public sealed class HandoverService(
    AccessControl access,
    IPeopleDirectory people,
    IMembershipStore memberships,
    MemberService members,
    IAccessTokenStore tokens,
    ISecurityEventStore events,
    IOperationJournal journal,
    BackupService backups,
    IHandoverStore store,
    TimeProvider time,
    IAuditLog? audit = null)
{
    /// <summary>Starts a handover: the successor, a member of the organization, becomes an administrator now.</summary>
    public async Task<Handover> StartAsync(Caller caller, string? organizationId, string? departingEmail, string? successorEmail, CancellationToken ct = default)
    {
        var organization = await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        if ((await store.ListAsync(organization.Id, ct).ConfigureAwait(false)).FirstOrDefault(h => h.IsOpen) is { } open)
        {
            throw new AppRequestException("organization", CoreText.Format("HandoverAlreadyOpen", organization.Id, open.DepartingEmail, open.SuccessorEmail));
        }

        var departing = await MemberOfAsync(organization.Id, departingEmail, "from", ct).ConfigureAwait(false);
        var successor = await MemberOfAsync(organization.Id, successorEmail, "to", ct).ConfigureAwait(false);
        if (departing.Person.Id == successor.Person.Id)
        {
            throw new AppRequestException("to", CoreText.Get("HandoverSamePerson"));
        }

        if (departing.Membership.Role != OrganizationRole.Administrator)
        {
            throw new AppRequestException("from", CoreText.Format("HandoverDepartingNotAdministrator", departing.Person.Email, organization.Id));
        }

        if (successor.Membership.Role != OrganizationRole.Administrator)
        {
            await members.SetRoleAsync(caller, organization.Id, successor.Person.Email, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        }

        var handover = new Handover
        {
            Id = Guid.NewGuid(),
            OrganizationId = organization.Id,
            DepartingId = departing.Person.Id,
            DepartingEmail = departing.Person.Email,
            SuccessorId = successor.Person.Id,
            SuccessorEmail = successor.Person.Email,
            StartedBy = caller.Name,
            StartedAt = time.GetUtcNow(),
        };
        await store.AddAsync(handover, ct).ConfigureAwait(false);
        await AuditAsync(caller, handover, AuditActions.HandoverStart, AuditResult.Succeeded, null, ct).ConfigureAwait(false);
        return handover;
    }

    /// <summary>The organization's open handover with its progress, else its last one; null when there never was one.</summary>
    public async Task<HandoverProgress?> StatusAsync(Caller caller, string? organizationId, CancellationToken ct = default)
    {
        var organization = await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        var all = await store.ListAsync(organization.Id, ct).ConfigureAwait(false);
        var handover = all.FirstOrDefault(h => h.IsOpen) ?? all.FirstOrDefault();
        return handover is null ? null : await ProgressAsync(handover, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The successor shows their password and a current authenticator code (in the panel, or at
    /// the server's console with root beside them). A wrong pair counts toward their lockout.
    /// </summary>
    public async Task<HandoverProgress> ProveSignInAsync(Caller caller, string? organizationId, string? password, string? code, CancellationToken ct = default)
    {
        var handover = await OpenAsync(caller, organizationId, ct).ConfigureAwait(false);
        if (caller.IsPerson && caller.Id != handover.SuccessorId)
        {
            throw new AccessDeniedException(CoreText.Format("HandoverOnlySuccessorProves", handover.SuccessorEmail));
        }

        if (!await people.VerifySignInAsync(handover.SuccessorId, password ?? string.Empty, code ?? string.Empty, ct).ConfigureAwait(false))
        {
            await events.AddAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventKinds.TwoFactorFailed, handover.SuccessorId, handover.SuccessorEmail, null, "handover: sign-in proof refused"), ct).ConfigureAwait(false);
            throw new AppRequestException("code", CoreText.Format("HandoverSignInNotProven", handover.SuccessorEmail));
        }

        var now = time.GetUtcNow();
        await events.AddAsync(new SecurityEvent(now, SecurityEventKinds.Reauthenticated, handover.SuccessorId, handover.SuccessorEmail, null, SecurityEventDetails.PasswordAndAuthenticator + " (handover)"), ct).ConfigureAwait(false);
        handover = handover with { SignInProvenAt = now };
        await store.SaveAsync(handover, ct).ConfigureAwait(false);
        await AuditAsync(caller, handover, AuditActions.HandoverSignInProven, AuditResult.Succeeded, null, ct).ConfigureAwait(false);
        return await ProgressAsync(handover, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Completes the handover once the successor proved both: the departing person's tokens are
    /// revoked, the backup repository gets a new password (the old key removed), and the departing
    /// person leaves the organization (their account goes when it belongs to no other). Not by
    /// the departing person themselves.
    /// </summary>
    public async Task<Handover> CompleteAsync(Caller caller, string? organizationId, CancellationToken ct = default)
    {
        var handover = await OpenAsync(caller, organizationId, ct).ConfigureAwait(false);
        if (caller.Id == handover.DepartingId)
        {
            throw new AccessDeniedException(CoreText.Get("HandoverNotByDeparting"));
        }

        var progress = await ProgressAsync(handover, ct).ConfigureAwait(false);
        if (!progress.CanComplete)
        {
            await AuditAsync(caller, handover, AuditActions.HandoverComplete, AuditResult.Refused, string.Join(" ", progress.Missing), ct).ConfigureAwait(false);
            throw new AppRequestException("handover", CoreText.Format("HandoverNotReady", string.Join(" ", progress.Missing)));
        }

        var now = time.GetUtcNow();
        var revoked = (await tokens.ListAsync(handover.DepartingId, handover.OrganizationId, ct).ConfigureAwait(false)).Count(t => t.RevokedAt is null);
        await tokens.RevokeAllAsync(handover.DepartingId, handover.OrganizationId, now, ct).ConfigureAwait(false);
        var removedKeys = await backups.RotateKeyAsync(caller, handover.OrganizationId, ct).ConfigureAwait(false);
        var hosting = await HandOverHostingAsync(caller, handover, ct).ConfigureAwait(false);
        await members.RemoveAsync(caller, handover.OrganizationId, handover.DepartingEmail, ct).ConfigureAwait(false);
        var remaining = await people.FindAsync(handover.DepartingId, ct).ConfigureAwait(false);
        var summary = CoreText.Format("HandoverSummary", revoked, removedKeys.Count, handover.DepartingEmail)
            + (hosting is null ? string.Empty : " " + hosting)
            + (remaining is null || remaining.IsHosterAdministrator ? string.Empty : " " + CoreText.Format("HandoverAccountKept", handover.DepartingEmail));
        handover = handover with { CompletedAt = now, CompletedBy = caller.Name, Summary = summary };
        await store.SaveAsync(handover, ct).ConfigureAwait(false);
        await AuditAsync(caller, handover, AuditActions.HandoverComplete, AuditResult.Succeeded, summary, ct).ConfigureAwait(false);
        return handover;
    }

    /// <summary>Cancels the open handover (the successor stays administrator; nothing is rotated).</summary>
    public async Task<Handover> CancelAsync(Caller caller, string? organizationId, CancellationToken ct = default)
    {
        var handover = await OpenAsync(caller, organizationId, ct).ConfigureAwait(false);
        handover = handover with { CancelledAt = time.GetUtcNow() };
        await store.SaveAsync(handover, ct).ConfigureAwait(false);
        await AuditAsync(caller, handover, AuditActions.HandoverCancel, AuditResult.Succeeded, null, ct).ConfigureAwait(false);
        return handover;
    }

    /// <summary>
    /// The hosting collective's own organization changes hands: when the person leaving is a hoster
    /// and a hoster already gave the successor that role, the leaver's goes with the handover; when
    /// the successor does not have it, the leaver keeps it and the summary says how to move it.
    /// </summary>
    private async Task<string?> HandOverHostingAsync(Caller caller, Handover handover, CancellationToken ct)
    {
        var departing = await people.FindAsync(handover.DepartingId, ct).ConfigureAwait(false);
        if (handover.OrganizationId != Organization.DefaultId || departing is not { IsHosterAdministrator: true })
        {
            return null;
        }

        if (await people.FindAsync(handover.SuccessorId, ct).ConfigureAwait(false) is not { IsHosterAdministrator: true, Disabled: false })
        {
            return CoreText.Format("HandoverHostingKept", handover.DepartingEmail, handover.SuccessorEmail);
        }

        await members.EndHostingAsync(caller, departing, ct).ConfigureAwait(false);
        return CoreText.Format("HandoverHostingMoved", handover.DepartingEmail, handover.SuccessorEmail);
    }

    private async Task<Handover> OpenAsync(Caller caller, string? organizationId, CancellationToken ct)
    {
        var organization = await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        return (await store.ListAsync(organization.Id, ct).ConfigureAwait(false)).FirstOrDefault(h => h.IsOpen)
            ?? throw new AppRequestException("organization", CoreText.Format("HandoverNoneOpen", organization.Id));
    }

    private async Task<HandoverProgress> ProgressAsync(Handover handover, CancellationToken ct)
    {
        var successor = await people.FindAsync(handover.SuccessorId, ct).ConfigureAwait(false);
        var membership = successor is null ? null : await memberships.FindAsync(successor.Id, handover.OrganizationId, ct).ConfigureAwait(false);
        var isAdministrator = membership is { Role: OrganizationRole.Administrator, Suspended: false };

        // A sign-in with both factors since the handover began counts as much as the flow's own check.
        var signIn = handover.SignInProvenAt ?? (await events.ListAsync(handover.SuccessorId, 200, ct).ConfigureAwait(false))
            .Where(e => e.At >= handover.StartedAt && e.Kind is SecurityEventKinds.SignedIn or SecurityEventKinds.Reauthenticated && SecurityEventDetails.IsTwoFactor(e.Detail))
            .Select(e => (DateTimeOffset?)e.At)
            .Min();
        var drill = (await journal.ListAsync(null, handover.OrganizationId, 500, ct).ConfigureAwait(false))
            .Where(o => o.Kind == OperationKind.Drill && o.State == OperationState.Succeeded && o.CreatedAt >= handover.StartedAt
                && string.Equals(o.Actor, handover.SuccessorEmail, StringComparison.OrdinalIgnoreCase))
            .OrderBy(o => o.CreatedAt)
            .FirstOrDefault();

        var missing = new List<string>();
        if (!isAdministrator)
        {
            missing.Add(CoreText.Format("HandoverMissingAdministrator", handover.SuccessorEmail));
        }

        if (successor is not { TwoFactorEnabled: true } || signIn is null)
        {
            missing.Add(CoreText.Format("HandoverMissingSignIn", handover.SuccessorEmail));
        }

        if (drill is null)
        {
            missing.Add(CoreText.Format("HandoverMissingDrill", handover.SuccessorEmail));
        }

        return new HandoverProgress(handover, isAdministrator, successor?.TwoFactorEnabled == true, signIn, drill, missing);
    }

    private async Task<(Person Person, Membership Membership)> MemberOfAsync(string organizationId, string? email, string field, CancellationToken ct)
    {
        var typed = (email ?? string.Empty).Trim();
        var person = typed.Length == 0 ? null : await people.FindByEmailAsync(typed, ct).ConfigureAwait(false);
        var membership = person is null ? null : await memberships.FindAsync(person.Id, organizationId, ct).ConfigureAwait(false);
        return person is null || membership is null
            ? throw new AppRequestException(field, CoreText.Format("NotAMember", typed, organizationId))
            : (person, membership);
    }

    private Task AuditAsync(Caller caller, Handover handover, string action, AuditResult result, string? detail, CancellationToken ct) =>
        audit?.RecordAsync(new AuditRecord
        {
            Actor = caller.Name,
            OrganizationId = handover.OrganizationId,
            Action = action,
            Subject = $"{handover.DepartingEmail} → {handover.SuccessorEmail}",
            Result = result,
            Detail = detail,
        }, ct) ?? Task.CompletedTask;
}
