using HostPanel.Core.Apps;
using HostPanel.Core.Apps.Execution;
using HostPanel.Core.Operations;

namespace HostPanel.Core.Backups;

/// <summary>
/// What undoes a failed backup or restore; other operations go to the lifecycle's compensation.
/// A failed backup runs the post-backup hooks (the app leaves maintenance whatever happened);
/// a failed restore puts the data it set aside back and the app as it was — until the restore
/// dropped that data (the app then runs on the restored data): from there it is carried forward.
/// </summary>
public sealed class BackupCompensation(AppCompensation lifecycle, IInstanceStore instances, IPackageArchive packages, IOperationJournal journal) : ICompensationPlanner
{
    public async Task<IReadOnlyList<PlanStep>?> UndoAsync(Operation operation, IReadOnlyList<OperationStep> done, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.Kind is not (OperationKind.Backup or OperationKind.Restore))
        {
            return await lifecycle.UndoAsync(operation, done, ct).ConfigureAwait(false);
        }

        var instance = await instances.FindAsync(operation.Instance, ct).ConfigureAwait(false);
        if (instance is null)
        {
            return null;
        }

        var plan = await journal.StepsAsync(operation.Id, ct).ConfigureAwait(false);
        var manifest = await packages.ManifestAsync(instance.Name, operation.ToVersion ?? instance.Version, ct).ConfigureAwait(false);
        if (operation.Kind == OperationKind.Backup)
        {
            return [.. BackupPlanner.PostBackup(manifest)];
        }

        if (plan.Any(s => !s.Undo && s.Step is DropSetAsideDataStep && s.State is StepState.Done or StepState.Running or StepState.Failed))
        {
            return null;
        }

        var stage = plan.Select(s => s.Step).OfType<StageBackupStep>().First();
        var kept = plan.Select(s => s.Step).OfType<EnsureVolumeStep>().Where(v => v.ExistedBefore).Select(v => v.Volume).ToHashSet(StringComparer.Ordinal);
        return BackupPlanner.UndoRestore(manifest, instance, stage.Previous, kept, AppCompensation.RegisteredSsoClient(plan));
    }
}
