using System.Net;
using System.Reflection;
using HostPanel.Core.Accounts;
using HostPanel.Core.Backups;
using HostPanel.Core.Engine;
using HostPanel.Core.Handover;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;

namespace HostPanel.Core.Tests.Handover;

/// <summary>An engine that lists containers (none) and the volumes a test gives, with their mountpoints.</summary>
internal sealed class VolumeListingEngine : IContainerEngine, IEngineVolumes
{
    public List<VolumeInfo> Listed { get; } = [];

    public IEngineSystem System => throw new NotSupportedException();

    public IEngineImages Images => throw new NotSupportedException();

    public IEngineContainers Containers { get; } = Unexpected<IEngineContainers>.With("ListAsync", Task.FromResult<IReadOnlyList<ContainerInfo>>([]));

    public IEngineNetworks Networks => throw new NotSupportedException();

    public IEngineVolumes Volumes => this;

    public Task EnsureAsync(VolumeSpec spec, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<VolumeInfo>> ListAsync(LabelFilter filter, CancellationToken ct = default)
    {
        var wanted = filter.Selectors.Where(s => s.StartsWith(HostPanelLabels.Instance + "=", StringComparison.Ordinal)).Select(s => s[(HostPanelLabels.Instance.Length + 1)..]).ToList();
        return Task.FromResult<IReadOnlyList<VolumeInfo>>([.. Listed.Where(v => wanted.All(w => v.Labels.GetValueOrDefault(HostPanelLabels.Instance) == w))]);
    }

    public Task RemoveAsync(string name, CancellationToken ct = default) => throw new NotSupportedException();
}

/// <summary>An interface whose every call fails the test, but for one method that answers a fixed value.</summary>
internal class Unexpected<T> : DispatchProxy
    where T : class
{
    private string? _method;
    private object? _answer;

    public static T With(string? method = null, object? answer = null)
    {
        var proxy = Create<T, Unexpected<T>>();
        var self = (Unexpected<T>)(object)proxy;
        self._method = method;
        self._answer = answer;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        targetMethod?.Name == _method ? _answer : throw new NotSupportedException($"{typeof(T).Name}.{targetMethod?.Name} is not expected here.");
}

internal sealed class MemoryTargets : IBackupTargetStore
{
    public Dictionary<string, BackupTarget> Rows { get; } = new(StringComparer.Ordinal);

    public Task<BackupTarget?> FindAsync(string organizationId, CancellationToken ct = default) => Task.FromResult(Rows.GetValueOrDefault(organizationId));

    public Task SaveAsync(BackupTarget target, CancellationToken ct = default)
    {
        Rows[target.OrganizationId] = target;
        return Task.CompletedTask;
    }
}

internal sealed class MemoryQuotas : IQuotaStore
{
    public Dictionary<string, OrganizationQuota> Rows { get; } = new(StringComparer.Ordinal);

    public Task<OrganizationQuota?> FindAsync(string organizationId, CancellationToken ct = default) => Task.FromResult(Rows.GetValueOrDefault(organizationId));

    public Task SaveAsync(OrganizationQuota quota, CancellationToken ct = default)
    {
        Rows[quota.OrganizationId] = quota;
        return Task.CompletedTask;
    }
}

internal sealed class FixedAddresses(params string[] addresses) : HostPanel.Core.Domains.IServerAddresses
{
    public Task<IReadOnlyList<IPAddress>> GetAsync(CancellationToken ct = default) => Task.FromResult<IReadOnlyList<IPAddress>>([.. addresses.Select(IPAddress.Parse)]);
}

internal sealed class FixedKit : IRecoveryKitState
{
    public RecoveryKitSummary? Kit { get; set; }

    public Task<RecoveryKitSummary?> CurrentAsync(CancellationToken ct = default) => Task.FromResult(Kit);
}

/// <summary>External accounts by organization (the runbook itself must keep callers to their own).</summary>
internal sealed class RunbookExternalAccounts : IExternalAccounts
{
    public List<ExternalAccount> Rows { get; } = [];

    public Task<IReadOnlyList<ExternalAccount>> ListAsync(Caller caller, string organizationId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ExternalAccount>>([.. Rows.Where(a => a.OrganizationId == organizationId)]);
}

internal sealed class MemoryBusFactor : IBusFactorChecks
{
    public List<BusFactorFinding> Rows { get; } = [];

    public int Calls { get; private set; }

    public Task<IReadOnlyList<BusFactorFinding>> CheckAsync(Caller caller, string? organizationId, CancellationToken ct = default) =>
        ++Calls < 0 ? throw new InvalidOperationException() : Task.FromResult<IReadOnlyList<BusFactorFinding>>([.. Rows.Where(f => organizationId is null ? caller.IsHosterAdministrator || f.OrganizationId is { } o && caller.RoleIn(o) == OrganizationRole.Administrator : f.OrganizationId == organizationId)]);
}
