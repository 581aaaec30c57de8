using System.Collections.ObjectModel;

namespace HostPanel.Core.Accounts;

/// <summary>What a person may do inside one organization.</summary>
public enum OrganizationRole
{
    /// <summary>Uses the organization's apps that their groups are allowed.</summary>
    Member = 1,

    /// <summary>Runs the organization: its members, groups, apps and backups, within its quota.</summary>
    Administrator = 2,
}

/// <summary>How a role is typed and shown outside: "member" or "admin".</summary>
public static class OrganizationRoles
{
    public static string Word(OrganizationRole role) => role == OrganizationRole.Administrator ? "admin" : "member";

    /// <summary>"member" (also when empty), "admin"; the French words too. Anything else is refused, naming the field.</summary>
    public static OrganizationRole Parse(string? word) => word?.Trim().ToLowerInvariant() switch
    {
        null or "" or "member" or "membre" => OrganizationRole.Member,
        "admin" or "administrator" or "administrateur" => OrganizationRole.Administrator,
        _ => throw new Apps.AppRequestException("role", Resources.CoreText.Get("RoleInvalid")),
    };
}

/// <summary>
/// Who asks for something, as every application service receives it: a person signed in to the
/// panel, a personal access token, root on the server (the CLI), or the panel itself (schedules).
/// Built once where the request enters (cookie, token, command line) and decided on in one place,
/// <see cref="AccessControl"/>.
/// </summary>
public sealed record Caller
{
    /// <summary>The account id, or <see cref="ServerId"/> / <see cref="SystemId"/>.</summary>
    public required string Id { get; init; }

    /// <summary>The name the journal and the audit show (an e-mail address, "root", "schedule").</summary>
    public required string Name { get; init; }

    /// <summary>Sees and manages every organization.</summary>
    public bool IsHosterAdministrator { get; init; }

    /// <summary>The caller's role in each organization they belong to.</summary>
    public IReadOnlyDictionary<string, OrganizationRole> Roles { get; init; } = ReadOnlyDictionary<string, OrganizationRole>.Empty;

    /// <summary>The personal access token the request came with, if any.</summary>
    public string? TokenId { get; init; }

    public const string ServerId = "server";
    public const string SystemId = "system";

    /// <summary>Root on the server, through the CLI: the key that must always open (hoster rights).</summary>
    public static Caller Server(string name) => new() { Id = ServerId, Name = name, IsHosterAdministrator = true };

    /// <summary>The panel acting on its own (schedules, recovery after a crash).</summary>
    public static Caller System(string name) => new() { Id = SystemId, Name = name, IsHosterAdministrator = true };

    /// <summary>The role in <paramref name="organizationId"/>: administrator everywhere for a hoster administrator.</summary>
    public OrganizationRole? RoleIn(string organizationId) =>
        IsHosterAdministrator ? OrganizationRole.Administrator
        : Roles.TryGetValue(organizationId, out var role) ? role : null;

    /// <summary>A person's account (not root, not the panel itself).</summary>
    public bool IsPerson => Id is not (ServerId or SystemId);

    public override string ToString() => Name;
}
