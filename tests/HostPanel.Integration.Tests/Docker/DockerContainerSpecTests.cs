using HostPanel.Core.Engine;

namespace HostPanel.Integration.Tests.Docker;

/// <summary>What a <see cref="ContainerSpec"/> asks for is what the real engine runs.</summary>
public sealed class DockerContainerSpecTests() : EngineTestScope("spec")
{
    private static readonly TimeSpan HealthWait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AContainerWithAPassingHealthCheckBecomesHealthy()
    {
        var id = await StartAsync(WebSpec("web") with
        {
            Health = new HealthCheck
            {
                Command = ["/usr/local/bin/healthcheck"],
                Interval = TimeSpan.FromSeconds(1),
                Timeout = TimeSpan.FromSeconds(3),
                Retries = 3,
                StartPeriod = TimeSpan.FromSeconds(5),
            },
        });

        var healthy = await EventuallyAsync(() => Engine.Containers.InspectAsync(id, Ct), c => c?.Health == ContainerHealth.Healthy, HealthWait, "healthy");
        Assert.True(healthy!.IsReady);

        // The list call (one engine request for the reconciler) sees the same health.
        var listed = Assert.Single(await Engine.Containers.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, Instance), Ct));
        Assert.Equal(ContainerHealth.Healthy, listed.Health);

        // Durations reach the engine as nanoseconds.
        var check = (await RawInspectAsync(id)).GetProperty("Config").GetProperty("Healthcheck");
        Assert.Equal(["CMD", "/usr/local/bin/healthcheck"], check.GetProperty("Test").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1_000_000_000L, check.GetProperty("Interval").GetInt64());
        Assert.Equal(3_000_000_000L, check.GetProperty("Timeout").GetInt64());
        Assert.Equal(5_000_000_000L, check.GetProperty("StartPeriod").GetInt64());
        Assert.Equal(3, check.GetProperty("Retries").GetInt32());
    }

    [Fact]
    public async Task AContainerWhoseHealthCheckFailsBecomesUnhealthy()
    {
        var id = await StartAsync(WebSpec("web") with
        {
            Health = new HealthCheck { Command = ["/bin/false"], Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(2), Retries = 2 },
        });

        var unhealthy = await EventuallyAsync(() => Engine.Containers.InspectAsync(id, Ct), c => c?.Health == ContainerHealth.Unhealthy, HealthWait, "unhealthy");

        Assert.Equal(ContainerState.Running, unhealthy!.State);
        Assert.False(unhealthy.IsReady);
        Assert.Equal(ContainerHealth.Unhealthy, Assert.Single(await Engine.Containers.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, Instance), Ct)).Health);
    }

    [Fact]
    public async Task AContainerWithoutHealthCheckHasNoHealth()
    {
        var id = await StartAsync(WebSpec("web"));

        var running = await Engine.Containers.InspectAsync(id, Ct);

        Assert.Equal(ContainerHealth.None, running!.Health);
        Assert.True(running.IsReady);
        Assert.NotNull(running.StartedAt);
        Assert.InRange(running.StartedAt.Value, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(0, running.RestartCount);
        Assert.StartsWith("sha256:", running.ImageId, StringComparison.Ordinal);
        Assert.Equal(running.ImageId, (await Engine.Images.InspectAsync(running.Image, Ct))!.Id);

        var listed = Assert.Single(await Engine.Containers.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, Instance), Ct));
        Assert.Equal(running.ImageId, listed.ImageId);
        Assert.Null(listed.StartedAt);
        Assert.Null(listed.RestartCount);
    }

    [Fact]
    public async Task JoinsSeveralNetworksUnderTheirAliases()
    {
        var front = await NetworkAsync("front");
        var back = await NetworkAsync("back");
        var id = await StartAsync(WebSpec("web") with
        {
            Networks = [new NetworkAttachment(front, ["site"]), new NetworkAttachment(back, ["api", "api-v1"])],
        });
        var probe = await StartAsync(WebSpec("probe") with { Networks = [new NetworkAttachment(front), new NetworkAttachment(back)] });

        var web = (await Engine.Containers.InspectAsync(id, Ct))!;
        Assert.Equal([back, front], web.Networks.Order(StringComparer.Ordinal));
        Assert.Equal(2, web.Addresses.Count);
        Assert.Matches(@"^\d+\.\d+\.\d+\.\d+$", web.Addresses[front]);
        Assert.Matches(@"^\d+\.\d+\.\d+\.\d+$", web.Addresses[back]);
        Assert.NotEqual(web.Addresses[front], web.Addresses[back]);

        // The list call gives the same addresses.
        var listed = (await Engine.Containers.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, Instance), Ct)).Single(c => c.Id == id);
        Assert.Equal(web.Addresses[front], listed.Addresses[front]);
        Assert.Equal(web.Addresses[back], listed.Addresses[back]);

        // Each alias resolves, on its own network, to the address the container has there.
        Assert.Equal(web.Addresses[front], await ResolveAsync(probe, "site"));
        Assert.Equal(web.Addresses[back], await ResolveAsync(probe, "api"));
        Assert.Equal(web.Addresses[back], await ResolveAsync(probe, "api-v1"));

        // And the process in the test world reaches the container directly by either address.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal("ok", (await http.GetStringAsync($"http://{web.Addresses[back]}:8080/health", Ct)).Trim());
    }

    [Fact]
    public async Task HostNetworkCannotBeCombinedWithNetworks()
    {
        var front = await NetworkAsync("front");

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            Engine.Containers.CreateAsync(WebSpec("web") with { HostNetwork = true, Networks = [new NetworkAttachment(front)] }, Ct));

        Assert.Contains("host network", error.Message);
        Assert.Null(await Engine.Containers.InspectAsync($"{Instance}-web", Ct));
    }

    [Fact]
    public async Task AMissingNetworkIsRefusedBeforeAnythingIsCreated()
    {
        // The engine itself would accept attaching a created container to a missing network and
        // only fail at start; the adapter checks first.
        var front = await NetworkAsync("front");

        var error = await Assert.ThrowsAsync<ContainerEngineException>(() => CreateAsync(WebSpec("web") with
        {
            Networks = [new NetworkAttachment(front), new NetworkAttachment($"{Instance}-missing")],
        }));

        Assert.Contains($"the network {Instance}-missing does not exist", error.Message);
        Assert.Null(await Engine.Containers.InspectAsync($"{Instance}-web", Ct));
    }

    [Fact]
    public async Task HostNetworkSharesTheHostsNetworkStack()
    {
        var id = await CreateAsync(WebSpec("web") with { HostNetwork = true, Command = ["sleep", "60"] });

        var raw = await RawInspectAsync(id);

        Assert.Equal("host", raw.GetProperty("HostConfig").GetProperty("NetworkMode").GetString());
        Assert.Equal(["host"], (await Engine.Containers.InspectAsync(id, Ct))!.Networks);
    }

    [Fact]
    public async Task AppliesResourceLimits()
    {
        var id = await StartAsync(WebSpec("web") with
        {
            MemoryLimitBytes = 96L * 1024 * 1024,
            Cpus = 0.5,
            PidsLimit = 64,
            ShmSizeBytes = 32L * 1024 * 1024,
            Ulimits = [new Ulimit("nofile", 1024, 2048)],
        });

        var host = (await RawInspectAsync(id)).GetProperty("HostConfig");
        Assert.Equal(96L * 1024 * 1024, host.GetProperty("Memory").GetInt64());
        Assert.Equal(500_000_000L, host.GetProperty("NanoCpus").GetInt64());
        Assert.Equal(64, host.GetProperty("PidsLimit").GetInt64());
        Assert.Equal(32L * 1024 * 1024, host.GetProperty("ShmSize").GetInt64());
        var nofile = Assert.Single(host.GetProperty("Ulimits").EnumerateArray());
        Assert.Equal("nofile", nofile.GetProperty("Name").GetString());
        Assert.Equal(1024, nofile.GetProperty("Soft").GetInt64());
        Assert.Equal(2048, nofile.GetProperty("Hard").GetInt64());

        // The app's own process feels them. Read from /proc/1/limits rather than from the exec'd
        // shell's `ulimit`: runc exec sets a new process's NOFILE limit with a known race
        // (opencontainers/runc#4195), so the shell's own limit is occasionally the hard one.
        var inside = await Engine.Containers.ExecAsync(id, new ExecRequest
        {
            Command = ["sh", "-c", "grep 'Max open files' /proc/1/limits; df -k /dev/shm | tail -n 1"],
            Timeout = TimeSpan.FromSeconds(10),
        }, Ct);
        var lines = inside.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["Max", "open", "files", "1024", "2048", "files"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(" 32768 ", lines[1]);
    }

    [Fact]
    public async Task AddsCapabilities()
    {
        const int netAdminBit = 12;
        var plain = await StartAsync(WebSpec("plain"));
        var admin = await StartAsync(WebSpec("admin") with { CapAdd = ["NET_ADMIN"] });

        Assert.False(HasCapability(await EffectiveCapabilitiesAsync(plain), netAdminBit));
        Assert.True(HasCapability(await EffectiveCapabilitiesAsync(admin), netAdminBit));
        Assert.Equal(["NET_ADMIN"], (await RawInspectAsync(admin)).GetProperty("HostConfig").GetProperty("CapAdd").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ReadOnlyRootFilesystemStillWritesToTmpfsAndVolumes()
    {
        var volume = $"{Instance}-data";
        await Engine.Volumes.EnsureAsync(new VolumeSpec(volume, Labels), Ct);
        OnCleanup(() => Engine.Volumes.RemoveAsync(volume, CancellationToken.None));
        var id = await StartAsync(WebSpec("web") with
        {
            ReadOnlyRootFilesystem = true,
            Tmpfs = ["/tmp", "/run:size=1m,mode=1777"],
            Volumes = [new VolumeMount(volume, "/data")],
        });

        var result = await Engine.Containers.ExecAsync(id, new ExecRequest
        {
            Command = ["sh", "-c", "echo t > /tmp/t && cat /tmp/t; echo r > /run/r && cat /run/r; cat /data/starts.log | wc -l; touch /etc/nope"],
            Timeout = TimeSpan.FromSeconds(10),
        }, Ct);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(["t", "r", "1"], result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        Assert.Contains("Read-only file system", result.Stderr);
        var host = (await RawInspectAsync(id)).GetProperty("HostConfig");
        Assert.True(host.GetProperty("ReadonlyRootfs").GetBoolean());
        Assert.Equal("size=1m,mode=1777", host.GetProperty("Tmpfs").GetProperty("/run").GetString());
    }

    [Fact]
    public async Task SetsWorkingDirectoryStopSignalAndStopGrace()
    {
        var id = await StartAsync(WebSpec("web") with
        {
            WorkingDirectory = "/srv",
            StopSignal = "SIGINT",
            StopGrace = TimeSpan.FromSeconds(2.5),
        });

        var config = (await RawInspectAsync(id)).GetProperty("Config");
        Assert.Equal("/srv", config.GetProperty("WorkingDir").GetString());
        Assert.Equal("SIGINT", config.GetProperty("StopSignal").GetString());
        Assert.Equal(3, config.GetProperty("StopTimeout").GetInt32());
        Assert.Equal("/srv", (await Engine.Containers.ExecAsync(id, new ExecRequest { Command = ["pwd"], Timeout = TimeSpan.FromSeconds(10) }, Ct)).Stdout.Trim());
    }

    [Theory]
    [InlineData(RestartPolicy.UnlessStopped, "unless-stopped")]
    [InlineData(RestartPolicy.OnFailure, "on-failure")]
    [InlineData(RestartPolicy.No, "no")]
    public async Task MapsTheRestartPolicy(RestartPolicy policy, string engineName)
    {
        var id = await CreateAsync(WebSpec("web") with { Restart = policy });

        Assert.Equal(engineName, (await RawInspectAsync(id)).GetProperty("HostConfig").GetProperty("RestartPolicy").GetProperty("Name").GetString());
    }

    [Fact]
    public async Task OnFailureRestartsAFailingContainerAndCountsIt()
    {
        var id = await StartAsync(WebSpec("job") with { Restart = RestartPolicy.OnFailure, Command = ["sh", "-c", "exit 1"] });

        var restarted = await EventuallyAsync(() => Engine.Containers.InspectAsync(id, Ct), c => c?.RestartCount >= 1, TimeSpan.FromSeconds(20), "restarted by the engine");

        Assert.True(restarted!.RestartCount >= 1);
    }

    [Fact]
    public async Task RefusesAnInvalidSpecBeforeAskingTheEngine()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Engine.Containers.CreateAsync(WebSpec("web") with
        {
            Cpus = -1,
            Health = new HealthCheck { Command = [], Interval = TimeSpan.Zero },
            Tmpfs = ["tmp"],
        }, Ct));

        Assert.Contains("CPU limit", error.Message);
        Assert.Contains("health check has no command", error.Message);
        Assert.Contains("interval", error.Message);
        Assert.Contains("tmpfs", error.Message);
        Assert.Null(await Engine.Containers.InspectAsync($"{Instance}-web", Ct));
    }

    private async Task<string> ResolveAsync(string probeId, string alias)
    {
        // busybox ping prints the address it resolved: "PING site (172.18.0.2): 56 data bytes".
        var result = await Engine.Containers.ExecAsync(probeId, new ExecRequest { Command = ["ping", "-c", "1", "-W", "2", alias], Timeout = TimeSpan.FromSeconds(15) }, Ct);
        var start = result.Stdout.IndexOf('(', StringComparison.Ordinal);
        var end = result.Stdout.IndexOf(')', StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"ping {alias}: {result.Stdout} {result.Stderr}");
        return result.Stdout[(start + 1)..end];
    }

    private async Task<ulong> EffectiveCapabilitiesAsync(string id)
    {
        var result = await Engine.Containers.ExecAsync(id, new ExecRequest { Command = ["grep", "CapEff", "/proc/1/status"], Timeout = TimeSpan.FromSeconds(10) }, Ct);
        return Convert.ToUInt64(result.Stdout.Split(':')[1].Trim(), 16);
    }

    private static bool HasCapability(ulong mask, int bit) => (mask & (1UL << bit)) != 0;
}
