using HostPanel.Core.Accounts;
using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Catalog.Validation;
using HostPanel.Core.Certificates;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;

namespace HostPanel.Core.Apps;

/// <summary>How an app's containers are doing, as a person reads it.</summary>
public enum AppHealth
{
    /// <summary>The engine could not be asked.</summary>
    Unknown,

    /// <summary>The app has no container (being installed, or removed with its data kept).</summary>
    None,

    /// <summary>Every container runs and passes its health check.</summary>
    Healthy,

    /// <summary>Some containers run, others do not or fail their check.</summary>
    Degraded,

    /// <summary>No container runs.</summary>
    Stopped,
}

public static class AppHealths
{
    /// <summary>The health of <paramref name="instance"/> from the engine's list of managed containers.</summary>
    public static AppHealth Of(AppInstance instance, IEnumerable<ContainerInfo> containers)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var mine = ServiceContainers(instance.Name, containers);
        if (mine.Count == 0)
        {
            return AppHealth.None;
        }

        if (mine.All(c => c.IsReady))
        {
            return AppHealth.Healthy;
        }

        return mine.Any(c => c.State == ContainerState.Running) ? AppHealth.Degraded : AppHealth.Stopped;
    }

    /// <summary>
    /// The containers of <paramref name="instance"/>'s services among <paramref name="containers"/>:
    /// not its one-off jobs, nor the previous version's kept aside during an update.
    /// </summary>
    public static IReadOnlyList<ContainerInfo> ServiceContainers(string instance, IEnumerable<ContainerInfo> containers)
    {
        ArgumentNullException.ThrowIfNull(containers);
        return [.. containers.Where(c => c.Labels.GetValueOrDefault(HostPanelLabels.Instance) == instance
            && !c.Labels.ContainsKey("hostpanel.job")
            && !c.Name.EndsWith("-previous", StringComparison.Ordinal))];
    }

    /// <summary>The word the CLI and the API print.</summary>
    public static string Word(AppHealth health) => health.ToString().ToLowerInvariant();
}

/// <summary>
/// One installed app as the dashboard shows it: what it is, where, how it is doing, and whether
/// its data is safe (last backup, last proven restore) and its address trusted (certificate).
/// </summary>
public sealed record AppTile
{
    public required string Instance { get; init; }
    public required string OrganizationId { get; init; }
    public required string AppId { get; init; }

    /// <summary>The app's name from its manifest ("Nextcloud"); the app id when the catalog no longer has it.</summary>
    public required string AppName { get; init; }

    public string? Domain { get; init; }
    public required InstanceState State { get; init; }
    public required AppHealth Health { get; init; }
    public required string Version { get; init; }

    /// <summary>A newer version the catalog offers, if any.</summary>
    public string? AvailableVersion { get; init; }

    public DateTimeOffset? LastBackup { get; init; }

    /// <summary>When a restore drill last proved the backups restorable.</summary>
    public DateTimeOffset? LastProvenRestore { get; init; }

    public DateTimeOffset? CertificateNotAfter { get; init; }

    /// <summary>An operation on the app that has not finished (its progress can be watched).</summary>
    public Guid? RunningOperation { get; init; }

    /// <summary>The last finished operation, when it did not succeed (its outcome says why).</summary>
    public Operation? LastFailure { get; init; }
}

/// <summary>
/// The read side of the dashboard: the apps a caller may see, with what the engine, the catalog,
/// the journal and the certificate records say about each. One engine call and one journal read
/// for the whole list; an unreachable engine gives <see cref="AppHealth.Unknown"/>, not an error.
/// </summary>
public sealed class AppOverview(
    AccessControl access,
    IAppCatalog catalog,
    IContainerEngine engine,
    IOperationJournal journal,
    CertificateService? certificates = null)
{
    /// <summary>How many journal entries are read to find the last backup and drill of each app.</summary>
    public const int JournalDepth = 2000;

    public async Task<IReadOnlyList<AppTile>> ListAsync(Caller caller, string? organizationId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var instances = await access.AppsAsync(caller, organizationId, includeRemoved: false, ct).ConfigureAwait(false);
        if (instances.Count == 0)
        {
            return [];
        }

        IReadOnlyList<ContainerInfo>? containers;
        try
        {
            containers = await engine.Containers.ListAsync(LabelFilter.Managed, ct).ConfigureAwait(false);
        }
        catch (ContainerEngineException)
        {
            containers = null;
        }

        var manifests = catalog.Load().Apps.GroupBy(a => a.Manifest.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Manifest, StringComparer.Ordinal);
        var operations = new List<Operation>();
        foreach (var organization in instances.Select(i => i.OrganizationId).Distinct(StringComparer.Ordinal))
        {
            operations.AddRange(await journal.ListAsync(null, organization, JournalDepth, ct).ConfigureAwait(false));
        }

        var byInstance = operations.GroupBy(o => o.Instance, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(o => o.CreatedAt).ToList(), StringComparer.Ordinal);
        var certificateByDomain = certificates is null
            ? new Dictionary<string, CertificateRecord>(StringComparer.Ordinal)
            : (await certificates.ListAsync(caller, ct).ConfigureAwait(false)).ToDictionary(c => c.Domain, StringComparer.Ordinal);

        return [.. instances.OrderBy(i => i.Name, StringComparer.Ordinal).Select(i => Tile(i, containers, manifests.GetValueOrDefault(i.AppId), byInstance.GetValueOrDefault(i.Name) ?? [], certificateByDomain))];
    }

    private static AppTile Tile(AppInstance instance, IReadOnlyList<ContainerInfo>? containers, AppManifest? manifest, List<Operation> operations, Dictionary<string, CertificateRecord> certificates)
    {
        string? available = null;
        if (manifest is not null && AppVersion.TryParse(manifest.Version, out var offered) && AppVersion.TryParse(instance.Version, out var installed) && offered.CompareTo(installed) > 0)
        {
            available = manifest.Version;
        }

        var lastFinished = operations.FirstOrDefault(o => o.IsFinished);
        return new AppTile
        {
            Instance = instance.Name,
            OrganizationId = instance.OrganizationId,
            AppId = instance.AppId,
            AppName = manifest?.Name ?? instance.AppId,
            Domain = instance.Domain,
            State = instance.State,
            Health = containers is null ? AppHealth.Unknown : AppHealths.Of(instance, containers),
            Version = instance.Version,
            AvailableVersion = available,
            LastBackup = operations.FirstOrDefault(o => o.Kind == OperationKind.Backup && o.State == OperationState.Succeeded)?.FinishedAt,
            LastProvenRestore = operations.FirstOrDefault(o => o.Kind == OperationKind.Drill && o.State == OperationState.Succeeded)?.FinishedAt,
            CertificateNotAfter = instance.Domain is { } domain && certificates.TryGetValue(domain, out var certificate) ? certificate.NotAfter : null,
            RunningOperation = operations.FirstOrDefault(o => !o.IsFinished && o.State != OperationState.Interrupted)?.Id,
            LastFailure = lastFinished is { State: OperationState.Failed or OperationState.RolledBack } ? lastFinished : null,
        };
    }
}
