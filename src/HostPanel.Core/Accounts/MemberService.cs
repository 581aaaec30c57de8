using System.Globalization;
using System.Text.RegularExpressions;
using HostPanel.Core.Apps;
using HostPanel.Core.Configuration;
using HostPanel.Core.Handover;
using HostPanel.Core.Mail;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Accounts;

/// <summary>A member as an organization administrator sees them.</summary>
public sealed record MemberView(Person Person, OrganizationRole Role, bool Suspended, IReadOnlyList<string> Groups, DateTimeOffset Since);

/// <summary>An invitation just made: the link to give, and whether it was mailed.</summary>
public sealed record InvitationSent(Invitation Invitation, string Link, bool Mailed, string? MailProblem);

/// <summary>
/// People in organizations: invitations, members, their roles, suspension and removal. Every
/// method takes the caller and decides through <see cref="AccessControl"/>; a person of another
/// organization is answered like one who does not exist.
/// </summary>
public sealed partial class MemberService(
    AccessControl access,
    IPeopleDirectory people,
    IMembershipStore memberships,
    IGroupStore groups,
    IInvitationStore invitations,
    IAccessTokenStore tokens,
    ISecurityEventStore events,
    IEnumerable<ISessionRevoker> revokers,
    MailService mail,
    HostPanelOptions options,
    TimeProvider time,
    IAuditLog? audit = null)
{
    public const string InvitationPath = "/invitation/";

    /// <summary>
    /// Invites <paramref name="email"/> into the organization with a role and groups. The link is
    /// mailed when a mail profile applies; it is always returned so it can be shown and copied.
    /// </summary>
    public async Task<InvitationSent> InviteAsync(Caller caller, string? organizationId, string? email, OrganizationRole role, IReadOnlyList<string>? groupNames, CancellationToken ct = default)
    {
        var organization = await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        var address = MailValidation.Address(email, "email", email ?? string.Empty);
        if (!Enum.IsDefined(role))
        {
            throw new AppRequestException("role", CoreText.Get("RoleInvalid"));
        }

        var wanted = await ExistingGroupsAsync(organization.Id, groupNames, ct).ConfigureAwait(false);
        if (await people.FindByEmailAsync(address, ct).ConfigureAwait(false) is { } known
            && await memberships.FindAsync(known.Id, organization.Id, ct).ConfigureAwait(false) is not null)
        {
            throw new AppRequestException("email", CoreText.Format("AlreadyMember", address));
        }

        var now = time.GetUtcNow();
        var secret = AccessTokenFormat.NewSecret();
        var invitation = new Invitation(
            Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)),
            organization.Id, address, role, wanted, caller.Name, now, now + options.InvitationLifetime, null);
        await invitations.AddAsync(invitation, CallerResolver.Hash(secret), ct).ConfigureAwait(false);

        var link = (options.PanelUrl?.TrimEnd('/') ?? string.Empty) + InvitationPath + secret;
        string? problem = null;
        var mailed = false;
        if (await mail.ResolveAsync(organization.Id, ct).ConfigureAwait(false) is not null)
        {
            try
            {
                await mail.SendAsync(organization.Id, new OutgoingMail(
                    address,
                    CoreText.Format("InvitationSubject", organization.Name),
                    CoreText.Format("InvitationText", organization.Name, caller.Name, link, invitation.ExpiresAt.ToLocalTime().ToString("f", CultureInfo.CurrentCulture))), ct).ConfigureAwait(false);
                mailed = true;
            }
            catch (Exception e) when (e is MailTransportException or AppRequestException)
            {
                problem = e.Message;
            }
        }

        // The link holds the invitation's secret: only the role and whether it was mailed are kept.
        await audit.RecordAsync(caller, AuditActions.MemberInvite, organization.Id, address, detail: $"{OrganizationRoles.Word(role)}{(mailed ? ", mailed" : string.Empty)}", ct: ct).ConfigureAwait(false);
        return new InvitationSent(invitation, link, mailed, problem);
    }

    /// <summary>The open invitations of the organization (not accepted, not expired).</summary>
    public async Task<IReadOnlyList<Invitation>> InvitationsAsync(Caller caller, string? organizationId, CancellationToken ct = default)
    {
        var organization = await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return [.. (await invitations.ListAsync(organization.Id, ct).ConfigureAwait(false)).Where(i => i.IsOpen(now))];
    }

    /// <summary>The invitation behind a link, if it is still open; null for an unknown, used or expired link.</summary>
    public async Task<Invitation?> FindInvitationAsync(string? secret, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > 100)
        {
            return null;
        }

        var invitation = await invitations.FindBySecretHashAsync(CallerResolver.Hash(secret), ct).ConfigureAwait(false);
        return invitation is not null && invitation.IsOpen(time.GetUtcNow()) ? invitation : null;
    }

    /// <summary>Accepts an invitation by creating the account it was meant for.</summary>
    public async Task<Person> AcceptAsync(string? secret, string? displayName, string? password, CancellationToken ct = default)
    {
        var invitation = await OpenInvitationAsync(secret, ct).ConfigureAwait(false);
        if (await people.FindByEmailAsync(invitation.Email, ct).ConfigureAwait(false) is not null)
        {
            throw new AppRequestException("email", CoreText.Get("InvitationSignInFirst"));
        }

        var name = (displayName ?? string.Empty).Trim();
        if (name.Length is 0 or > 100 || name.Any(char.IsControl))
        {
            throw new AppRequestException("name", CoreText.Get("DisplayNameInvalid"));
        }

        var person = await people.CreateAsync(invitation.Email, name, password ?? string.Empty, ct).ConfigureAwait(false);
        await JoinAsync(invitation, person, ct).ConfigureAwait(false);
        return person;
    }

    /// <summary>Accepts an invitation with the account of the signed-in person, whose address must be the invited one.</summary>
    public async Task<Person> AcceptAsync(string? secret, Caller signedIn, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(signedIn);
        var invitation = await OpenInvitationAsync(secret, ct).ConfigureAwait(false);
        var person = signedIn.IsPerson ? await people.FindAsync(signedIn.Id, ct).ConfigureAwait(false) : null;
        if (person is null || !string.Equals(person.Email, invitation.Email, StringComparison.OrdinalIgnoreCase))
        {
            throw new AppRequestException("email", CoreText.Format("InvitationOtherAccount", invitation.Email));
        }

        await JoinAsync(invitation, person, ct).ConfigureAwait(false);
        return person;
    }

    /// <summary>The organization's members, with their role, groups and state.</summary>
    public async Task<IReadOnlyList<MemberView>> ListAsync(Caller caller, string? organizationId, CancellationToken ct = default)
    {
        var organization = await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        var members = await memberships.ForOrganizationAsync(organization.Id, ct).ConfigureAwait(false);
        var found = (await people.FindManyAsync([.. members.Select(m => m.UserId)], ct).ConfigureAwait(false)).ToDictionary(p => p.Id);
        var views = new List<MemberView>();
        foreach (var m in members)
        {
            if (found.TryGetValue(m.UserId, out var person))
            {
                views.Add(new MemberView(person, m.Role, m.Suspended, await groups.GroupsOfAsync(m.UserId, organization.Id, ct).ConfigureAwait(false), m.Since));
            }
        }

        return [.. views.OrderBy(v => v.Person.Email, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Changes a member's role; the last administrator cannot be demoted.</summary>
    public async Task SetRoleAsync(Caller caller, string? organizationId, string? email, OrganizationRole role, CancellationToken ct = default)
    {
        var (organizationIdFound, person, membership) = await MemberAsync(caller, organizationId, email, ct).ConfigureAwait(false);
        if (!Enum.IsDefined(role))
        {
            throw new AppRequestException("role", CoreText.Get("RoleInvalid"));
        }

        if (membership.Role == OrganizationRole.Administrator && role != OrganizationRole.Administrator)
        {
            await EnsureAnotherAdministratorAsync(organizationIdFound, person.Id, ct).ConfigureAwait(false);
        }

        await memberships.SaveAsync(membership with { Role = role }, ct).ConfigureAwait(false);
        await tokens.RevokeAllAsync(person.Id, organizationIdFound, time.GetUtcNow(), ct).ConfigureAwait(false);
        await audit.RecordAsync(caller, AuditActions.MemberRole, organizationIdFound, person.Email, detail: OrganizationRoles.Word(role), ct: ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Suspends (or resumes) a member in the organization: their sessions and tokens end at once
    /// and the organization's apps refuse them until resumed.
    /// </summary>
    public async Task SuspendAsync(Caller caller, string? organizationId, string? email, bool suspended, CancellationToken ct = default)
    {
        var (organizationIdFound, person, membership) = await MemberAsync(caller, organizationId, email, ct).ConfigureAwait(false);
        if (suspended && membership.Role == OrganizationRole.Administrator)
        {
            await EnsureAnotherAdministratorAsync(organizationIdFound, person.Id, ct).ConfigureAwait(false);
        }

        await memberships.SaveAsync(membership with { Suspended = suspended }, ct).ConfigureAwait(false);
        if (suspended)
        {
            await EndSessionsAsync(person.Id, organizationIdFound, ct).ConfigureAwait(false);
        }

        await RecordAsync(suspended ? SecurityEventKinds.Disabled : SecurityEventKinds.Enabled, person, caller, organizationIdFound, ct).ConfigureAwait(false);
        await audit.RecordAsync(caller, suspended ? AuditActions.MemberSuspend : AuditActions.MemberResume, organizationIdFound, person.Email, ct: ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes a member from the organization: their place in its groups goes, their sessions
    /// and tokens end at once; an account left with no organization (and no hosting role) is deleted.
    /// </summary>
    public async Task RemoveAsync(Caller caller, string? organizationId, string? email, CancellationToken ct = default)
    {
        var (organizationIdFound, person, membership) = await MemberAsync(caller, organizationId, email, ct).ConfigureAwait(false);
        if (membership.Role == OrganizationRole.Administrator)
        {
            await EnsureAnotherAdministratorAsync(organizationIdFound, person.Id, ct).ConfigureAwait(false);
        }

        await memberships.RemoveAsync(person.Id, organizationIdFound, ct).ConfigureAwait(false);
        await EndSessionsAsync(person.Id, organizationIdFound, ct).ConfigureAwait(false);
        await RecordAsync(SecurityEventKinds.Removed, person, caller, organizationIdFound, ct).ConfigureAwait(false);
        await audit.RecordAsync(caller, AuditActions.MemberRemove, organizationIdFound, person.Email, ct: ct).ConfigureAwait(false);
        if (!person.IsHosterAdministrator && !await HasOrganizationAsync(person.Id, ct).ConfigureAwait(false))
        {
            await people.DeleteAsync(person.Id, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Root's way back in for a locked-out administrator (<c>hostpanel admin recover</c>): a new
    /// password, lockout and 2FA cleared (the person enrols again at the next sign-in), every
    /// session ended, the hosting role restored. Audited.
    /// </summary>
    public Task<Person> RecoverAdministratorAsync(Caller caller, string? email, string? password, CancellationToken ct = default) =>
        RecoverAdministratorAsync(caller, email, password, AuditActions.AdministratorRecover, ct);

    /// <summary>
    /// The same recovery, recorded under <paramref name="auditAction"/>: the recovery kit's
    /// emergency access (<see cref="Handover.EmergencyAccess"/>) calls it as the server once the
    /// holders' shares opened the kit.
    /// </summary>
    public async Task<Person> RecoverAdministratorAsync(Caller caller, string? email, string? password, string auditAction, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Id != Caller.ServerId)
        {
            await access.RecordRefusalAsync(caller, auditAction, null, ct).ConfigureAwait(false);
            throw new AccessDeniedException(CoreText.Get("RecoverNeedsRoot"));
        }

        var address = MailValidation.Address(email, "email", email ?? string.Empty);
        var person = await people.FindByEmailAsync(address, ct).ConfigureAwait(false)
            ?? throw new AppRequestException("email", CoreText.Format("NoAccount", address));
        await people.RecoverAsync(person.Id, password ?? string.Empty, ct).ConfigureAwait(false);
        await RunRevokersAsync(person.Id, ct).ConfigureAwait(false);

        await RecordAsync(SecurityEventKinds.AdministratorRecovered, person, caller, null, ct).ConfigureAwait(false);
        await audit.RecordAsync(caller, auditAction, null, person.Email, ct: ct).ConfigureAwait(false);
        return await people.FindAsync(person.Id, ct).ConfigureAwait(false) ?? person;
    }

    // ---- hosting ----

    /// <summary>The server's hoster administrators, for hosters only.</summary>
    public async Task<IReadOnlyList<Person>> HostersAsync(Caller caller, CancellationToken ct = default)
    {
        AccessControl.RequireHoster(caller);
        return [.. (await people.HosterAdministratorsAsync(ct).ConfigureAwait(false)).OrderBy(p => p.Email, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>
    /// Gives the hoster role (every organization, the backups, the certificates, the recovery kit)
    /// to an existing account, or takes it away. Hosters only (root included); the last active
    /// hoster cannot lose it. The person's panel sessions read their rights again; security event
    /// and audit entry kept. An account that belongs to no organization has no use without the
    /// role: taking it is refused unless <paramref name="deleteAccountWithoutOrganization"/> says
    /// the account goes too (as when the last organization of a member removes them).
    /// </summary>
    public async Task<HostingChange> SetHostingAsync(Caller caller, string? email, bool hosting, bool deleteAccountWithoutOrganization, CancellationToken ct = default)
    {
        await access.RequireHosterAsync(caller, hosting ? AuditActions.HostingGrant : AuditActions.HostingRevoke, ct).ConfigureAwait(false);
        var address = MailValidation.Address(email, "email", email ?? string.Empty);
        var person = await people.FindByEmailAsync(address, ct).ConfigureAwait(false)
            ?? throw new AppRequestException("email", CoreText.Format("NoAccount", address));
        if (person.IsHosterAdministrator == hosting)
        {
            return new HostingChange(person, AccountDeleted: false);
        }

        if (hosting && person.Disabled)
        {
            throw new AppRequestException("email", CoreText.Format("HostingDisabledAccount", person.Email));
        }

        var deleteAccount = false;
        if (!hosting)
        {
            if (!(await people.HosterAdministratorsAsync(ct).ConfigureAwait(false)).Any(p => p.Id != person.Id && !p.Disabled))
            {
                throw new AppRequestException("email", CoreText.Format("HostingLastHoster", person.Email));
            }

            deleteAccount = !await HasOrganizationAsync(person.Id, ct).ConfigureAwait(false);
            if (deleteAccount && !deleteAccountWithoutOrganization)
            {
                throw new AppRequestException("email", CoreText.Format("HostingWouldDeleteAccount", person.Email));
            }
        }

        await ChangeHostingAsync(caller, person, hosting, ct).ConfigureAwait(false);
        if (deleteAccount)
        {
            await people.DeleteAsync(person.Id, ct).ConfigureAwait(false);
            return new HostingChange(person with { IsHosterAdministrator = false }, AccountDeleted: true);
        }

        return new HostingChange(await people.FindAsync(person.Id, ct).ConfigureAwait(false) ?? person, AccountDeleted: false);
    }

    /// <summary>Gives or takes the hoster role; never deletes an account (see the other overload).</summary>
    public Task<HostingChange> SetHostingAsync(Caller caller, string? email, bool hosting, CancellationToken ct = default) =>
        SetHostingAsync(caller, email, hosting, deleteAccountWithoutOrganization: false, ct);

    /// <summary>Whether the person at <paramref name="email"/> is a member of some organization (hosters only): without one, taking their hoster role deletes their account.</summary>
    public async Task<bool> BelongsToAnOrganizationAsync(Caller caller, string email, CancellationToken ct = default)
    {
        AccessControl.RequireHoster(caller);
        var person = await people.FindByEmailAsync(email, ct).ConfigureAwait(false);
        return person is not null && await HasOrganizationAsync(person.Id, ct).ConfigureAwait(false);
    }

    /// <summary>Whether the account is a member of some organization: one that is not (and is no hoster) has no use.</summary>
    private async Task<bool> HasOrganizationAsync(string personId, CancellationToken ct) =>
        (await memberships.ForUserAsync(personId, ct).ConfigureAwait(false)).Count > 0;

    /// <summary>
    /// A handover's end takes the hoster role from the person leaving, once a hoster gave it to
    /// their successor (who may be the one completing it, not yet allowed to give or take the role
    /// when the handover began). Recorded like any other change of the role.
    /// </summary>
    internal Task EndHostingAsync(Caller caller, Person person, CancellationToken ct) => ChangeHostingAsync(caller, person, hosting: false, ct);

    /// <summary>The change itself, once decided: the role, the person's sessions when it is taken, the security event and the audit entry.</summary>
    private async Task ChangeHostingAsync(Caller caller, Person person, bool hosting, CancellationToken ct)
    {
        await people.SetHosterAsync(person.Id, hosting, ct).ConfigureAwait(false);
        if (!hosting)
        {
            await RunRevokersAsync(person.Id, ct).ConfigureAwait(false);
        }

        await RecordAsync(hosting ? SecurityEventKinds.HostingGranted : SecurityEventKinds.HostingRevoked, person, caller, null, ct).ConfigureAwait(false);
        await audit.RecordAsync(caller, hosting ? AuditActions.HostingGrant : AuditActions.HostingRevoke, null, person.Email, ct: ct).ConfigureAwait(false);
    }

    // ---- groups ----

    public async Task<Group> AddGroupAsync(Caller caller, string? organizationId, string? name, string? description, CancellationToken ct = default)
    {
        var organization = await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        if (string.IsNullOrEmpty(name) || !GroupNameRegex().IsMatch(name))
        {
            throw new AppRequestException("name", CoreText.Format("GroupNameInvalid", name ?? string.Empty));
        }

        var text = (description ?? string.Empty).Trim();
        if (text.Length > Group.DescriptionMaxLength || text.Any(char.IsControl))
        {
            throw new AppRequestException("description", CoreText.Format("GroupDescriptionInvalid", Group.DescriptionMaxLength));
        }

        if (await groups.FindAsync(organization.Id, name, ct).ConfigureAwait(false) is not null)
        {
            throw new AppRequestException("name", CoreText.Format("GroupExists", name));
        }

        var group = new Group(organization.Id, name, text, time.GetUtcNow());
        await groups.AddAsync(group, ct).ConfigureAwait(false);
        await audit.RecordAsync(caller, AuditActions.GroupAdd, organization.Id, group.Name, ct: ct).ConfigureAwait(false);
        return group;
    }

    /// <summary>The organization's groups with their members' addresses.</summary>
    public async Task<IReadOnlyList<(Group Group, IReadOnlyList<string> Members)>> GroupsAsync(Caller caller, string? organizationId, CancellationToken ct = default)
    {
        var organization = await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        var result = new List<(Group, IReadOnlyList<string>)>();
        foreach (var group in await groups.ListAsync(organization.Id, ct).ConfigureAwait(false))
        {
            result.Add((group, await MemberAddressesAsync(organization.Id, group.Name, ct).ConfigureAwait(false)));
        }

        return result;
    }

    public async Task RemoveGroupAsync(Caller caller, string? organizationId, string? name, CancellationToken ct = default)
    {
        var group = await GroupAsync(caller, organizationId, name, ct).ConfigureAwait(false);
        await groups.RemoveAsync(group.OrganizationId, group.Name, ct).ConfigureAwait(false);
        await audit.RecordAsync(caller, AuditActions.GroupRemove, group.OrganizationId, group.Name, ct: ct).ConfigureAwait(false);
    }

    /// <summary>Adds members to a group and removes others (addresses of members of the organization).</summary>
    public async Task<IReadOnlyList<string>> ChangeGroupMembersAsync(Caller caller, string? organizationId, string? name, IReadOnlyList<string> add, IReadOnlyList<string> remove, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(add);
        ArgumentNullException.ThrowIfNull(remove);
        var group = await GroupAsync(caller, organizationId, name, ct).ConfigureAwait(false);
        foreach (var (emails, member) in new[] { (add, true), (remove, false) })
        {
            foreach (var email in emails)
            {
                var (_, person, _) = await MemberAsync(caller, group.OrganizationId, email, ct).ConfigureAwait(false);
                await groups.SetMemberAsync(group.OrganizationId, group.Name, person.Id, member, ct).ConfigureAwait(false);
            }
        }

        var changes = add.Select(e => "+" + e.Trim()).Concat(remove.Select(e => "-" + e.Trim())).ToList();
        if (changes.Count > 0)
        {
            await audit.RecordAsync(caller, AuditActions.GroupMembers, group.OrganizationId, group.Name, detail: string.Join(", ", changes), ct: ct).ConfigureAwait(false);
        }

        return await MemberAddressesAsync(group.OrganizationId, group.Name, ct).ConfigureAwait(false);
    }

    // ---- who may use which app ----

    /// <summary>The groups allowed to use the app; null when every member of its organization may.</summary>
    public async Task<IReadOnlyList<string>?> AppAccessAsync(Caller caller, string instance, CancellationToken ct = default)
    {
        var app = await access.AppAsync(caller, instance, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        return await groups.AppAccessAsync(app.Name, ct).ConfigureAwait(false);
    }

    /// <summary>Lets only these groups use the app (the sign-in service refuses everyone else); null opens it to every member.</summary>
    public async Task SetAppAccessAsync(Caller caller, string instance, IReadOnlyList<string>? groupNames, CancellationToken ct = default)
    {
        var app = await access.AppAsync(caller, instance, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        var wanted = groupNames is null ? null : await ExistingGroupsAsync(app.OrganizationId, groupNames, ct).ConfigureAwait(false);
        await groups.SetAppAccessAsync(app.Name, app.OrganizationId, wanted, ct).ConfigureAwait(false);
        await audit.RecordAsync(caller, AuditActions.AppAccess, app.OrganizationId, app.Name, detail: wanted is null ? "every member" : "groups: " + string.Join(", ", wanted), ct: ct).ConfigureAwait(false);
    }

    // ---- personal access tokens ----

    /// <summary>
    /// Creates a personal access token for the caller, for one organization and a role no higher
    /// than theirs there. The secret is returned once and kept only as a hash.
    /// </summary>
    public async Task<(AccessToken Token, string Secret)> CreateTokenAsync(Caller caller, string? organizationId, OrganizationRole role, string? name, TimeSpan? lifetime, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsPerson || caller.TokenId is not null)
        {
            await access.RecordRefusalAsync(caller, AuditActions.TokenCreate, null, ct).ConfigureAwait(false);
            throw new AccessDeniedException(CoreText.Get("TokenNeedsPerson"));
        }

        var organization = await access.OrganizationAsync(caller, organizationId, OrganizationRole.Member, ct).ConfigureAwait(false);
        if (!Enum.IsDefined(role) || caller.RoleIn(organization.Id) < role)
        {
            throw new AppRequestException("role", CoreText.Get("TokenRoleTooHigh"));
        }

        var label = (name ?? string.Empty).Trim();
        if (label.Length is 0 or > 100 || label.Any(char.IsControl))
        {
            throw new AppRequestException("name", CoreText.Get("TokenNameInvalid"));
        }

        if (lifetime is { } span && (span <= TimeSpan.Zero || span > TimeSpan.FromDays(366)))
        {
            throw new AppRequestException("expires", CoreText.Get("TokenLifetimeInvalid"));
        }

        var now = time.GetUtcNow();
        var secret = AccessTokenFormat.New(out var id);
        var token = new AccessToken(id, caller.Id, organization.Id, role, label, now, lifetime is null ? null : now + lifetime, null, null);
        await tokens.AddAsync(token, CallerResolver.Hash(secret), ct).ConfigureAwait(false);
        await events.AddAsync(new SecurityEvent(now, SecurityEventKinds.TokenCreated, caller.Id, caller.Name, null, $"{organization.Id} {role} {id}"), ct).ConfigureAwait(false);

        // The token's id is public (it prefixes the secret); the secret itself is never kept.
        await audit.RecordAsync(caller, AuditActions.TokenCreate, organization.Id, $"{label} ({id})", detail: OrganizationRoles.Word(role), ct: ct).ConfigureAwait(false);
        return (token, secret);
    }

    /// <summary>The caller's own tokens (an organization administrator also sees the organization's).</summary>
    public async Task<IReadOnlyList<AccessToken>> TokensAsync(Caller caller, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsPerson ? await tokens.ListAsync(caller.Id, null, ct).ConfigureAwait(false) : [];
    }

    public async Task RevokeTokenAsync(Caller caller, string? id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var token = string.IsNullOrEmpty(id) ? null : await tokens.FindAsync(id, ct).ConfigureAwait(false);
        if (token is null || (token.UserId != caller.Id && caller.RoleIn(token.OrganizationId) != OrganizationRole.Administrator))
        {
            throw new AppRequestException("token", CoreText.Get("UnknownToken"));
        }

        await tokens.RevokeAsync(token.Id, time.GetUtcNow(), ct).ConfigureAwait(false);
        await events.AddAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventKinds.TokenRevoked, token.UserId, null, null, $"{token.Id} by {caller.Name}"), ct).ConfigureAwait(false);
        await audit.RecordAsync(caller, AuditActions.TokenRevoke, token.OrganizationId, $"{token.Name} ({token.Id})", ct: ct).ConfigureAwait(false);
    }

    // ---- helpers ----

    private async Task<Invitation> OpenInvitationAsync(string? secret, CancellationToken ct) =>
        await FindInvitationAsync(secret, ct).ConfigureAwait(false)
        ?? throw new AppRequestException("invitation", CoreText.Get("InvitationInvalid"));

    private async Task JoinAsync(Invitation invitation, Person person, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var existing = await memberships.FindAsync(person.Id, invitation.OrganizationId, ct).ConfigureAwait(false);
        await memberships.SaveAsync(existing ?? new Membership(person.Id, invitation.OrganizationId, invitation.Role, now), ct).ConfigureAwait(false);
        foreach (var group in invitation.Groups)
        {
            if (await groups.FindAsync(invitation.OrganizationId, group, ct).ConfigureAwait(false) is not null)
            {
                await groups.SetMemberAsync(invitation.OrganizationId, group, person.Id, true, ct).ConfigureAwait(false);
            }
        }

        await invitations.MarkAcceptedAsync(invitation.Id, now, ct).ConfigureAwait(false);
        await events.AddAsync(new SecurityEvent(now, SecurityEventKinds.InvitationAccepted, person.Id, person.Email, null, invitation.OrganizationId), ct).ConfigureAwait(false);
        await (audit?.RecordAsync(new AuditRecord { Actor = person.Email, OrganizationId = invitation.OrganizationId, Action = AuditActions.MemberJoin, Subject = person.Email, Result = AuditResult.Succeeded, Detail = OrganizationRoles.Word(invitation.Role) }, ct) ?? Task.CompletedTask).ConfigureAwait(false);
    }

    private async Task<(string OrganizationId, Person Person, Membership Membership)> MemberAsync(Caller caller, string? organizationId, string? email, CancellationToken ct)
    {
        var organization = await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        var typed = (email ?? string.Empty).Trim();
        var person = typed.Length == 0 ? null : await people.FindByEmailAsync(typed, ct).ConfigureAwait(false);
        var membership = person is null ? null : await memberships.FindAsync(person.Id, organization.Id, ct).ConfigureAwait(false);
        if (person is null || membership is null)
        {
            // The same answer whether the address has no account or belongs to another organization.
            throw new AppRequestException("email", CoreText.Format("NotAMember", typed, organization.Id));
        }

        return (organization.Id, person, membership);
    }

    private async Task<Group> GroupAsync(Caller caller, string? organizationId, string? name, CancellationToken ct)
    {
        var organization = await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        return (string.IsNullOrEmpty(name) ? null : await groups.FindAsync(organization.Id, name, ct).ConfigureAwait(false))
            ?? throw new AppRequestException("group", CoreText.Format("UnknownGroup", name ?? string.Empty, AccessControl.Names((await groups.ListAsync(organization.Id, ct).ConfigureAwait(false)).Select(g => g.Name))));
    }

    private async Task<IReadOnlyList<string>> ExistingGroupsAsync(string organizationId, IReadOnlyList<string>? names, CancellationToken ct)
    {
        var known = await groups.ListAsync(organizationId, ct).ConfigureAwait(false);
        var wanted = new List<string>();
        foreach (var name in (names ?? []).Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal))
        {
            if (!known.Any(g => g.Name == name))
            {
                throw new AppRequestException("groups", CoreText.Format("UnknownGroup", name, AccessControl.Names(known.Select(g => g.Name))));
            }

            wanted.Add(name);
        }

        return wanted;
    }

    private async Task<IReadOnlyList<string>> MemberAddressesAsync(string organizationId, string group, CancellationToken ct)
    {
        var ids = await groups.MembersAsync(organizationId, group, ct).ConfigureAwait(false);
        return [.. (await people.FindManyAsync(ids, ct).ConfigureAwait(false)).Select(p => p.Email).Order(StringComparer.OrdinalIgnoreCase)];
    }

    private async Task EnsureAnotherAdministratorAsync(string organizationId, string userId, CancellationToken ct)
    {
        var members = await memberships.ForOrganizationAsync(organizationId, ct).ConfigureAwait(false);
        if (!members.Any(m => m.UserId != userId && m.Role == OrganizationRole.Administrator && !m.Suspended))
        {
            throw new AppRequestException("email", CoreText.Get("LastAdministrator"));
        }
    }

    private async Task EndSessionsAsync(string userId, string organizationId, CancellationToken ct)
    {
        await tokens.RevokeAllAsync(userId, organizationId, time.GetUtcNow(), ct).ConfigureAwait(false);
        await RunRevokersAsync(userId, ct).ConfigureAwait(false);
    }

    /// <summary>Ends the person's sessions wherever a revoker knows them (the sign-in service's tokens).</summary>
    private async Task RunRevokersAsync(string userId, CancellationToken ct)
    {
        foreach (var revoker in revokers)
        {
            await revoker.RevokeAsync(userId, ct).ConfigureAwait(false);
        }
    }

    private Task RecordAsync(string kind, Person person, Caller caller, string? organizationId, CancellationToken ct) =>
        events.AddAsync(new SecurityEvent(time.GetUtcNow(), kind, person.Id, person.Email, null, $"{organizationId} by {caller.Name}".Trim()), ct);

    [GeneratedRegex(Group.NamePattern, RegexOptions.CultureInvariant)]
    private static partial Regex GroupNameRegex();
}
