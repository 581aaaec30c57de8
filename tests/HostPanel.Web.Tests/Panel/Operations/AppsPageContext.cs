using Bunit;
using HostPanel.Core.Apps;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Panel.Operations;

/// <summary>
/// The panel's context for the pages that show apps and operations (the dashboard, the
/// operations): installed apps and journal entries arranged through the real stores, and the
/// real journal behind a <see cref="GatedJournal"/> to hold or break its reads.
/// </summary>
public abstract class AppsPageContext : PanelPageContext
{
    protected AppsPageContext(int catalogVersion = 1)
        : base(catalogVersion)
    {
        var real = Services.Last(d => d.ServiceType == typeof(IOperationJournal));
        Services.Remove(real);
        Services.AddSingleton(sp => new GatedJournal(real.ImplementationType is { } type
            ? (IOperationJournal)ActivatorUtilities.CreateInstance(sp, type)
            : (IOperationJournal)real.ImplementationFactory!(sp)));
        Services.AddSingleton<IOperationJournal>(sp => sp.GetRequiredService<GatedJournal>());
        AddBunitPersistentComponentState();
    }

    protected GatedJournal Journal => Get<GatedJournal>();

    protected static DateTimeOffset Now => DateTimeOffset.UtcNow;

    /// <summary>An installed app of <paramref name="organization"/> (created when missing).</summary>
    protected Task<AppInstance> InstallAsync(string name, string organization = Organization.DefaultId, string app = "notes", string version = "1", InstanceState state = InstanceState.Running, string? domain = null) =>
        AddInstanceAsync(name, organization, app, version, state, domain);

    /// <summary>An operation in the journal, as the runner leaves it; its versions are the app's unless given.</summary>
    protected async Task<Operation> RecordAsync(
        AppInstance instance,
        OperationKind kind,
        OperationState state,
        TimeSpan ago,
        string? outcome = null,
        string? detail = null,
        IReadOnlyList<PlanStep>? steps = null,
        string actor = "alice@velo.example",
        (string? From, string? To)? versions = null)
    {
        var finished = state is OperationState.Succeeded or OperationState.Failed or OperationState.RolledBack;
        var operation = new Operation
        {
            Id = Guid.CreateVersion7(),
            Instance = instance.Name,
            OrganizationId = instance.OrganizationId,
            Kind = kind,
            State = state,
            Actor = actor,
            FromVersion = versions is { } given ? given.From : instance.Version,
            ToVersion = versions is { } told ? told.To : instance.Version,
            CreatedAt = Now - ago,
            FinishedAt = finished ? Now - ago + TimeSpan.FromMinutes(2) : null,
            Outcome = outcome,
            Detail = detail,
        };
        await Journal.CreateAsync(operation, steps ?? [], Ct);
        return operation;
    }
}
