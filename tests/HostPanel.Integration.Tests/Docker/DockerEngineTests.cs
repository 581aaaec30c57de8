using System.Net;
using System.Net.Http.Json;
using HostPanel.Core.Engine;
using HostPanel.Integration.Tests.TestWorld;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Integration.Tests.Docker;

/// <summary>The Docker adapter against the test world's real engine and registry.</summary>
public sealed class DockerEngineTests : IAsyncDisposable
{
    private readonly ServiceProvider _services = World.Services();
    private readonly List<Func<Task>> _cleanup = [];

    private IContainerEngine Engine => _services.GetRequiredService<IContainerEngine>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReportsTheEngineVersion()
    {
        var status = await Engine.System.GetStatusAsync(Ct);

        Assert.True(status.Reachable, status.Problem);
        Assert.Equal(World.DockerHost, status.Endpoint);
        Assert.Matches(@"^\d+\.\d+", status.Version);
        Assert.Matches(@"^1\.\d+$", status.ApiVersion);
        Assert.Equal("linux", status.OperatingSystem);
    }

    [Fact]
    public async Task ReportsAnUnreachableEngineWithoutThrowing()
    {
        var missing = $"unix:///tmp/{Guid.NewGuid():N}.sock";
        await using var services = World.Services(missing);

        var status = await services.GetRequiredService<IContainerEngine>().System.GetStatusAsync(Ct);

        Assert.False(status.Reachable);
        Assert.Contains("no engine socket", status.Problem);
    }

    [Fact]
    public async Task AnUnreachableEngineIsAnEngineErrorForEveryCall()
    {
        // The first call of a client asks the engine for its version: that call too must say
        // "the engine" rather than leak the HTTP layer's exception to the pages that catch engine errors.
        var missing = $"unix:///tmp/{Guid.NewGuid():N}.sock";
        await using var services = World.Services(missing);
        var engine = services.GetRequiredService<IContainerEngine>();

        var containers = await Assert.ThrowsAsync<ContainerEngineException>(() => engine.Containers.ListAsync(LabelFilter.Managed, Ct));
        var volumes = await Assert.ThrowsAsync<ContainerEngineException>(() => engine.Volumes.ListAsync(LabelFilter.Managed, Ct));

        Assert.Contains("cannot connect to the engine socket", containers.Message, StringComparison.Ordinal);
        Assert.Contains("cannot connect to the engine socket", volumes.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullsFromTheLocalRegistryWithLayerProgress()
    {
        var reference = ImageReference.Parse(await ScratchImage.PushAsync(Ct));
        _cleanup.Add(() => ScratchImage.RemoveAsync(reference.ToString()));
        Assert.Null(await Engine.Images.InspectAsync(reference.ToString(), Ct));
        var events = new List<PullProgress>();

        await Engine.Images.PullAsync(reference, new Recorder<PullProgress>(events), Ct);

        var image = await Engine.Images.InspectAsync(reference.ToString(), Ct);
        Assert.NotNull(image);
        Assert.Contains(reference.ToString(), image.Tags);
        Assert.Contains(events, e => e.LayerId is not null && e.Status is "Pull complete" or "Download complete" or "Already exists");
        Assert.Contains(events, e => e.Status.StartsWith("Status: Downloaded newer image", StringComparison.Ordinal));
        // Bytes are told for both the download and the extraction of each layer, and at their ends.
        var layer = events.First(e => e.Phase == PullPhase.Downloading).LayerId;
        Assert.Contains(events, e => e.LayerId == layer && e.Phase == PullPhase.Downloading && e.Current > 0 && e.Total > 0);
        Assert.Contains(events, e => e.LayerId == layer && e.Phase == PullPhase.Extracting && e.Current > 0 && e.Total > 0);
        var downloaded = Assert.Single(events, e => e.LayerId == layer && e.Phase == PullPhase.Downloaded);
        Assert.True(downloaded.Total > 0 && downloaded.Current == downloaded.Total, $"download end: {downloaded}");
        var complete = Assert.Single(events, e => e.LayerId == layer && e.Phase == PullPhase.Complete);
        Assert.True(complete.Total > 0 && complete.Current == complete.Total, $"layer end: {complete}");

        // Folded per layer, the pull ends with every layer done and every byte counted.
        var tracker = new PullProgressTracker();
        events.ForEach(tracker.Report);
        Assert.All(tracker.Layers, l => Assert.True(l.Done, $"{l.LayerId} is {l.Phase}"));
        Assert.Equal(tracker.KnownDownloadBytes, tracker.DownloadedBytes);
        Assert.True(tracker.DownloadedBytes > 0);
    }

    [Fact]
    public async Task PullingAgainIsIdempotent()
    {
        var reference = ImageReference.Parse(World.WebImage);
        await Engine.Images.PullAsync(reference, null, Ct);
        var image = await Engine.Images.InspectAsync(reference.ToString(), Ct);
        var events = new List<PullProgress>();

        await Engine.Images.PullAsync(reference, new Recorder<PullProgress>(events), Ct);

        Assert.Contains(events, e => e.Status.StartsWith("Status: Image is up to date", StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => e.Phase == PullPhase.Downloading);
        Assert.Equal(image!.Id, (await Engine.Images.InspectAsync(reference.ToString(), Ct))!.Id);

        // By digest, an image already here is not asked for again.
        var byDigest = ImageReference.Parse(Assert.Single(image.Digests));
        var digestEvents = new List<PullProgress>();
        await Engine.Images.PullAsync(byDigest, new Recorder<PullProgress>(digestEvents), Ct);
        Assert.Equal("Status: Image is up to date for " + byDigest, Assert.Single(digestEvents).Status);
    }

    [Fact]
    public async Task PullOfAMissingTagFailsWithTheEnginesReason()
    {
        var reference = ImageReference.Parse($"{World.Registry}/hostpanel-test/web:does-not-exist");

        var error = await Assert.ThrowsAsync<ContainerEngineException>(() => Engine.Images.PullAsync(reference, null, Ct));

        Assert.Contains(reference.ToString(), error.Message);
    }

    [Fact]
    public async Task CreatesInspectsListsAndRemovesALabelledContainer()
    {
        await Engine.Images.PullAsync(ImageReference.Parse(World.WebImage), null, Ct);
        var instance = World.UniqueName("inst");
        var labels = World.Labels(instance);
        var network = $"{instance}-net";
        var volume = $"{instance}-data";
        await Engine.Networks.EnsureAsync(new NetworkSpec(network, labels, Internal: true), Ct);
        _cleanup.Add(() => Engine.Networks.RemoveAsync(network, Ct));
        await Engine.Volumes.EnsureAsync(new VolumeSpec(volume, labels), Ct);
        _cleanup.Add(() => Engine.Volumes.RemoveAsync(volume, Ct));

        var id = await Engine.Containers.CreateAsync(
            new ContainerSpec
            {
                Name = $"{instance}-web",
                Image = World.WebImage,
                Labels = labels,
                Environment = new Dictionary<string, string> { ["GREETING"] = "bonjour" },
                Volumes = [new VolumeMount(volume, "/data")],
                Networks = [new NetworkAttachment(network, ["web"])],
                MemoryLimitBytes = 64 * 1024 * 1024,
            },
            Ct);
        _cleanup.Add(() => Engine.Containers.RemoveAsync(id, force: true, Ct));
        await Engine.Containers.StartAsync(id, Ct);

        var running = await Engine.Containers.InspectAsync(id, Ct);
        Assert.NotNull(running);
        Assert.Equal(ContainerState.Running, running.State);
        Assert.Equal($"{instance}-web", running.Name);
        Assert.Equal(instance, running.Labels[HostPanelLabels.Instance]);

        var listed = await Engine.Containers.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, instance), Ct);
        Assert.Equal(id, Assert.Single(listed).Id);
        Assert.Empty(await Engine.Containers.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, instance + "-other"), Ct));
        Assert.Equal(network, Assert.Single(await Engine.Networks.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, instance), Ct)).Name);
        Assert.Equal(volume, Assert.Single(await Engine.Volumes.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, instance), Ct)).Name);

        await Engine.Containers.StopAsync(id, TimeSpan.FromSeconds(5), Ct);
        Assert.Equal(ContainerState.Exited, (await Engine.Containers.InspectAsync(id, Ct))!.State);
        await Engine.Containers.RemoveAsync(id, force: false, Ct);
        await Engine.Networks.RemoveAsync(network, Ct);

        Assert.Null(await Engine.Containers.InspectAsync(id, Ct));
        Assert.Empty(await Engine.Containers.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, instance), Ct));
        Assert.Empty(await Engine.Networks.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, instance), Ct));

        // Removing a container never removes its data: the volume is still there.
        Assert.Single(await Engine.Volumes.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, instance), Ct));
    }

    [Fact]
    public async Task EnsuringTwiceKeepsOneNetworkAndOneVolume()
    {
        var instance = World.UniqueName("twice");
        var labels = World.Labels(instance);
        var name = $"{instance}-x";
        var first = await Engine.Networks.EnsureAsync(new NetworkSpec(name, labels, Internal: false), Ct);
        _cleanup.Add(() => Engine.Networks.RemoveAsync(name, Ct));
        await Engine.Volumes.EnsureAsync(new VolumeSpec(name, labels), Ct);
        _cleanup.Add(() => Engine.Volumes.RemoveAsync(name, Ct));

        var second = await Engine.Networks.EnsureAsync(new NetworkSpec(name, labels, Internal: false), Ct);
        await Engine.Volumes.EnsureAsync(new VolumeSpec(name, labels), Ct);

        Assert.Equal(first, second);
        Assert.Single(await Engine.Networks.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, instance), Ct));
        Assert.Single(await Engine.Volumes.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, instance), Ct));
    }

    [Fact]
    public async Task RefusesToCreateAnObjectWithoutTheManagedLabel()
    {
        var name = World.UniqueName("unlabelled");
        var labels = new Dictionary<string, string> { [HostPanelLabels.Instance] = name };

        await Assert.ThrowsAsync<ArgumentException>(() => Engine.Containers.CreateAsync(new ContainerSpec { Name = name, Image = World.WebImage, Labels = labels }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Engine.Volumes.EnsureAsync(new VolumeSpec(name, labels), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Engine.Networks.EnsureAsync(new NetworkSpec(name, labels, false), Ct));

        Assert.Null(await Engine.Containers.InspectAsync(name, Ct));
    }

    [Fact]
    public async Task LeavesAloneWhatItDidNotLabel()
    {
        await Engine.Images.PullAsync(ImageReference.Parse(World.WebImage), null, Ct);
        var name = World.UniqueName("foreign");
        using var raw = World.RawEngine();
        using (var created = await raw.PostAsJsonAsync($"/containers/create?name={name}", new { Image = World.WebImage, Labels = new Dictionary<string, string> { ["owner"] = "someone-else" } }, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        _cleanup.Add(() => RawDeleteAsync($"/containers/{name}?force=true"));
        using (var created = await raw.PostAsJsonAsync("/volumes/create", new { Name = name }, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        _cleanup.Add(() => RawDeleteAsync($"/volumes/{name}"));

        await Assert.ThrowsAsync<NotManagedByHostPanelException>(() => Engine.Containers.RemoveAsync(name, force: true, Ct));
        await Assert.ThrowsAsync<NotManagedByHostPanelException>(() => Engine.Containers.StartAsync(name, Ct));
        await Assert.ThrowsAsync<NotManagedByHostPanelException>(() => Engine.Volumes.RemoveAsync(name, Ct));
        await Assert.ThrowsAsync<NotManagedByHostPanelException>(() => Engine.Volumes.EnsureAsync(new VolumeSpec(name, HostPanelLabels.Base()), Ct));

        Assert.NotNull(await Engine.Containers.InspectAsync(name, Ct));
        Assert.DoesNotContain(await Engine.Containers.ListAsync(LabelFilter.Managed, Ct), c => c.Name == name);
        Assert.DoesNotContain(await Engine.Volumes.ListAsync(LabelFilter.Managed, Ct), v => v.Name == name);
    }

    [Fact]
    public async Task RemovingWhatIsAlreadyGoneIsNotAnError()
    {
        var name = World.UniqueName("gone");

        await Engine.Containers.RemoveAsync(name, force: true, Ct);
        await Engine.Volumes.RemoveAsync(name, Ct);
        await Engine.Networks.RemoveAsync(name, Ct);
        await Engine.Images.RemoveAsync($"{World.Registry}/hostpanel-test/{name}:1", Ct);

        Assert.Null(await Engine.Containers.InspectAsync(name, Ct));
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _cleanup.Count - 1; i >= 0; i--)
        {
            try
            {
                await _cleanup[i]();
            }
            catch (ContainerEngineException)
            {
                // Best effort: the assertion that failed already tells the story.
            }
        }

        await _services.DisposeAsync();
    }

    private static async Task RawDeleteAsync(string path)
    {
        using var raw = World.RawEngine();
        using var response = await raw.DeleteAsync(path, CancellationToken.None);
        Assert.True(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound, $"DELETE {path}: {(int)response.StatusCode}");
    }

    private sealed class Recorder<T>(List<T> into) : IProgress<T>
    {
        public void Report(T value) => into.Add(value);
    }
}
