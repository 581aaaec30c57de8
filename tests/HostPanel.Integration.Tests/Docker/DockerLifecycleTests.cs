using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using HostPanel.Core.Engine;
using HostPanel.Integration.Tests.TestWorld;

namespace HostPanel.Integration.Tests.Docker;

/// <summary>Jobs, logs, restarts, renames and network changes on the real engine.</summary>
public sealed class DockerLifecycleTests() : EngineTestScope("life")
{
    [Fact]
    public async Task WaitReturnsTheExitCodeOfAJob()
    {
        var id = await StartAsync(WebSpec("job") with { Command = ["sh", "-c", "sleep 1; exit 3"] });

        var exitCode = await Engine.Containers.WaitAsync(id, TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(3, exitCode);
        var done = (await Engine.Containers.InspectAsync(id, Ct))!;
        Assert.Equal(ContainerState.Exited, done.State);
        Assert.Equal(3, done.ExitCode);
        Assert.Equal(3, Assert.Single(await Engine.Containers.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, Instance), Ct)).ExitCode);

        // Waiting again for a finished job answers at once.
        Assert.Equal(3, await Engine.Containers.WaitAsync(id, TimeSpan.FromSeconds(5), Ct));
    }

    [Fact]
    public async Task WaitGivesUpAfterItsTimeoutAndLeavesTheContainerRunning()
    {
        var id = await StartAsync(WebSpec("job") with { Command = ["sleep", "60"] });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<EngineTimeoutException>(() => Engine.Containers.WaitAsync(id, TimeSpan.FromSeconds(1), Ct));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Contains("still running after 1 s", error.Message);
        Assert.Equal(ContainerState.Running, (await Engine.Containers.InspectAsync(id, Ct))!.State);
    }

    [Fact]
    public async Task ANeverStartedContainerHasNoExitCode()
    {
        var id = await CreateAsync(WebSpec("web"));

        var created = (await Engine.Containers.InspectAsync(id, Ct))!;

        Assert.Equal(ContainerState.Created, created.State);
        Assert.Null(created.ExitCode);
        Assert.Null(created.StartedAt);
        Assert.Empty(created.Addresses);

        // Waiting for it would not be a job's result.
        var error = await Assert.ThrowsAsync<ContainerEngineException>(() => Engine.Containers.WaitAsync(id, TimeSpan.FromSeconds(5), Ct));
        Assert.Contains("never started", error.Message);
        await Assert.ThrowsAsync<ContainerEngineException>(() => Engine.Containers.WaitAsync(World.UniqueName("missing"), TimeSpan.FromSeconds(5), Ct));
    }

    [Fact]
    public async Task LogsGiveTheTailThenFollowNewLines()
    {
        var id = await StartAsync(WebSpec("talker") with
        {
            Command = ["sh", "-c", "echo first; echo oops >&2; echo second; sleep 2; echo later; sleep 60"],
        });
        await EventuallyAsync(() => ReadAllAsync(id, tail: -1), lines => lines.Count >= 3, TimeSpan.FromSeconds(15), "three lines logged");

        var all = await ReadAllAsync(id, tail: -1);
        Assert.Equal(["first", "second"], all.Where(l => l.Stream == LogStream.Stdout).Select(l => l.Text).Take(2));
        Assert.Equal("oops", Assert.Single(all, l => l.Stream == LogStream.Stderr).Text);
        Assert.All(all, l => Assert.InRange(l.Timestamp!.Value, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddMinutes(1)));

        // Outputs are separate pipes, so their relative order is the engine's: the tail follows it.
        Assert.Equal(all[^1], Assert.Single(await ReadAllAsync(id, tail: 1)));

        // Following from now on sees the line written after it began.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        stop.CancelAfter(TimeSpan.FromSeconds(20));
        LogLine? later = null;
        await foreach (var line in Engine.Containers.LogsAsync(id, tail: 0, follow: true, stop.Token))
        {
            if (line.Text == "later")
            {
                later = line;
                break;
            }
        }

        Assert.NotNull(later);
        Assert.Equal(LogStream.Stdout, later.Stream);
    }

    [Fact]
    public async Task FollowingStopsWhenCancelled()
    {
        var id = await StartAsync(WebSpec("quiet") with { Command = ["sleep", "60"] });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        stop.CancelAfter(TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in Engine.Containers.LogsAsync(id, tail: -1, follow: true, stop.Token))
            {
            }
        });

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task FollowingEndsWhenTheContainerStops()
    {
        var id = await StartAsync(WebSpec("short") with { Command = ["sh", "-c", "echo bye; sleep 1"] });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        stop.CancelAfter(TimeSpan.FromSeconds(20));

        var lines = new List<LogLine>();
        await foreach (var line in Engine.Containers.LogsAsync(id, tail: -1, follow: true, stop.Token))
        {
            lines.Add(line);
        }

        Assert.False(stop.IsCancellationRequested, "the stream should end by itself when the container exits");
        Assert.Equal("bye", Assert.Single(lines).Text);
    }

    [Fact]
    public async Task LogsOfAMissingContainerSaySo()
    {
        var error = await Assert.ThrowsAsync<ContainerEngineException>(() => ReadAllAsync(World.UniqueName("missing"), -1));

        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public async Task RestartRunsTheMainProcessAgain()
    {
        var volume = $"{Instance}-data";
        await Engine.Volumes.EnsureAsync(new VolumeSpec(volume, Labels), Ct);
        OnCleanup(() => Engine.Volumes.RemoveAsync(volume, CancellationToken.None));
        var id = await StartAsync(WebSpec("web") with { Volumes = [new VolumeMount(volume, "/data")] });
        var before = (await Engine.Containers.InspectAsync(id, Ct))!;
        await EventuallyAsync(() => StartsLoggedAsync(id), n => n == 1, TimeSpan.FromSeconds(10), "started once");

        await Engine.Containers.RestartAsync(id, TimeSpan.FromSeconds(5), Ct);

        var after = (await Engine.Containers.InspectAsync(id, Ct))!;
        Assert.Equal(ContainerState.Running, after.State);
        Assert.True(after.StartedAt > before.StartedAt, $"{after.StartedAt} should be after {before.StartedAt}");
        Assert.Equal(2, await EventuallyAsync(() => StartsLoggedAsync(id), n => n == 2, TimeSpan.FromSeconds(10), "started twice"));
    }

    [Fact]
    public async Task RenameKeepsTheContainerUnderItsNewName()
    {
        var id = await StartAsync(WebSpec("web"));
        var aside = $"{Instance}-web-previous";

        await Engine.Containers.RenameAsync(id, aside, Ct);

        Assert.Null(await Engine.Containers.InspectAsync($"{Instance}-web", Ct));
        var renamed = (await Engine.Containers.InspectAsync(aside, Ct))!;
        Assert.Equal(id, renamed.Id);
        Assert.Equal(aside, renamed.Name);
        Assert.Equal(ContainerState.Running, renamed.State);

        // The old name is free again for the next version.
        await CreateAsync(WebSpec("web"));
        Assert.Equal(2, (await Engine.Containers.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, Instance), Ct)).Count);
    }

    [Fact]
    public async Task RenameRefusesANameInUse()
    {
        var first = await CreateAsync(WebSpec("one"));
        await CreateAsync(WebSpec("two"));

        var error = await Assert.ThrowsAsync<ContainerEngineException>(() => Engine.Containers.RenameAsync(first, $"{Instance}-two", Ct));

        Assert.Contains("409", error.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => Engine.Containers.RenameAsync(first, "no spaces allowed", Ct));
    }

    [Fact]
    public async Task ConnectsAndDisconnectsARunningContainer()
    {
        var front = await NetworkAsync("front");
        var back = await NetworkAsync("back");
        var web = await StartAsync(WebSpec("web") with { Networks = [new NetworkAttachment(back, ["db"])] });
        var probe = await StartAsync(WebSpec("probe") with { Networks = [new NetworkAttachment(front)] });

        await Engine.Networks.ConnectAsync(front, web, ["shop"], Ct);
        await Engine.Networks.ConnectAsync(front, web, ["shop"], Ct);

        var connected = (await Engine.Containers.InspectAsync(web, Ct))!;
        Assert.Equal([back, front], connected.Networks.Order(StringComparer.Ordinal));
        var ping = await Engine.Containers.ExecAsync(probe, new ExecRequest { Command = ["ping", "-c", "1", "-W", "2", "shop"], Timeout = TimeSpan.FromSeconds(15) }, Ct);
        Assert.Equal(0, ping.ExitCode);
        Assert.Contains(connected.Addresses[front], ping.Stdout);

        await Engine.Networks.DisconnectAsync(front, web, Ct);
        await Engine.Networks.DisconnectAsync(front, web, Ct);

        var disconnected = (await Engine.Containers.InspectAsync(web, Ct))!;
        Assert.Equal([back], disconnected.Networks);
        Assert.False(disconnected.Addresses.ContainsKey(front));

        // By address, not by name: a name that no longer resolves is looked up outside, slowly.
        var gone = await Engine.Containers.ExecAsync(probe, new ExecRequest { Command = ["ping", "-c", "1", "-W", "1", connected.Addresses[front]], Timeout = TimeSpan.FromSeconds(15) }, Ct);
        Assert.NotEqual(0, gone.ExitCode);
    }

    [Fact]
    public async Task LeavesForeignContainersAndNetworksAlone()
    {
        var ours = await NetworkAsync("ours");
        var mine = await CreateAsync(WebSpec("web"));
        var foreign = await ForeignContainerAsync(start: false);
        var foreignNetwork = World.UniqueName("foreign-net");
        using (var raw = World.RawEngine())
        using (var created = await raw.PostAsJsonAsync("/networks/create", new { Name = foreignNetwork, Internal = true }, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        OnCleanup(async () =>
        {
            using var raw = World.RawEngine();
            using var _ = await raw.DeleteAsync($"/networks/{foreignNetwork}", CancellationToken.None);
        });

        await Assert.ThrowsAsync<NotManagedByHostPanelException>(() => Engine.Containers.RestartAsync(foreign, TimeSpan.FromSeconds(1), Ct));
        await Assert.ThrowsAsync<NotManagedByHostPanelException>(() => Engine.Containers.RenameAsync(foreign, World.UniqueName("x"), Ct));
        await Assert.ThrowsAsync<NotManagedByHostPanelException>(() => Engine.Networks.ConnectAsync(ours, foreign, null, Ct));
        await Assert.ThrowsAsync<NotManagedByHostPanelException>(() => Engine.Networks.ConnectAsync(foreignNetwork, mine, null, Ct));
        await Assert.ThrowsAsync<NotManagedByHostPanelException>(() => Engine.Networks.DisconnectAsync(foreignNetwork, mine, Ct));
        await Assert.ThrowsAsync<NotManagedByHostPanelException>(() =>
            Engine.Containers.CreateAsync(WebSpec("other") with { Networks = [new NetworkAttachment(foreignNetwork)] }, Ct));
    }

    private async Task<List<LogLine>> ReadAllAsync(string id, int tail)
    {
        var lines = new List<LogLine>();
        await foreach (var line in Engine.Containers.LogsAsync(id, tail, follow: false, Ct))
        {
            lines.Add(line);
        }

        return lines;
    }

    private async Task<int> StartsLoggedAsync(string id)
    {
        var result = await Engine.Containers.ExecAsync(id, new ExecRequest { Command = ["cat", "/data/starts.log"], Timeout = TimeSpan.FromSeconds(10) }, Ct);
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
    }
}
