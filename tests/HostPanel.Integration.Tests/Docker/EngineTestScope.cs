using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HostPanel.Core.Engine;
using HostPanel.Integration.Tests.TestWorld;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Integration.Tests.Docker;

/// <summary>
/// What the Docker adapter tests share: the real engine, a per-test instance name and labels,
/// and a clean-up list run in reverse order when the test ends, whatever its outcome.
/// </summary>
public abstract class EngineTestScope : IAsyncDisposable
{
    private readonly ServiceProvider _services = World.Services();
    private readonly List<Func<Task>> _cleanup = [];

    protected EngineTestScope(string prefix)
    {
        Instance = World.UniqueName(prefix);
        Labels = World.Labels(Instance);
    }

    protected IContainerEngine Engine => _services.GetRequiredService<IContainerEngine>();

    protected string Instance { get; }

    protected Dictionary<string, string> Labels { get; }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected void OnCleanup(Func<Task> step) => _cleanup.Add(step);

    /// <summary>A container spec on the web test image, labelled for this test.</summary>
    protected ContainerSpec WebSpec(string service) => new()
    {
        Name = $"{Instance}-{service}",
        Image = World.WebImage,
        Labels = Labels,
        Restart = RestartPolicy.No,
    };

    /// <summary>Creates the container (pulling its image first) and removes it when the test ends.</summary>
    protected async Task<string> CreateAsync(ContainerSpec spec)
    {
        await Engine.Images.PullAsync(ImageReference.Parse(spec.Image), null, Ct);
        var id = await Engine.Containers.CreateAsync(spec, Ct);
        OnCleanup(() => Engine.Containers.RemoveAsync(id, force: true, CancellationToken.None));
        return id;
    }

    protected async Task<string> StartAsync(ContainerSpec spec)
    {
        var id = await CreateAsync(spec);
        await Engine.Containers.StartAsync(id, Ct);
        return id;
    }

    /// <summary>A network for this test, removed when it ends (after the containers on it).</summary>
    protected async Task<string> NetworkAsync(string suffix, bool isInternal = true)
    {
        var name = $"{Instance}-{suffix}";
        await Engine.Networks.EnsureAsync(new NetworkSpec(name, Labels, isInternal), Ct);
        OnCleanup(() => Engine.Networks.RemoveAsync(name, CancellationToken.None));
        return name;
    }

    /// <summary>Asks the engine until <paramref name="condition"/> holds; fails with <paramref name="what"/> after the timeout.</summary>
    protected static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (condition(value))
            {
                return value;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"Not {what} within {timeout.TotalSeconds:0} s; last seen: {value}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), Ct);
        }
    }

    /// <summary>The engine's own inspect document, for settings HostPanel's records do not carry.</summary>
    protected static async Task<JsonElement> RawInspectAsync(string id)
    {
        using var raw = World.RawEngine();
        return await raw.GetFromJsonAsync<JsonElement>($"/containers/{id}/json", Ct);
    }

    /// <summary>Creates a container HostPanel does not own, through the raw API (the adapter refuses to).</summary>
    protected async Task<string> ForeignContainerAsync(bool start)
    {
        await Engine.Images.PullAsync(ImageReference.Parse(World.WebImage), null, Ct);
        var name = World.UniqueName("foreign");
        using var raw = World.RawEngine();
        using (var created = await raw.PostAsJsonAsync($"/containers/create?name={name}", new { Image = World.WebImage, Labels = new Dictionary<string, string> { ["owner"] = "someone-else" } }, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        OnCleanup(async () =>
        {
            using var cleanup = World.RawEngine();
            using var _ = await cleanup.DeleteAsync($"/containers/{name}?force=true", CancellationToken.None);
        });
        if (start)
        {
            using var started = await raw.PostAsync($"/containers/{name}/start", null, Ct);
            Assert.True(started.IsSuccessStatusCode, $"start {name}: {(int)started.StatusCode}");
        }

        return name;
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
        GC.SuppressFinalize(this);
    }
}
