using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;

namespace HostPanel.Core.Tests.Accounts;

internal sealed class MemoryInstances : IInstanceStore
{
    public Dictionary<string, AppInstance> Rows { get; } = new(StringComparer.Ordinal);

    public MemoryInstances With(string name, string organizationId)
    {
        Rows[name] = new AppInstance
        {
            Name = name,
            OrganizationId = organizationId,
            AppId = "hello",
            Version = "1.0.0",
            State = InstanceState.Running,
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
        };
        return this;
    }

    public Task<AppInstance?> FindAsync(string name, CancellationToken ct = default) => Task.FromResult(Rows.GetValueOrDefault(name));

    public Task<IReadOnlyList<AppInstance>> ListAsync(string? organizationId = null, bool includeRemoved = false, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<AppInstance>>([.. Rows.Values.Where(i => (organizationId is null || i.OrganizationId == organizationId) && (includeRemoved || i.State != InstanceState.Removed))]);

    public Task AddAsync(AppInstance instance, CancellationToken ct = default)
    {
        Rows.Add(instance.Name, instance);
        return Task.CompletedTask;
    }

    public Task UpdateAsync(AppInstance instance, CancellationToken ct = default)
    {
        Rows[instance.Name] = instance;
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string name, CancellationToken ct = default)
    {
        Rows.Remove(name);
        return Task.CompletedTask;
    }
}

internal sealed class MemoryMemberships : IMembershipStore
{
    public List<Membership> Rows { get; } = [];

    public MemoryGroups? Groups { get; set; }

    public Task<IReadOnlyList<Membership>> ForUserAsync(string userId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Membership>>([.. Rows.Where(m => m.UserId == userId)]);

    public Task<IReadOnlyList<Membership>> ForOrganizationAsync(string organizationId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Membership>>([.. Rows.Where(m => m.OrganizationId == organizationId)]);

    public Task<Membership?> FindAsync(string userId, string organizationId, CancellationToken ct = default) =>
        Task.FromResult(Rows.Find(m => m.UserId == userId && m.OrganizationId == organizationId));

    public Task SaveAsync(Membership membership, CancellationToken ct = default)
    {
        Rows.RemoveAll(m => m.UserId == membership.UserId && m.OrganizationId == membership.OrganizationId);
        Rows.Add(membership);
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string userId, string organizationId, CancellationToken ct = default)
    {
        Rows.RemoveAll(m => m.UserId == userId && m.OrganizationId == organizationId);
        Groups?.Members.RemoveAll(m => m.UserId == userId && m.Org == organizationId);
        return Task.CompletedTask;
    }
}

internal sealed class MemoryGroups : IGroupStore
{
    public List<Group> Rows { get; } = [];

    public List<(string Org, string Group, string UserId)> Members { get; } = [];

    public Dictionary<string, List<string>> Access { get; } = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<Group>> ListAsync(string organizationId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Group>>([.. Rows.Where(g => g.OrganizationId == organizationId).OrderBy(g => g.Name, StringComparer.Ordinal)]);

    public Task<Group?> FindAsync(string organizationId, string name, CancellationToken ct = default) =>
        Task.FromResult(Rows.Find(g => g.OrganizationId == organizationId && g.Name == name));

    public Task AddAsync(Group group, CancellationToken ct = default)
    {
        Rows.Add(group);
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string organizationId, string name, CancellationToken ct = default)
    {
        Rows.RemoveAll(g => g.OrganizationId == organizationId && g.Name == name);
        Members.RemoveAll(m => m.Org == organizationId && m.Group == name);
        foreach (var list in Access.Values)
        {
            list.Remove(name);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> MembersAsync(string organizationId, string name, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<string>>([.. Members.Where(m => m.Org == organizationId && m.Group == name).Select(m => m.UserId)]);

    public Task<IReadOnlyList<string>> GroupsOfAsync(string userId, string organizationId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<string>>([.. Members.Where(m => m.Org == organizationId && m.UserId == userId).Select(m => m.Group)]);

    public Task SetMemberAsync(string organizationId, string name, string userId, bool member, CancellationToken ct = default)
    {
        Members.RemoveAll(m => m.Org == organizationId && m.Group == name && m.UserId == userId);
        if (member)
        {
            Members.Add((organizationId, name, userId));
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>?> AppAccessAsync(string instance, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<string>?>(Access.TryGetValue(instance, out var list) ? [.. list] : null);

    public Task SetAppAccessAsync(string instance, string organizationId, IReadOnlyList<string>? groups, CancellationToken ct = default)
    {
        if (groups is null)
        {
            Access.Remove(instance);
        }
        else
        {
            Access[instance] = [.. groups];
        }

        return Task.CompletedTask;
    }
}

internal sealed class MemoryInvitations : IInvitationStore
{
    public List<(Invitation Invitation, string Hash)> Rows { get; } = [];

    public Task AddAsync(Invitation invitation, string secretHash, CancellationToken ct = default)
    {
        Rows.Add((invitation, secretHash));
        return Task.CompletedTask;
    }

    public Task<Invitation?> FindBySecretHashAsync(string secretHash, CancellationToken ct = default) =>
        Task.FromResult<Invitation?>(Rows.Find(r => r.Hash == secretHash).Invitation);

    public Task<IReadOnlyList<Invitation>> ListAsync(string organizationId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Invitation>>([.. Rows.Select(r => r.Invitation).Where(i => i.OrganizationId == organizationId)]);

    public Task MarkAcceptedAsync(string id, DateTimeOffset at, CancellationToken ct = default)
    {
        var i = Rows.FindIndex(r => r.Invitation.Id == id);
        Rows[i] = (Rows[i].Invitation with { AcceptedAt = at }, Rows[i].Hash);
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string id, CancellationToken ct = default)
    {
        Rows.RemoveAll(r => r.Invitation.Id == id);
        return Task.CompletedTask;
    }
}

internal sealed class MemoryTokens : IAccessTokenStore
{
    public List<(AccessToken Token, string Hash)> Rows { get; } = [];

    public Task AddAsync(AccessToken token, string secretHash, CancellationToken ct = default)
    {
        Rows.Add((token, secretHash));
        return Task.CompletedTask;
    }

    public Task<AccessToken?> FindBySecretHashAsync(string secretHash, CancellationToken ct = default) =>
        Task.FromResult<AccessToken?>(Rows.Find(r => r.Hash == secretHash).Token);

    public Task<AccessToken?> FindAsync(string id, CancellationToken ct = default) =>
        Task.FromResult<AccessToken?>(Rows.Find(r => r.Token.Id == id).Token);

    public Task<IReadOnlyList<AccessToken>> ListAsync(string? userId, string? organizationId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<AccessToken>>([.. Rows.Select(r => r.Token).Where(t => (userId is null || t.UserId == userId) && (organizationId is null || t.OrganizationId == organizationId))]);

    public Task RevokeAsync(string id, DateTimeOffset at, CancellationToken ct = default) => Update(t => t.Id == id, at);

    public Task RevokeAllAsync(string userId, string? organizationId, DateTimeOffset at, CancellationToken ct = default) =>
        Update(t => t.UserId == userId && (organizationId is null || t.OrganizationId == organizationId), at);

    public Task TouchAsync(string id, DateTimeOffset at, CancellationToken ct = default) => Task.CompletedTask;

    private Task Update(Func<AccessToken, bool> which, DateTimeOffset at)
    {
        for (var i = 0; i < Rows.Count; i++)
        {
            if (which(Rows[i].Token) && Rows[i].Token.RevokedAt is null)
            {
                Rows[i] = (Rows[i].Token with { RevokedAt = at }, Rows[i].Hash);
            }
        }

        return Task.CompletedTask;
    }
}

internal sealed class MemoryEvents : ISecurityEventStore
{
    public List<SecurityEvent> Rows { get; } = [];

    public Task AddAsync(SecurityEvent entry, CancellationToken ct = default)
    {
        Rows.Add(entry);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SecurityEvent>> ListAsync(string? userId, int take, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<SecurityEvent>>([.. Rows.Where(e => userId is null || e.UserId == userId).Reverse().Take(take)]);
}

internal sealed class MemoryPeople : IPeopleDirectory
{
    public List<Person> Rows { get; } = [];

    public Person Add(string email, bool hoster = false)
    {
        var person = new Person($"id-{email}", email, email.Split('@')[0], false, false, hoster, DateTimeOffset.UnixEpoch);
        Rows.Add(person);
        return person;
    }

    public Task<Person?> FindAsync(string id, CancellationToken ct = default) => Task.FromResult(Rows.Find(p => p.Id == id));

    public Task<Person?> FindByEmailAsync(string email, CancellationToken ct = default) =>
        Task.FromResult(Rows.Find(p => string.Equals(p.Email, email, StringComparison.OrdinalIgnoreCase)));

    public Task<IReadOnlyList<Person>> FindManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Person>>([.. Rows.Where(p => ids.Contains(p.Id))]);

    public Task<IReadOnlyList<Person>> HosterAdministratorsAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Person>>([.. Rows.Where(p => p.IsHosterAdministrator)]);

    public Task<Person> CreateAsync(string email, string displayName, string password, CancellationToken ct = default)
    {
        if (password.Length < 12)
        {
            throw new AppRequestException("password", "too short");
        }

        var person = new Person($"id-{email}", email, displayName, false, false, false, DateTimeOffset.UnixEpoch);
        Rows.Add(person);
        return Task.FromResult(person);
    }

    public Task SetDisabledAsync(string id, bool disabled, CancellationToken ct = default)
    {
        var i = Rows.FindIndex(p => p.Id == id);
        Rows[i] = Rows[i] with { Disabled = disabled };
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string id, CancellationToken ct = default)
    {
        Rows.RemoveAll(p => p.Id == id);
        return Task.CompletedTask;
    }

    public Task RecoverAsync(string id, string password, CancellationToken ct = default)
    {
        var i = Rows.FindIndex(p => p.Id == id);
        Rows[i] = Rows[i] with { Disabled = false, TwoFactorEnabled = false, IsHosterAdministrator = true };
        return Task.CompletedTask;
    }

    public Task SetHosterAsync(string id, bool hoster, CancellationToken ct = default)
    {
        var i = Rows.FindIndex(p => p.Id == id);
        Rows[i] = Rows[i] with { IsHosterAdministrator = hoster };
        return Task.CompletedTask;
    }

    public Task<bool> VerifySignInAsync(string id, string password, string code, CancellationToken ct = default) => Task.FromResult(false);
}

internal sealed class CountingRevoker : ISessionRevoker
{
    public List<string> Revoked { get; } = [];

    public Task RevokeAsync(string userId, CancellationToken ct = default)
    {
        Revoked.Add(userId);
        return Task.CompletedTask;
    }
}
