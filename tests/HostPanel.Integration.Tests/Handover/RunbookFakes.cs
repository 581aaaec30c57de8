using HostPanel.Core.Accounts;
using HostPanel.Core.Handover;

namespace HostPanel.Integration.Tests.Handover;

/// <summary>
/// The recovery kit, external accounts and bus-factor checks the runbook reads, held in memory
/// until their own implementations are registered with the lifecycle.
/// </summary>
internal sealed class HandoverState : IRecoveryKitState, IExternalAccounts, IBusFactorChecks
{
    public RecoveryKitSummary? Kit { get; set; }

    public List<ExternalAccount> Accounts { get; } = [];

    public List<BusFactorFinding> Findings { get; } = [];

    public Task<RecoveryKitSummary?> CurrentAsync(CancellationToken ct = default) => Task.FromResult(Kit);

    public Task<IReadOnlyList<ExternalAccount>> ListAsync(Caller caller, string organizationId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ExternalAccount>>([.. Accounts.Where(a => a.OrganizationId == organizationId)]);

    public Task<IReadOnlyList<BusFactorFinding>> CheckAsync(Caller caller, string? organizationId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<BusFactorFinding>>([.. Findings.Where(f => organizationId is null || f.OrganizationId == organizationId)]);
}

/// <summary>An engine that does not answer (as when Docker is stopped): every call fails as the adapter reports it.</summary>
internal class UnreachableEngine : System.Reflection.DispatchProxy
{
    public static HostPanel.Core.Engine.IContainerEngine Create()
    {
        var engine = Create<HostPanel.Core.Engine.IContainerEngine, UnreachableEngine>();
        return engine;
    }

    protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args) =>
        targetMethod?.Name switch
        {
            "get_Containers" => Part<HostPanel.Core.Engine.IEngineContainers>(),
            "get_Volumes" => Part<HostPanel.Core.Engine.IEngineVolumes>(),
            "get_System" => Part<HostPanel.Core.Engine.IEngineSystem>(),
            "get_Images" => Part<HostPanel.Core.Engine.IEngineImages>(),
            "get_Networks" => Part<HostPanel.Core.Engine.IEngineNetworks>(),
            _ => throw new HostPanel.Core.Engine.ContainerEngineException("The container engine does not answer."),
        };

    private static T Part<T>()
        where T : class => Create<T, UnreachableEngine>();
}
