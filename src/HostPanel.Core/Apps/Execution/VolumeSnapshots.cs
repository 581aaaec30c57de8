using HostPanel.Core.Engine;

namespace HostPanel.Core.Apps.Execution;

/// <summary>
/// Copies of an app's volumes taken while its containers are stopped, so that a failed update can
/// put the data back byte for byte. (Backups to a repository come later behind the same idea.)
/// </summary>
public interface IVolumeSnapshots
{
    Task SnapshotAsync(AppInstance instance, IReadOnlyList<string> volumes, CancellationToken ct = default);

    Task RestoreAsync(AppInstance instance, IReadOnlyList<string> volumes, CancellationToken ct = default);

    Task DropAsync(AppInstance instance, IReadOnlyList<string> volumes, CancellationToken ct = default);
}

/// <summary>
/// Snapshots as sibling volumes, copied by a short-lived container of a small utility image
/// (busybox-like: sh, find, cp). `cp -a` keeps owners, modes, times and links.
/// </summary>
public sealed class EngineVolumeSnapshots(IContainerEngine engine, string utilityImage) : IVolumeSnapshots
{
    private static readonly TimeSpan CopyTimeout = TimeSpan.FromHours(2);

    public static string SnapshotName(string volume) => $"{volume}-snapshot";

    private static string CopyContainer(AppInstance instance) => $"hp-{instance.Name}-copy";

    public Task SnapshotAsync(AppInstance instance, IReadOnlyList<string> volumes, CancellationToken ct = default) =>
        CopyAllAsync(instance, volumes, toSnapshot: true, ct);

    public Task RestoreAsync(AppInstance instance, IReadOnlyList<string> volumes, CancellationToken ct = default) =>
        CopyAllAsync(instance, volumes, toSnapshot: false, ct);

    public async Task DropAsync(AppInstance instance, IReadOnlyList<string> volumes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(volumes);

        // A copy that a killed process left running still holds the snapshot: it goes first.
        await engine.Containers.RemoveAsync(CopyContainer(instance), force: true, ct).ConfigureAwait(false);
        foreach (var volume in volumes)
        {
            await engine.Volumes.RemoveAsync(SnapshotName(volume), ct).ConfigureAwait(false);
        }
    }

    private async Task CopyAllAsync(AppInstance instance, IReadOnlyList<string> volumes, bool toSnapshot, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(volumes);
        if (await engine.Images.InspectAsync(utilityImage, ct).ConfigureAwait(false) is null)
        {
            await engine.Images.PullAsync(ImageReference.Parse(utilityImage), null, ct).ConfigureAwait(false);
        }

        foreach (var volume in volumes)
        {
            var snapshot = SnapshotName(volume);
            if (toSnapshot)
            {
                var labels = ContainerSpecBuilder.Labels(instance);
                labels["hostpanel.snapshot-of"] = volume;
                await engine.Volumes.EnsureAsync(new VolumeSpec(snapshot, labels), ct).ConfigureAwait(false);
            }

            await CopyAsync(instance, toSnapshot ? volume : snapshot, toSnapshot ? snapshot : volume, ct).ConfigureAwait(false);
        }
    }

    private async Task CopyAsync(AppInstance instance, string from, string to, CancellationToken ct)
    {
        // One fixed name: a copy a crash left running is removed before the next one starts, so
        // two copies never write into the same volume.
        var name = CopyContainer(instance);
        await engine.Containers.RemoveAsync(name, force: true, ct).ConfigureAwait(false);
        var labels = ContainerSpecBuilder.Labels(instance);
        labels["hostpanel.job"] = "true";
        var id = await engine.Containers.CreateAsync(
            new ContainerSpec
            {
                Name = name,
                Image = utilityImage,
                Labels = labels,
                Entrypoint = ["sh", "-c"],
                Command = ["find /to -mindepth 1 -maxdepth 1 -exec rm -rf {} + && cp -a /from/. /to/"],
                User = "0:0",
                Volumes = [new VolumeMount(from, "/from", ReadOnly: true), new VolumeMount(to, "/to")],
                Restart = RestartPolicy.No,
            },
            ct).ConfigureAwait(false);
        try
        {
            await engine.Containers.StartAsync(id, ct).ConfigureAwait(false);
            var exit = await engine.Containers.WaitAsync(id, CopyTimeout, ct).ConfigureAwait(false);
            if (exit != 0)
            {
                throw new ContainerEngineException($"Copying the volume {from} to {to} failed (exit code {exit}).");
            }
        }
        finally
        {
            await engine.Containers.RemoveAsync(id, force: true, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
