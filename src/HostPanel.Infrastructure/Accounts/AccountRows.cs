using HostPanel.Core.Accounts;
using HostPanel.Infrastructure.Data;
using HostPanel.Infrastructure.State;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostPanel.Infrastructure.Accounts;

internal static class AccountColumns
{
    public const int IdLength = 450;
    public const int EmailLength = 256;
    public const int HashLength = 64;
    public const int GroupLength = 40;
    public const int NameLength = 100;
    public const int TextLength = 500;
}

/// <summary>A <see cref="Membership"/> as the Memberships table holds it.</summary>
internal sealed class MembershipRow
{
    public string UserId { get; set; } = "";
    public string OrganizationId { get; set; } = "";
    public OrganizationRole Role { get; set; }
    public DateTimeOffset Since { get; set; }
    public bool Suspended { get; set; }
}

internal sealed class GroupRow
{
    public string OrganizationId { get; set; } = "";
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class GroupMemberRow
{
    public string OrganizationId { get; set; } = "";
    public string GroupName { get; set; } = "";
    public string UserId { get; set; } = "";
}

/// <summary>One group allowed to use one app; an app with no row is open to every member of its organization.</summary>
internal sealed class AppAccessRow
{
    public string Instance { get; set; } = "";
    public string OrganizationId { get; set; } = "";
    public string GroupName { get; set; } = "";
}

/// <summary>An app whose access is restricted to groups (possibly none), so that an empty list differs from "everyone".</summary>
internal sealed class AppAccessRuleRow
{
    public string Instance { get; set; } = "";
    public string OrganizationId { get; set; } = "";
}

internal sealed class InvitationRow
{
    public string Id { get; set; } = "";
    public string OrganizationId { get; set; } = "";
    public string Email { get; set; } = "";
    public OrganizationRole Role { get; set; }
    public string Groups { get; set; } = "";
    public string InvitedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public string SecretHash { get; set; } = "";

    public Invitation ToInvitation() => new(Id, OrganizationId, Email, Role,
        Groups.Length == 0 ? [] : Groups.Split(','), InvitedBy, CreatedAt, ExpiresAt, AcceptedAt);
}

internal sealed class AccessTokenRow
{
    public string Id { get; set; } = "";
    public string UserId { get; set; } = "";
    public string OrganizationId { get; set; } = "";
    public OrganizationRole Role { get; set; }
    public string Name { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public string SecretHash { get; set; } = "";

    public AccessToken ToToken() => new(Id, UserId, OrganizationId, Role, Name, CreatedAt, ExpiresAt, RevokedAt, LastUsedAt);
}

internal sealed class SecurityEventRow
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string Kind { get; set; } = "";
    public string? UserId { get; set; }
    public string? Email { get; set; }
    public string? Address { get; set; }
    public string? Detail { get; set; }
}

internal static class AccountModel
{
    /// <summary>Adds the account tables (memberships, groups, access, invitations, tokens, security events).</summary>
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<MembershipRow>(e =>
        {
            e.ToTable("Memberships");
            e.HasKey(m => new { m.UserId, m.OrganizationId });
            e.Property(m => m.UserId).HasMaxLength(AccountColumns.IdLength);
            e.Property(m => m.OrganizationId).HasMaxLength(StateColumns.SlugLength);
            e.Property(m => m.Role).HasConversion<string>().HasMaxLength(StateColumns.EnumLength);
            e.Property(m => m.Since).HasConversion(UtcTicks.Converter);
            e.HasIndex(m => m.OrganizationId);
            e.HasOne<HostPanelUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<GroupRow>(e =>
        {
            e.ToTable("Groups");
            e.HasKey(g => new { g.OrganizationId, g.Name });
            e.Property(g => g.OrganizationId).HasMaxLength(StateColumns.SlugLength);
            e.Property(g => g.Name).HasMaxLength(AccountColumns.GroupLength);
            e.Property(g => g.Description).HasMaxLength(Group.DescriptionMaxLength);
            e.Property(g => g.CreatedAt).HasConversion(UtcTicks.Converter);
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(g => g.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<GroupMemberRow>(e =>
        {
            e.ToTable("GroupMembers");
            e.HasKey(m => new { m.OrganizationId, m.GroupName, m.UserId });
            e.Property(m => m.OrganizationId).HasMaxLength(StateColumns.SlugLength);
            e.Property(m => m.GroupName).HasMaxLength(AccountColumns.GroupLength);
            e.Property(m => m.UserId).HasMaxLength(AccountColumns.IdLength);
            e.HasIndex(m => new { m.UserId, m.OrganizationId });
            e.HasOne<GroupRow>().WithMany().HasForeignKey(m => new { m.OrganizationId, m.GroupName }).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<HostPanelUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<AppAccessRuleRow>(e =>
        {
            e.ToTable("AppAccessRules");
            e.HasKey(a => a.Instance);
            e.Property(a => a.Instance).HasMaxLength(StateColumns.SlugLength);
            e.Property(a => a.OrganizationId).HasMaxLength(StateColumns.SlugLength);
        });

        builder.Entity<AppAccessRow>(e =>
        {
            e.ToTable("AppAccess");
            e.HasKey(a => new { a.Instance, a.GroupName });
            e.Property(a => a.Instance).HasMaxLength(StateColumns.SlugLength);
            e.Property(a => a.OrganizationId).HasMaxLength(StateColumns.SlugLength);
            e.Property(a => a.GroupName).HasMaxLength(AccountColumns.GroupLength);
            e.HasOne<GroupRow>().WithMany().HasForeignKey(a => new { a.OrganizationId, a.GroupName }).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<InvitationRow>(e =>
        {
            e.ToTable("Invitations");
            e.HasKey(i => i.Id);
            e.Property(i => i.Id).HasMaxLength(AccountColumns.HashLength);
            e.Property(i => i.OrganizationId).HasMaxLength(StateColumns.SlugLength);
            e.Property(i => i.Email).HasMaxLength(AccountColumns.EmailLength);
            e.Property(i => i.Role).HasConversion<string>().HasMaxLength(StateColumns.EnumLength);
            e.Property(i => i.Groups).HasMaxLength(AccountColumns.TextLength);
            e.Property(i => i.InvitedBy).HasMaxLength(AccountColumns.EmailLength);
            e.Property(i => i.CreatedAt).HasConversion(UtcTicks.Converter);
            e.Property(i => i.ExpiresAt).HasConversion(UtcTicks.Converter);
            e.Property(i => i.AcceptedAt).HasConversion(UtcTicks.Converter);
            e.Property(i => i.SecretHash).HasMaxLength(AccountColumns.HashLength);
            e.HasIndex(i => i.SecretHash).IsUnique();
            e.HasIndex(i => i.OrganizationId);
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(i => i.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<AccessTokenRow>(e =>
        {
            e.ToTable("AccessTokens");
            e.HasKey(t => t.Id);
            e.Property(t => t.Id).HasMaxLength(AccountColumns.HashLength);
            e.Property(t => t.UserId).HasMaxLength(AccountColumns.IdLength);
            e.Property(t => t.OrganizationId).HasMaxLength(StateColumns.SlugLength);
            e.Property(t => t.Role).HasConversion<string>().HasMaxLength(StateColumns.EnumLength);
            e.Property(t => t.Name).HasMaxLength(AccountColumns.NameLength);
            e.Property(t => t.CreatedAt).HasConversion(UtcTicks.Converter);
            e.Property(t => t.ExpiresAt).HasConversion(UtcTicks.Converter);
            e.Property(t => t.RevokedAt).HasConversion(UtcTicks.Converter);
            e.Property(t => t.LastUsedAt).HasConversion(UtcTicks.Converter);
            e.Property(t => t.SecretHash).HasMaxLength(AccountColumns.HashLength);
            e.HasIndex(t => t.SecretHash).IsUnique();
            e.HasIndex(t => t.UserId);
            e.HasOne<HostPanelUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<SecurityEventRow>(e =>
        {
            e.ToTable("SecurityEvents");
            e.HasKey(s => s.Id);
            e.Property(s => s.At).HasConversion(UtcTicks.Converter);
            e.Property(s => s.Kind).HasMaxLength(AccountColumns.GroupLength);
            e.Property(s => s.UserId).HasMaxLength(AccountColumns.IdLength);
            e.Property(s => s.Email).HasMaxLength(AccountColumns.EmailLength);
            e.Property(s => s.Address).HasMaxLength(AccountColumns.NameLength);
            e.Property(s => s.Detail).HasMaxLength(AccountColumns.TextLength);
            e.HasIndex(s => new { s.UserId, s.At });
        });
    }
}
