using System.Collections.ObjectModel;

namespace HostPanel.Core.Apps;

/// <summary>Where an installed app stands.</summary>
public enum InstanceState
{
    /// <summary>Being installed; not usable yet.</summary>
    Installing,

    /// <summary>Its services run (or should: health says whether they are well).</summary>
    Running,

    /// <summary>Stopped on purpose.</summary>
    Stopped,

    /// <summary>An update or a rollback is in progress.</summary>
    Updating,

    /// <summary>A restore from a backup is in progress.</summary>
    Restoring,

    /// <summary>The last operation failed and could not put it back as it was; see the operation.</summary>
    Failed,

    /// <summary>Removed; its data (volumes and secrets) is kept and it can be reinstalled on it.</summary>
    Removed,
}

/// <summary>
/// An installed app («le Nextcloud de l'asso»): which catalog app, which version, where, for
/// which organization. Its secrets are not here: they live encrypted in the secret store.
/// </summary>
public sealed record AppInstance
{
    public const string NamePattern = "^[a-z][a-z0-9-]{1,30}$";

    /// <summary>Unique on the server; names its containers, networks and volumes.</summary>
    public required string Name { get; init; }

    public required string OrganizationId { get; init; }

    public required string AppId { get; init; }

    public required string Version { get; init; }

    public int Revision { get; init; } = 1;

    public string? Domain { get; init; }

    public string Path { get; init; } = "/";

    public InstanceState State { get; init; } = InstanceState.Installing;

    /// <summary>Answers to the install questions that are not secret (passwords go to the secret store).</summary>
    public IReadOnlyDictionary<string, string> Answers { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Where installed apps are kept.</summary>
public interface IInstanceStore
{
    Task<AppInstance?> FindAsync(string name, CancellationToken ct = default);

    /// <summary>Installed apps, removed ones included only when asked.</summary>
    Task<IReadOnlyList<AppInstance>> ListAsync(string? organizationId = null, bool includeRemoved = false, CancellationToken ct = default);

    /// <summary>Adds a new instance; fails with <see cref="InstanceNameTakenException"/> when the name is used.</summary>
    Task AddAsync(AppInstance instance, CancellationToken ct = default);

    Task UpdateAsync(AppInstance instance, CancellationToken ct = default);

    /// <summary>Forgets the instance entirely (after a purge).</summary>
    Task DeleteAsync(string name, CancellationToken ct = default);
}

public sealed class InstanceNameTakenException(string name)
    : InvalidOperationException($"The name '{name}' is already used by another installed app.")
{
    public string InstanceName { get; } = name;
}

public sealed class DomainTakenException(string domain, string takenBy)
    : InvalidOperationException($"The domain '{domain}' is already used by the installed app '{takenBy}'.")
{
    public string Domain { get; } = domain;

    /// <summary>The installed app that uses the domain.</summary>
    public string TakenBy { get; } = takenBy;
}
