using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Configuration;
using HostPanel.Core.Mail;
using HostPanel.Core.Tests.Mail;

namespace HostPanel.Core.Tests.Accounts;

public sealed class MemberServiceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    private readonly MemoryOrganizations _organizations = new("default", "velo", "edition");
    private readonly MemoryInstances _instances = new MemoryInstances().With("cloud-velo", "velo").With("cloud-edition", "edition");
    private readonly MemoryGroups _groups = new();
    private readonly MemoryMemberships _memberships = new();
    private readonly MemoryInvitations _invitations = new();
    private readonly MemoryTokens _tokens = new();
    private readonly MemoryEvents _events = new();
    private readonly MemoryPeople _people = new();
    private readonly CountingRevoker _revoker = new();
    private readonly FakeTransport _transport = new();
    private readonly MemoryProfiles _profiles = new();
    private readonly Clock _time = new(Now);
    private readonly MemberService _members;
    private readonly MailService _mail;
    private readonly CallerResolver _resolver;
    private readonly Caller _alice;

    public MemberServiceTests()
    {
        _memberships.Groups = _groups;
        var access = new AccessControl(_organizations, _instances, _groups);
        _mail = new MailService(_profiles, new MemorySecrets(), _transport, _organizations, _time, access);
        _members = new MemberService(access, _people, _memberships, _groups, _invitations, _tokens, _events, [_revoker], _mail,
            new HostPanelOptions { PanelUrl = "https://panel.velo.example.org/" }, _time);
        _resolver = new CallerResolver(_people, _memberships, _tokens, _time);
        var alice = _people.Add("alice@velo.example.org");
        _memberships.Rows.Add(new Membership(alice.Id, "velo", OrganizationRole.Administrator, Now));
        _alice = _resolver.ForPersonAsync(alice.Id).GetAwaiter().GetResult()!;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Secret(InvitationSent sent) => sent.Link[(sent.Link.LastIndexOf('/') + 1)..];

    [Fact]
    public async Task An_invitation_without_mail_is_shown_as_a_link_and_accepted_once_before_it_expires()
    {
        await _members.AddGroupAsync(_alice, "velo", "bureau", "Le bureau", Ct);
        var sent = await _members.InviteAsync(_alice, "velo", "bob@velo.example.org", OrganizationRole.Member, ["bureau"], Ct);

        Assert.False(sent.Mailed);
        Assert.StartsWith("https://panel.velo.example.org/invitation/", sent.Link, StringComparison.Ordinal);
        Assert.Equal(Now + TimeSpan.FromDays(7), sent.Invitation.ExpiresAt);
        Assert.DoesNotContain(Secret(sent), _invitations.Rows.Single().Hash, StringComparison.Ordinal);

        var bob = await _members.AcceptAsync(Secret(sent), "Bob", "a long enough password", Ct);
        Assert.Equal(OrganizationRole.Member, (await _memberships.FindAsync(bob.Id, "velo", Ct))!.Role);
        Assert.Equal(["bureau"], await _groups.GroupsOfAsync(bob.Id, "velo", Ct));

        var again = await Assert.ThrowsAsync<AppRequestException>(() => _members.AcceptAsync(Secret(sent), "Bob", "a long enough password", Ct));
        Assert.Equal("invitation", again.Field);
    }

    [Fact]
    public async Task An_expired_invitation_is_refused_and_not_shown()
    {
        var sent = await _members.InviteAsync(_alice, "velo", "late@velo.example.org", OrganizationRole.Member, [], Ct);
        _time.Now = Now + TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1);

        Assert.Null(await _members.FindInvitationAsync(Secret(sent), Ct));
        await Assert.ThrowsAsync<AppRequestException>(() => _members.AcceptAsync(Secret(sent), "Late", "a long enough password", Ct));
        Assert.Empty(await _members.InvitationsAsync(_alice, "velo", Ct));
        Assert.Null(await _people.FindByEmailAsync("late@velo.example.org", Ct));
    }

    [Fact]
    public async Task An_invitation_is_mailed_when_a_profile_exists()
    {
        await _profiles.SaveAsync(new MailProfile(null, "smtp.example.org", 587, MailSecurity.StartTls, null, "panel@velo.example.org", null, Now), Ct);
        var sent = await _members.InviteAsync(_alice, "velo", "carol@velo.example.org", OrganizationRole.Administrator, [], Ct);

        Assert.True(sent.Mailed);
        var mail = Assert.Single(_transport.Sent).Message;
        Assert.Equal("carol@velo.example.org", mail.To);
        Assert.Contains(sent.Link, mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suspending_or_removing_ends_sessions_and_tokens_and_the_last_administrator_stays()
    {
        var bob = await JoinAsync("bob@velo.example.org", OrganizationRole.Member);
        var (_, secret) = await _members.CreateTokenAsync((await _resolver.ForPersonAsync(bob.Id, Ct))!, "velo", OrganizationRole.Member, "script", null, Ct);
        Assert.NotNull(await _resolver.ForTokenAsync(secret, Ct));

        await _members.SuspendAsync(_alice, "velo", bob.Email, true, Ct);
        Assert.Contains(bob.Id, _revoker.Revoked);
        Assert.Null(await _resolver.ForTokenAsync(secret, Ct));
        Assert.False((await _resolver.ForPersonAsync(bob.Id, Ct))!.Roles.ContainsKey("velo"));

        var last = await Assert.ThrowsAsync<AppRequestException>(() => _members.RemoveAsync(_alice, "velo", _alice.Name, Ct));
        Assert.Equal("email", last.Field);
        Assert.NotNull(await _memberships.FindAsync(_alice.Id, "velo", Ct));
        await Assert.ThrowsAsync<AppRequestException>(() => _members.SetRoleAsync(_alice, "velo", _alice.Name, OrganizationRole.Member, Ct));

        await _members.RemoveAsync(_alice, "velo", bob.Email, Ct);
        Assert.Null(await _people.FindAsync(bob.Id, Ct));
        Assert.Contains(_events.Rows, e => e.Kind == SecurityEventKinds.Removed && e.UserId == bob.Id);
    }

    [Fact]
    public async Task A_person_of_another_organization_is_answered_like_no_one()
    {
        var eve = _people.Add("eve@edition.example.org");
        _memberships.Rows.Add(new Membership(eve.Id, "edition", OrganizationRole.Administrator, Now));

        var foreign = await Assert.ThrowsAsync<AppRequestException>(() => _members.SuspendAsync(_alice, "velo", eve.Email, true, Ct));
        var nobody = await Assert.ThrowsAsync<AppRequestException>(() => _members.SuspendAsync(_alice, "velo", "ghost@edition.example.org", true, Ct));
        Assert.Equal(nobody.Message.Replace("ghost", "X", StringComparison.Ordinal), foreign.Message.Replace("eve", "X", StringComparison.Ordinal));

        await Assert.ThrowsAsync<AppRequestException>(() => _members.ListAsync(_alice, "edition", Ct));
        await Assert.ThrowsAsync<AppRequestException>(() => _members.SetAppAccessAsync(_alice, "cloud-edition", ["bureau"], Ct));
        await Assert.ThrowsAsync<AppRequestException>(() => _members.InviteAsync(_alice, "edition", "x@example.org", OrganizationRole.Member, [], Ct));
        Assert.False(eve.Disabled);
    }

    [Fact]
    public async Task A_member_cannot_manage_people()
    {
        var bob = await JoinAsync("bob@velo.example.org", OrganizationRole.Member);
        var caller = (await _resolver.ForPersonAsync(bob.Id, Ct))!;

        await Assert.ThrowsAsync<AccessDeniedException>(() => _members.ListAsync(caller, "velo", Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _members.InviteAsync(caller, "velo", "x@example.org", OrganizationRole.Administrator, [], Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _members.AddGroupAsync(caller, "velo", "bureau", null, Ct));
    }

    [Fact]
    public async Task App_access_names_existing_groups_of_the_apps_organization()
    {
        await _members.AddGroupAsync(_alice, "velo", "bureau", null, Ct);

        var unknown = await Assert.ThrowsAsync<AppRequestException>(() => _members.SetAppAccessAsync(_alice, "cloud-velo", ["benevoles"], Ct));
        Assert.Equal("groups", unknown.Field);

        await _members.SetAppAccessAsync(_alice, "cloud-velo", ["bureau"], Ct);
        Assert.Equal(["bureau"], await _members.AppAccessAsync(_alice, "cloud-velo", Ct));
        await _members.SetAppAccessAsync(_alice, "cloud-velo", null, Ct);
        Assert.Null(await _members.AppAccessAsync(_alice, "cloud-velo", Ct));
    }

    [Theory]
    [InlineData("Bureau")]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("../x")]
    public async Task Bad_group_names_are_refused(string name)
    {
        var refused = await Assert.ThrowsAsync<AppRequestException>(() => _members.AddGroupAsync(_alice, "velo", name, null, Ct));
        Assert.Equal("name", refused.Field);
    }

    [Fact]
    public async Task A_token_carries_at_most_its_owners_role_now_and_only_in_its_organization()
    {
        var (token, secret) = await _members.CreateTokenAsync(_alice, "velo", OrganizationRole.Administrator, "nightly", TimeSpan.FromDays(30), Ct);
        Assert.True(AccessTokenFormat.TryParse(secret, out var id));
        Assert.Equal(token.Id, id);

        var acting = (await _resolver.ForTokenAsync(secret, Ct))!;
        Assert.Equal(OrganizationRole.Administrator, acting.RoleIn("velo"));
        Assert.Null(acting.RoleIn("edition"));
        Assert.False(acting.IsHosterAdministrator);
        Assert.Equal(token.Id, acting.TokenId);

        // Tokens cannot make tokens, and a role above the owner's is refused.
        await Assert.ThrowsAsync<AccessDeniedException>(() => _members.CreateTokenAsync(acting, "velo", OrganizationRole.Member, "again", null, Ct));
        var bob = await JoinAsync("bob@velo.example.org", OrganizationRole.Member);
        var bobCaller = (await _resolver.ForPersonAsync(bob.Id, Ct))!;
        await Assert.ThrowsAsync<AppRequestException>(() => _members.CreateTokenAsync(bobCaller, "velo", OrganizationRole.Administrator, "up", null, Ct));

        _time.Now = Now + TimeSpan.FromDays(31);
        Assert.Null(await _resolver.ForTokenAsync(secret, Ct));
        Assert.Null(await _resolver.ForTokenAsync(secret[..^1] + (secret[^1] == 'a' ? 'b' : 'a'), Ct));
        Assert.Null(await _resolver.ForTokenAsync("hpt_nonsense", Ct));
    }

    [Fact]
    public async Task Only_root_recovers_an_administrator()
    {
        await Assert.ThrowsAsync<AccessDeniedException>(() => _members.RecoverAdministratorAsync(_alice, _alice.Name, "a new long password", Ct));
        var recovered = await _members.RecoverAdministratorAsync(Caller.Server("root"), _alice.Name, "a new long password", Ct);
        Assert.True(recovered.IsHosterAdministrator);
        Assert.Contains(_alice.Id, _revoker.Revoked);
        Assert.Contains(_events.Rows, e => e.Kind == SecurityEventKinds.AdministratorRecovered);
    }

    [Fact]
    public async Task Hosters_give_and_take_the_hosting_role_and_the_last_active_hoster_keeps_it()
    {
        var host = _people.Add("host@hebergeur.example.org", hoster: true);
        var hoster = (await _resolver.ForPersonAsync(host.Id, Ct))!;

        // An organization administrator is not a hoster: she can neither see nor change them.
        await Assert.ThrowsAsync<AccessDeniedException>(() => _members.HostersAsync(_alice, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _members.SetHostingAsync(_alice, _alice.Name, true, Ct));
        Assert.False((await _people.FindAsync(_alice.Id, Ct))!.IsHosterAdministrator);

        var unknown = await Assert.ThrowsAsync<AppRequestException>(() => _members.SetHostingAsync(hoster, "nobody@velo.example.org", true, Ct));
        Assert.Equal("email", unknown.Field);

        var granted = (await _members.SetHostingAsync(hoster, _alice.Name, true, Ct)).Person;
        Assert.True(granted.IsHosterAdministrator);
        Assert.True((await _resolver.ForPersonAsync(_alice.Id, Ct))!.IsHosterAdministrator);
        Assert.Contains(_events.Rows, e => e.Kind == SecurityEventKinds.HostingGranted && e.UserId == _alice.Id);
        Assert.Equal([_alice.Name, host.Email], (await _members.HostersAsync(hoster, Ct)).Select(p => p.Email));

        // Giving it again changes nothing.
        var again = await _members.SetHostingAsync(hoster, _alice.Name, true, Ct);
        Assert.True(again.Person.IsHosterAdministrator);
        Assert.False(again.AccountDeleted);
        Assert.Single(_events.Rows, e => e.Kind == SecurityEventKinds.HostingGranted);

        // Alice belongs to an organization: losing the role, she keeps her account even when a
        // deletion of accounts without one is allowed. She gets it back for what follows.
        Assert.True(await _members.BelongsToAnOrganizationAsync(hoster, _alice.Name, Ct));
        var member = await _members.SetHostingAsync(hoster, _alice.Name, false, deleteAccountWithoutOrganization: true, Ct);
        Assert.False(member.AccountDeleted);
        Assert.False(member.Person.IsHosterAdministrator);
        Assert.NotNull(await _people.FindAsync(_alice.Id, Ct));
        await _members.SetHostingAsync(hoster, _alice.Name, true, Ct);

        // The first hoster steps down: Alice stays, so it is allowed. They belong to no
        // organization, so their account would give access to nothing: refused unless its deletion
        // is asked for, and then deleted with their sessions ended.
        Assert.False(await _members.BelongsToAnOrganizationAsync(hoster, host.Email, Ct));
        var useless = await Assert.ThrowsAsync<AppRequestException>(() => _members.SetHostingAsync(hoster, host.Email, false, Ct));
        Assert.Equal("email", useless.Field);
        Assert.Contains("--delete-account", useless.Message, StringComparison.Ordinal);
        Assert.True((await _people.FindAsync(host.Id, Ct))!.IsHosterAdministrator);
        Assert.DoesNotContain(_events.Rows, e => e.Kind == SecurityEventKinds.HostingRevoked && e.UserId == host.Id);

        var revoked = await _members.SetHostingAsync(hoster, host.Email, false, deleteAccountWithoutOrganization: true, Ct);
        Assert.True(revoked.AccountDeleted);
        Assert.False(revoked.Person.IsHosterAdministrator);
        Assert.Contains(host.Id, _revoker.Revoked);
        Assert.Contains(_events.Rows, e => e.Kind == SecurityEventKinds.HostingRevoked && e.UserId == host.Id);
        Assert.Null(await _people.FindAsync(host.Id, Ct));
        Assert.Null(await _resolver.ForPersonAsync(host.Id, Ct));

        // Alice is now the last one: she keeps it, and the refusal says why.
        var alice = (await _resolver.ForPersonAsync(_alice.Id, Ct))!;
        var last = await Assert.ThrowsAsync<AppRequestException>(() => _members.SetHostingAsync(alice, _alice.Name, false, Ct));
        Assert.Equal("email", last.Field);
        Assert.Contains(_alice.Name, last.Message, StringComparison.Ordinal);
        Assert.True((await _people.FindAsync(_alice.Id, Ct))!.IsHosterAdministrator);
    }

    [Fact]
    public async Task A_disabled_account_is_neither_given_the_hosting_role_nor_counted_as_another_hoster()
    {
        var root = Caller.Server("root");
        var gone = _people.Add("gone@velo.example.org", hoster: true);
        await _people.SetDisabledAsync(gone.Id, true, Ct);
        await _members.SetHostingAsync(root, _alice.Name, true, Ct);

        var refused = await Assert.ThrowsAsync<AppRequestException>(() => _members.SetHostingAsync(root, _alice.Name, false, Ct));
        Assert.Equal("email", refused.Field);

        var bob = _people.Add("bob@velo.example.org");
        await _people.SetDisabledAsync(bob.Id, true, Ct);
        var disabled = await Assert.ThrowsAsync<AppRequestException>(() => _members.SetHostingAsync(root, bob.Email, true, Ct));
        Assert.Equal("email", disabled.Field);
        Assert.False((await _people.FindAsync(bob.Id, Ct))!.IsHosterAdministrator);

        // The disabled hoster's role can still be taken away (Alice is active), with the account it
        // no longer has any use for.
        var taken = await _members.SetHostingAsync(root, gone.Email, false, deleteAccountWithoutOrganization: true, Ct);
        Assert.True(taken.AccountDeleted);
        Assert.Null(await _people.FindAsync(gone.Id, Ct));
    }

    private async Task<Person> JoinAsync(string email, OrganizationRole role)
    {
        var sent = await _members.InviteAsync(_alice, "velo", email, role, [], Ct);
        return await _members.AcceptAsync(Secret(sent), email.Split('@')[0], "a long enough password", Ct);
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
