using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Tests.Mail;

namespace HostPanel.Core.Tests.Accounts;

public sealed class AccessControlTests
{
    private readonly MemoryOrganizations _organizations = new("default", "velo", "edition");
    private readonly MemoryInstances _instances = new MemoryInstances().With("cloud-velo", "velo").With("wiki-velo", "velo").With("cloud-edition", "edition");
    private readonly MemoryGroups _groups = new();
    private readonly MemoryEvents _events = new();
    private readonly AccessControl _access;

    public AccessControlTests() => _access = new AccessControl(_organizations, _instances, _groups, _events);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Caller Person(string id, params (string Org, OrganizationRole Role)[] roles) => new()
    {
        Id = id,
        Name = id + "@example.org",
        Roles = roles.ToDictionary(r => r.Org, r => r.Role),
    };

    [Fact]
    public async Task A_foreign_app_is_answered_like_one_that_does_not_exist()
    {
        var velo = Person("alice", ("velo", OrganizationRole.Administrator));

        var foreign = await Assert.ThrowsAsync<AppRequestException>(() => _access.AppAsync(velo, "cloud-edition", OrganizationRole.Member, Ct));
        var missing = await Assert.ThrowsAsync<AppRequestException>(() => _access.AppAsync(velo, "nothing-here", OrganizationRole.Member, Ct));

        Assert.Equal("instance", foreign.Field);
        Assert.Equal(missing.Message.Replace("nothing-here", "X", StringComparison.Ordinal), foreign.Message.Replace("cloud-edition", "X", StringComparison.Ordinal));
        Assert.DoesNotContain("edition", foreign.Message.Replace("cloud-edition", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("cloud-velo", foreign.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_foreign_organization_is_answered_like_one_that_does_not_exist_and_lists_only_the_callers()
    {
        var velo = Person("alice", ("velo", OrganizationRole.Administrator));

        var foreign = await Assert.ThrowsAsync<AppRequestException>(() => _access.OrganizationAsync(velo, "edition", OrganizationRole.Member, Ct));
        var missing = await Assert.ThrowsAsync<AppRequestException>(() => _access.OrganizationAsync(velo, "nowhere", OrganizationRole.Member, Ct));

        Assert.Equal(missing.Message.Replace("nowhere", "X", StringComparison.Ordinal), foreign.Message.Replace("edition", "X", StringComparison.Ordinal));
        Assert.DoesNotContain("default", foreign.Message, StringComparison.Ordinal);
        Assert.Equal(["velo"], (await _access.OrganizationsAsync(velo, Ct)).Select(o => o.Id));
    }

    [Fact]
    public async Task A_member_may_see_but_not_manage_and_sees_only_the_apps_their_groups_may_use()
    {
        var bob = Person("bob", ("velo", OrganizationRole.Member));
        await _groups.SetAppAccessAsync("wiki-velo", "velo", ["bureau"], Ct);

        Assert.Equal(["cloud-velo"], (await _access.AppsAsync(bob, null, false, Ct)).Select(i => i.Name));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _access.AppAsync(bob, "cloud-velo", OrganizationRole.Administrator, Ct));
        await Assert.ThrowsAsync<AppRequestException>(() => _access.AppAsync(bob, "wiki-velo", OrganizationRole.Member, Ct));

        await _groups.SetMemberAsync("velo", "bureau", "bob", true, Ct);
        Assert.True(await _access.MayUseAsync(bob, _instances.Rows["wiki-velo"], Ct));
        Assert.Equal(["cloud-velo", "wiki-velo"], (await _access.AppsAsync(bob, "velo", false, Ct)).Select(i => i.Name).Order());
    }

    [Fact]
    public async Task Using_an_app_needs_membership_even_for_administrators_and_an_empty_list_lets_nobody_in()
    {
        var hoster = new Caller { Id = "root-person", Name = "root@example.org", IsHosterAdministrator = true };
        var admin = Person("alice", ("velo", OrganizationRole.Administrator));

        Assert.False(await _access.MayUseAsync(hoster, _instances.Rows["cloud-velo"], Ct));
        Assert.False(await _access.MayUseAsync(Caller.Server("root"), _instances.Rows["cloud-velo"], Ct));
        Assert.True(await _access.MayUseAsync(admin, _instances.Rows["cloud-velo"], Ct));

        await _groups.SetAppAccessAsync("cloud-velo", "velo", [], Ct);
        Assert.False(await _access.MayUseAsync(admin, _instances.Rows["cloud-velo"], Ct));
        Assert.False(await _access.MayUseAsync(Person("eve", ("edition", OrganizationRole.Administrator)), _instances.Rows["cloud-velo"], Ct));
    }

    [Fact]
    public async Task Server_wide_actions_need_a_hosting_administrator()
    {
        Assert.Throws<AccessDeniedException>(() => AccessControl.RequireHoster(Person("alice", ("velo", OrganizationRole.Administrator))));
        AccessControl.RequireHoster(Caller.Server("root"));

        var hoster = Caller.Server("root");
        Assert.Equal(3, (await _access.OrganizationsAsync(hoster, Ct)).Count);
        Assert.Equal("edition", (await _access.AppAsync(hoster, "cloud-edition", OrganizationRole.Administrator, Ct)).OrganizationId);
    }

    [Fact]
    public async Task No_organization_named_picks_the_callers_only_one()
    {
        var bob = Person("bob", ("edition", OrganizationRole.Administrator));
        Assert.Equal("edition", (await _access.OrganizationAsync(bob, null, OrganizationRole.Administrator, Ct)).Id);
        Assert.Equal("default", (await _access.OrganizationAsync(Caller.Server("root"), null, OrganizationRole.Administrator, Ct)).Id);
    }

    [Fact]
    public async Task Each_refusal_of_a_person_is_kept_as_a_security_event_and_names_the_token()
    {
        var velo = Person("alice", ("velo", OrganizationRole.Member)) with { TokenId = "0badc0de" };

        await Assert.ThrowsAsync<AppRequestException>(() => _access.AppAsync(velo, "cloud-edition", OrganizationRole.Member, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _access.AppAsync(velo, "cloud-velo", OrganizationRole.Administrator, Ct));
        await Assert.ThrowsAsync<AppRequestException>(() => _access.OrganizationAsync(velo, "edition", OrganizationRole.Member, Ct));
        await _access.AppAsync(Caller.Server("root"), "cloud-edition", OrganizationRole.Administrator, Ct);

        Assert.Equal(3, _events.Rows.Count);
        Assert.All(_events.Rows, e => Assert.Equal(SecurityEventKinds.AccessRefused, e.Kind));
        Assert.All(_events.Rows, e => Assert.Equal("alice", e.UserId));
        Assert.Contains("0badc0de", _events.Rows[0].Detail, StringComparison.Ordinal);
        Assert.Contains("cloud-edition", _events.Rows[0].Detail, StringComparison.Ordinal);
    }
}
