using HostPanel.Core.Accounts;
using HostPanel.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HostPanel.Infrastructure.Accounts;

/// <summary>Memberships in the panel's database.</summary>
internal sealed class EfMembershipStore(IDbContextFactory<HostPanelDbContext> contexts) : IMembershipStore
{
    public async Task<IReadOnlyList<Membership>> ForUserAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Memberships.AsNoTracking().Where(m => m.UserId == userId).OrderBy(m => m.OrganizationId).ToListAsync(ct);
        return [.. rows.Select(ToMembership)];
    }

    public async Task<IReadOnlyList<Membership>> ForOrganizationAsync(string organizationId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Memberships.AsNoTracking().Where(m => m.OrganizationId == organizationId).ToListAsync(ct);
        return [.. rows.Select(ToMembership)];
    }

    public async Task<Membership?> FindAsync(string userId, string organizationId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Memberships.AsNoTracking().SingleOrDefaultAsync(m => m.UserId == userId && m.OrganizationId == organizationId, ct);
        return row is null ? null : ToMembership(row);
    }

    public async Task SaveAsync(Membership membership, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Memberships.SingleOrDefaultAsync(m => m.UserId == membership.UserId && m.OrganizationId == membership.OrganizationId, ct);
        if (row is null)
        {
            db.Memberships.Add(new MembershipRow { UserId = membership.UserId, OrganizationId = membership.OrganizationId, Role = membership.Role, Since = membership.Since, Suspended = membership.Suspended });
        }
        else
        {
            row.Role = membership.Role;
            row.Suspended = membership.Suspended;
        }

        await db.SaveChangesAsync(ct);
    }

    public async Task RemoveAsync(string userId, string organizationId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.GroupMembers.Where(m => m.UserId == userId && m.OrganizationId == organizationId).ExecuteDeleteAsync(ct);
        await db.Memberships.Where(m => m.UserId == userId && m.OrganizationId == organizationId).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private static Membership ToMembership(MembershipRow row) => new(row.UserId, row.OrganizationId, row.Role, row.Since, row.Suspended);
}

/// <summary>Groups, group members and app access in the panel's database.</summary>
internal sealed class EfGroupStore(IDbContextFactory<HostPanelDbContext> contexts) : IGroupStore
{
    public async Task<IReadOnlyList<Group>> ListAsync(string organizationId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Groups.AsNoTracking().Where(g => g.OrganizationId == organizationId).OrderBy(g => g.Name).ToListAsync(ct);
        return [.. rows.Select(g => new Group(g.OrganizationId, g.Name, g.Description, g.CreatedAt))];
    }

    public async Task<Group?> FindAsync(string organizationId, string name, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var g = await db.Groups.AsNoTracking().SingleOrDefaultAsync(g => g.OrganizationId == organizationId && g.Name == name, ct);
        return g is null ? null : new Group(g.OrganizationId, g.Name, g.Description, g.CreatedAt);
    }

    public async Task AddAsync(Group group, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Groups.Add(new GroupRow { OrganizationId = group.OrganizationId, Name = group.Name, Description = group.Description, CreatedAt = group.CreatedAt });
        await db.SaveChangesAsync(ct);
    }

    public async Task RemoveAsync(string organizationId, string name, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.GroupMembers.Where(m => m.OrganizationId == organizationId && m.GroupName == name).ExecuteDeleteAsync(ct);
        await db.AppAccess.Where(a => a.OrganizationId == organizationId && a.GroupName == name).ExecuteDeleteAsync(ct);
        await db.Groups.Where(g => g.OrganizationId == organizationId && g.Name == name).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<string>> MembersAsync(string organizationId, string name, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.GroupMembers.AsNoTracking().Where(m => m.OrganizationId == organizationId && m.GroupName == name).Select(m => m.UserId).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<string>> GroupsOfAsync(string userId, string organizationId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.GroupMembers.AsNoTracking().Where(m => m.UserId == userId && m.OrganizationId == organizationId).OrderBy(m => m.GroupName).Select(m => m.GroupName).ToListAsync(ct);
    }

    public async Task SetMemberAsync(string organizationId, string name, string userId, bool member, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.GroupMembers.SingleOrDefaultAsync(m => m.OrganizationId == organizationId && m.GroupName == name && m.UserId == userId, ct);
        if (member && row is null)
        {
            db.GroupMembers.Add(new GroupMemberRow { OrganizationId = organizationId, GroupName = name, UserId = userId });
        }
        else if (!member && row is not null)
        {
            db.GroupMembers.Remove(row);
        }

        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<string>?> AppAccessAsync(string instance, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.AppAccessRules.AnyAsync(r => r.Instance == instance, ct))
        {
            return null;
        }

        return await db.AppAccess.AsNoTracking().Where(a => a.Instance == instance).OrderBy(a => a.GroupName).Select(a => a.GroupName).ToListAsync(ct);
    }

    public async Task SetAppAccessAsync(string instance, string organizationId, IReadOnlyList<string>? groups, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.AppAccess.Where(a => a.Instance == instance).ExecuteDeleteAsync(ct);
        await db.AppAccessRules.Where(a => a.Instance == instance).ExecuteDeleteAsync(ct);
        if (groups is not null)
        {
            db.AppAccessRules.Add(new AppAccessRuleRow { Instance = instance, OrganizationId = organizationId });
            foreach (var group in groups.Distinct(StringComparer.Ordinal))
            {
                db.AppAccess.Add(new AppAccessRow { Instance = instance, OrganizationId = organizationId, GroupName = group });
            }

            await db.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }
}

/// <summary>Invitations in the panel's database.</summary>
internal sealed class EfInvitationStore(IDbContextFactory<HostPanelDbContext> contexts) : IInvitationStore
{
    public async Task AddAsync(Invitation invitation, string secretHash, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Invitations.Add(new InvitationRow
        {
            Id = invitation.Id,
            OrganizationId = invitation.OrganizationId,
            Email = invitation.Email,
            Role = invitation.Role,
            Groups = string.Join(',', invitation.Groups),
            InvitedBy = invitation.InvitedBy,
            CreatedAt = invitation.CreatedAt,
            ExpiresAt = invitation.ExpiresAt,
            AcceptedAt = invitation.AcceptedAt,
            SecretHash = secretHash,
        });
        await db.SaveChangesAsync(ct);
    }

    public async Task<Invitation?> FindBySecretHashAsync(string secretHash, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.SecretHash == secretHash, ct);
        return row?.ToInvitation();
    }

    public async Task<IReadOnlyList<Invitation>> ListAsync(string organizationId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Invitations.AsNoTracking().Where(i => i.OrganizationId == organizationId).OrderBy(i => i.CreatedAt).ToListAsync(ct);
        return [.. rows.Select(r => r.ToInvitation())];
    }

    public async Task MarkAcceptedAsync(string id, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Invitations.SingleAsync(i => i.Id == id, ct);
        row.AcceptedAt = at;
        await db.SaveChangesAsync(ct);
    }

    public async Task RemoveAsync(string id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Invitations.Where(i => i.Id == id).ExecuteDeleteAsync(ct);
    }
}

/// <summary>Personal access tokens in the panel's database.</summary>
internal sealed class EfAccessTokenStore(IDbContextFactory<HostPanelDbContext> contexts) : IAccessTokenStore
{
    public async Task AddAsync(AccessToken token, string secretHash, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.AccessTokens.Add(new AccessTokenRow
        {
            Id = token.Id,
            UserId = token.UserId,
            OrganizationId = token.OrganizationId,
            Role = token.Role,
            Name = token.Name,
            CreatedAt = token.CreatedAt,
            ExpiresAt = token.ExpiresAt,
            RevokedAt = token.RevokedAt,
            LastUsedAt = token.LastUsedAt,
            SecretHash = secretHash,
        });
        await db.SaveChangesAsync(ct);
    }

    public async Task<AccessToken?> FindBySecretHashAsync(string secretHash, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await db.AccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.SecretHash == secretHash, ct))?.ToToken();
    }

    public async Task<AccessToken?> FindAsync(string id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await db.AccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct))?.ToToken();
    }

    public async Task<IReadOnlyList<AccessToken>> ListAsync(string? userId, string? organizationId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.AccessTokens.AsNoTracking();
        if (userId is not null)
        {
            query = query.Where(t => t.UserId == userId);
        }

        if (organizationId is not null)
        {
            query = query.Where(t => t.OrganizationId == organizationId);
        }

        var rows = await query.OrderBy(t => t.CreatedAt).ToListAsync(ct);
        return [.. rows.Select(r => r.ToToken())];
    }

    public async Task RevokeAsync(string id, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.AccessTokens.Where(t => t.Id == id && t.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, at), ct);
    }

    public async Task RevokeAllAsync(string userId, string? organizationId, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.AccessTokens
            .Where(t => t.UserId == userId && t.RevokedAt == null && (organizationId == null || t.OrganizationId == organizationId))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, at), ct);
    }

    public async Task TouchAsync(string id, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.AccessTokens.Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, at), ct);
    }
}

/// <summary>Authentication events in the panel's database.</summary>
internal sealed class EfSecurityEventStore(IDbContextFactory<HostPanelDbContext> contexts) : ISecurityEventStore
{
    public async Task AddAsync(SecurityEvent entry, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.SecurityEvents.Add(new SecurityEventRow
        {
            At = entry.At,
            Kind = entry.Kind,
            UserId = entry.UserId,
            Email = entry.Email,
            Address = entry.Address,
            Detail = entry.Detail,
        });
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<SecurityEvent>> ListAsync(string? userId, int take, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.SecurityEvents.AsNoTracking();
        if (userId is not null)
        {
            query = query.Where(e => e.UserId == userId);
        }

        var rows = await query.OrderByDescending(e => e.Id).Take(take).ToListAsync(ct);
        return [.. rows.Select(e => new SecurityEvent(e.At, e.Kind, e.UserId, e.Email, e.Address, e.Detail))];
    }
}
