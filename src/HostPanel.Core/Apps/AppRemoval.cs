using HostPanel.Core.Apps.Planning;
using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;

namespace HostPanel.Core.Apps;

/// <summary>The plan that removes an app, for every service that removes one (the app service, a drill's copy).</summary>
public static class AppRemoval
{
    /// <summary>
    /// <see cref="LifecyclePlanner.Remove"/> with, for a purge, every volume the engine holds with
    /// the app's label (left by an older version or a snapshot too).
    /// </summary>
    public static async Task<IReadOnlyList<PlanStep>> PlanAsync(IContainerEngine engine, AppManifest manifest, AppInstance instance, bool purge, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(instance);
        var volumes = purge
            ? (await engine.Volumes.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, instance.Name), ct).ConfigureAwait(false)).Select(v => v.Name).ToList()
            : [];
        return LifecyclePlanner.Remove(manifest, instance, purge, volumes);
    }
}
