using HostPanel.Core.Apps.Planning;
using HostPanel.Core.Operations;

namespace HostPanel.Core.Apps.Execution;

/// <summary>
/// Decides what undoes an app operation from how far it went: a failed install takes away what it
/// created (never volumes that held data before); a failed update brings the previous version
/// back with its data; start, stop, restart and remove are simply carried forward again. A single
/// sign-on client the install or update created goes with it; one the app had before gets the
/// redirect addresses of the version it goes back to.
/// </summary>
public sealed class AppCompensation(IInstanceStore instances, IPackageArchive packages, IOperationJournal journal) : ICompensationPlanner
{
    public async Task<IReadOnlyList<PlanStep>?> UndoAsync(Operation operation, IReadOnlyList<OperationStep> done, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(done);
        if (operation.Kind is not (OperationKind.Install or OperationKind.Update or OperationKind.ChangeDomain))
        {
            return null;
        }

        var instance = await instances.FindAsync(operation.Instance, ct).ConfigureAwait(false);
        if (instance is null)
        {
            return null;
        }

        var plan = await journal.StepsAsync(operation.Id, ct).ConfigureAwait(false);
        if (operation.Kind == OperationKind.Install)
        {
            var manifest = await ManifestAsync(instance, operation.ToVersion!, ct).ConfigureAwait(false);
            var kept = plan.Select(s => s.Step).OfType<EnsureVolumeStep>().Where(v => v.ExistedBefore).Select(v => v.Volume).ToHashSet(StringComparer.Ordinal);
            return LifecyclePlanner.UndoInstall(manifest, instance, kept, RegisteredSsoClient(plan));
        }

        // Past the commit point — the new version runs, its hooks are done and the old containers
        // are being removed — going back is no longer possible: the update is carried forward.
        var commit = plan.FirstOrDefault(s => !s.Undo && s.Step is RemoveContainerStep r && r.Container.EndsWith("-previous", StringComparison.Ordinal));
        if (commit is not null && plan.Any(s => !s.Undo && s.Index >= commit.Index && s.State is StepState.Done or StepState.Running or StepState.Failed))
        {
            return null;
        }

        var current = await ManifestAsync(instance, operation.FromVersion!, ct).ConfigureAwait(false);
        var target = await ManifestAsync(instance, operation.ToVersion!, ct).ConfigureAwait(false);
        var setAside = done.Select(s => s.Step).OfType<RenameContainerStep>()
            .Where(r => r.To.EndsWith("-previous", StringComparison.Ordinal))
            .Select(r => current.Services.Keys.First(service => ResourceNames.PreviousContainer(instance.Name, service) == r.To))
            .ToHashSet(StringComparer.Ordinal);

        // A rename may have happened without its "done" mark (a crash right after it). Counting it
        // as done is safe: the rollback removes a container under the usual name only when it
        // runs the new version, and renaming back is a no-op when nothing was set aside.
        foreach (var step in plan.Where(s => s.State is StepState.Running or StepState.Failed).Select(s => s.Step).OfType<RenameContainerStep>())
        {
            var service = current.Services.Keys.FirstOrDefault(s => ResourceNames.PreviousContainer(instance.Name, s) == step.To);
            if (service is not null)
            {
                setAside.Add(service);
            }
        }

        // Only a finished snapshot is put back: one cut short by a crash is incomplete, and the
        // new version never ran on the volumes then (it starts after the snapshot).
        var snapshot = plan.Any(s => s.Step is SnapshotVolumesStep && s.State == StepState.Done);
        var begun = plan.Any(s => s.Step is SnapshotVolumesStep && s.State is StepState.Running or StepState.Failed);
        var ssoClient = plan.Where(s => !s.Undo).Select(s => s.Step).OfType<EnsureSsoClientStep>().FirstOrDefault();
        var rollback = LifecyclePlanner.Rollback(current, target, instance, setAside, snapshot, begun, ssoClient);

        // A move to another address goes back to the address it had.
        if (plan.FirstOrDefault(s => !s.Undo && s.Step is SetDomainStep && s.State is StepState.Done or StepState.Running or StepState.Failed)?.Step is SetDomainStep moved)
        {
            return [new SetDomainStep(moved.Previous, moved.Domain), .. rollback];
        }

        return rollback;
    }

    /// <summary>
    /// The operation registered the app's single sign-on client (its registration began) and the
    /// app had none before: undoing the operation removes it.
    /// </summary>
    public static bool RegisteredSsoClient(IReadOnlyList<OperationStep> plan) =>
        plan?.Any(s => !s.Undo && s.Step is EnsureSsoClientStep { ExistedBefore: false } && s.State is StepState.Done or StepState.Running or StepState.Failed) == true;

    private Task<Catalog.Model.AppManifest> ManifestAsync(AppInstance instance, string version, CancellationToken ct) =>
        packages.ManifestAsync(instance.Name, version, ct);
}
