using HostPanel.Core.Engine;
using HostPanel.Core.Operations;

namespace HostPanel.Core.Apps;

/// <summary>What a reconciliation did and saw.</summary>
public sealed record ReconcileReport(IReadOnlyList<string> Resumed, IReadOnlyList<string> Restarted, IReadOnlyList<string> Drift);

/// <summary>
/// Brings the engine back in line with what HostPanel recorded: finishes or undoes interrupted
/// operations, starts what should run, and reports what differs and was not repaired. It reads
/// the engine's state in one labelled list call and never touches an object without
/// HostPanel's labels.
/// </summary>
public sealed class Reconciler(
    IOperationJournal journal,
    OperationRunner runner,
    InstanceLocks locks,
    IInstanceStore instances,
    AppService apps,
    IContainerEngine engine)
{
    public async Task<ReconcileReport> RunAsync(CancellationToken ct = default)
    {
        var resumed = new List<string>();
        var drift = new List<string>();
        foreach (var operation in await journal.UnfinishedAsync(ct).ConfigureAwait(false))
        {
            // One operation that cannot be finished must not keep the others from being looked at.
            try
            {
                // An operation whose app is locked is being run right now (by the panel or a
                // command): not interrupted, so not ours to touch.
                var finished = await locks.RunAsync(operation.Instance, LockWait.Fail, async () =>
                {
                    var current = await journal.FindAsync(operation.Id, ct).ConfigureAwait(false);
                    if (current is null || current.IsFinished)
                    {
                        return current;
                    }

                    await journal.SetStateAsync(operation.Id, OperationState.Interrupted, current.Outcome, current.Detail, DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
                    return await runner.RunAsync(operation.Id, ct).ConfigureAwait(false);
                }, ct).ConfigureAwait(false);
                if (finished is not null)
                {
                    resumed.Add($"{operation.Kind} of {operation.Instance}: {finished.State}");
                }
            }
            catch (InstanceBusyException)
            {
                drift.Add($"{operation.Instance}: its {operation.Kind} is running right now; left to finish");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                drift.Add($"{operation.Instance}: the interrupted {operation.Kind} could not be finished ({e.Message})");
            }
        }

        var restarted = new List<string>();
        // The apps first, then the engine: an app whose record changes after this read is skipped
        // below (CheckAsync), so the engine is never judged against an older record.
        var known = await instances.ListAsync(null, includeRemoved: true, ct).ConfigureAwait(false);
        var containers = await engine.Containers.ListAsync(LabelFilter.Managed, ct).ConfigureAwait(false);

        foreach (var instance in known)
        {
            try
            {
                await locks.RunAsync(instance.Name, LockWait.Fail, () => CheckAsync(instance, containers, restarted, drift, ct), ct).ConfigureAwait(false);
            }
            catch (InstanceBusyException)
            {
                // An operation is moving it right now; what it looks like mid-way is not drift.
            }
        }

        var names = known.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        drift.AddRange(containers
            .Where(c => c.Labels.TryGetValue(HostPanelLabels.Instance, out var owner) && !names.Contains(owner))
            .Select(c => $"container {c.Name} belongs to {c.Labels[HostPanelLabels.Instance]}, which HostPanel no longer knows; left as it is"));
        return new ReconcileReport(resumed, restarted, drift);
    }

    /// <summary>Compares one app with the engine (holding its lock); starts what should run.</summary>
    private async Task CheckAsync(AppInstance instance, IReadOnlyList<ContainerInfo> containers, List<string> restarted, List<string> drift, CancellationToken ct)
    {
        // The engine was listed before this app's lock was taken: an operation that ended in
        // between changed it, and the list may show it mid-way. Looked at next time.
        var now = await instances.FindAsync(instance.Name, ct).ConfigureAwait(false);
        if (now is null || now.UpdatedAt != instance.UpdatedAt || now.State != instance.State)
        {
            return;
        }

        var mine = containers.Where(c => c.Labels.GetValueOrDefault(HostPanelLabels.Instance) == instance.Name).ToList();
        if (instance.State is InstanceState.Removed)
        {
            drift.AddRange(mine.Select(c => $"{instance.Name}: container {c.Name} exists although the app was removed"));
            return;
        }

        if (instance.State is not (InstanceState.Running or InstanceState.Stopped))
        {
            drift.Add($"{instance.Name}: recorded as {instance.State} with no operation in progress");
            return;
        }

        var manifest = await apps.ManifestAsync(instance, instance.Version, ct).ConfigureAwait(false);
        foreach (var service in manifest.Services.Keys)
        {
            var name = ResourceNames.Container(instance.Name, service);
            var container = mine.FirstOrDefault(c => c.Name == name);
            if (container is null)
            {
                drift.Add($"{instance.Name}: the container of {service} is missing");
            }
            else if (instance.State == InstanceState.Running && container.State is not (ContainerState.Running or ContainerState.Restarting))
            {
                try
                {
                    await engine.Containers.StartAsync(container.Id, ct).ConfigureAwait(false);
                    restarted.Add($"{instance.Name}/{service}");
                }
                catch (ContainerEngineException e)
                {
                    drift.Add($"{instance.Name}: {service} should run but does not start ({e.Message})");
                }
            }
            else if (instance.State == InstanceState.Stopped && container.State == ContainerState.Running)
            {
                drift.Add($"{instance.Name}: {service} runs although the app was stopped");
            }
        }

        foreach (var extra in mine.Where(c => !c.Labels.ContainsKey("hostpanel.job") && manifest.Services.Keys.All(s => ResourceNames.Container(instance.Name, s) != c.Name)))
        {
            drift.Add($"{instance.Name}: unexpected container {extra.Name}");
        }
    }
}
