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
                await journal.SetStateAsync(operation.Id, OperationState.Interrupted, operation.Outcome, operation.Detail, DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
                var finished = await runner.RunAsync(operation.Id, ct).ConfigureAwait(false);
                resumed.Add($"{operation.Kind} of {operation.Instance}: {finished.State}");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                drift.Add($"{operation.Instance}: the interrupted {operation.Kind} could not be finished ({e.Message})");
            }
        }

        var restarted = new List<string>();
        var containers = await engine.Containers.ListAsync(LabelFilter.Managed, ct).ConfigureAwait(false);
        var known = await instances.ListAsync(null, includeRemoved: true, ct).ConfigureAwait(false);

        foreach (var instance in known)
        {
            var mine = containers.Where(c => c.Labels.GetValueOrDefault(HostPanelLabels.Instance) == instance.Name).ToList();
            if (instance.State is InstanceState.Removed)
            {
                drift.AddRange(mine.Select(c => $"{instance.Name}: container {c.Name} exists although the app was removed"));
                continue;
            }

            if (instance.State is not (InstanceState.Running or InstanceState.Stopped))
            {
                drift.Add($"{instance.Name}: recorded as {instance.State} with no operation in progress");
                continue;
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

        var names = known.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        drift.AddRange(containers
            .Where(c => c.Labels.TryGetValue(HostPanelLabels.Instance, out var owner) && !names.Contains(owner))
            .Select(c => $"container {c.Name} belongs to {c.Labels[HostPanelLabels.Instance]}, which HostPanel no longer knows; left as it is"));
        return new ReconcileReport(resumed, restarted, drift);
    }
}
