using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;

namespace HostPanel.Web.Components.Pages.Apps;

/// <summary>What the app page read about one installed app, handed to each of its sections.</summary>
public sealed record AppView
{
    /// <summary>The person looking, as they were when the page read this.</summary>
    public required Caller Caller { get; init; }

    public required Organization Organization { get; init; }

    public required AppInstance Instance { get; init; }

    /// <summary>What the dashboard knows of the app (its name, a newer version, last backup and proven restore).</summary>
    public required AppTile Tile { get; init; }

    /// <summary>Administrators of the app's organization and hosters manage it; members only look.</summary>
    public required bool IsAdministrator { get; init; }

    /// <summary>The containers of the app's services, one per service; empty when the engine did not answer.</summary>
    public IReadOnlyList<ContainerInfo> Containers { get; init; } = [];

    /// <summary>Why the engine could not be asked (the status of the services is then unknown).</summary>
    public string? EngineProblem { get; init; }

    /// <summary>An operation on the app that has not finished, if any.</summary>
    public Operation? Running { get; init; }

    /// <summary>The app's operations, newest first (administrators only: the journal is theirs).</summary>
    public IReadOnlyList<Operation> History { get; init; } = [];

    public string Name => Instance.Name;

    /// <summary>The service a container runs (its label), or its name when unlabelled.</summary>
    public static string ServiceOf(ContainerInfo container)
    {
        ArgumentNullException.ThrowIfNull(container);
        return container.Labels.GetValueOrDefault(HostPanelLabels.Service) ?? container.Name;
    }
}
