using HostPanel.Core.Engine;

namespace HostPanel.Core.Tests.Engine;

public class ContainerSpecTests
{
    private static readonly ContainerSpec Valid = new()
    {
        Name = "hp-cloud-web",
        Image = "nextcloud:31.0.4",
        Labels = HostPanelLabels.Base(),
        Networks = [new NetworkAttachment("hp-cloud", ["web"]), new NetworkAttachment("hp-proxy")],
        Health = new HealthCheck { Command = ["/usr/local/bin/healthcheck"], Interval = TimeSpan.FromSeconds(5) },
        Cpus = 1.5,
        PidsLimit = 512,
        MemoryLimitBytes = 512L * 1024 * 1024,
        ShmSizeBytes = 128L * 1024 * 1024,
        Ulimits = [new Ulimit("nofile", 1024, 4096), new Ulimit("core", 0, 0), new Ulimit("memlock", -1, -1)],
        CapAdd = ["NET_ADMIN", "CAP_SYS_NICE"],
        ReadOnlyRootFilesystem = true,
        Tmpfs = ["/tmp", "/run:size=16m,mode=1777"],
        StopSignal = "SIGINT",
        StopGrace = TimeSpan.FromSeconds(30),
        WorkingDirectory = "/var/www",
    };

    [Fact]
    public void AFullSpecIsValid()
    {
        Assert.Empty(Valid.Validate());
    }

    [Fact]
    public void DefaultsAreUnlessStoppedAndTheEnginesDefaultNetwork()
    {
        var spec = new ContainerSpec { Name = "hp-a", Image = "x:1" };

        Assert.Equal(RestartPolicy.UnlessStopped, spec.Restart);
        Assert.Empty(spec.Networks);
        Assert.False(spec.HostNetwork);
        Assert.Null(spec.Health);
        Assert.Empty(spec.Validate());
    }

    [Theory]
    [InlineData("a", "not a valid container name")]
    [InlineData("-web", "not a valid container name")]
    [InlineData("web app", "not a valid container name")]
    public void RefusesNamesTheEngineRefuses(string name, string expected)
    {
        Assert.Contains((Valid with { Name = name }).Validate(), p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void HostNetworkExcludesOtherNetworks()
    {
        var problems = (Valid with { HostNetwork = true }).Validate();

        Assert.Equal("a container on the host network cannot also join other networks", Assert.Single(problems));
        Assert.Empty((Valid with { HostNetwork = true, Networks = [] }).Validate());
    }

    [Fact]
    public void ANetworkGivenTwiceIsAMistake()
    {
        var spec = Valid with { Networks = [new NetworkAttachment("hp-a"), new NetworkAttachment("hp-a", ["x"])] };

        Assert.Contains("the network hp-a is given twice", spec.Validate());
    }

    [Fact]
    public void HealthCheckDurationsMustBeUsable()
    {
        var spec = Valid with
        {
            Health = new HealthCheck { Command = [], Interval = TimeSpan.Zero, Timeout = TimeSpan.FromTicks(1), StartPeriod = TimeSpan.FromSeconds(-1), Retries = 0 },
        };

        Assert.Equal(
            [
                "the health check has no command",
                "the health check interval must be at least 1 ms",
                "the health check timeout must be at least 1 ms",
                "the health check start period cannot be negative",
                "the health check needs at least 1 retry",
            ],
            spec.Validate());
    }

    [Fact]
    public void LimitsMustBePositive()
    {
        var spec = Valid with { MemoryLimitBytes = 0, Cpus = double.NaN, PidsLimit = -1, ShmSizeBytes = 0 };

        Assert.Equal(
            [
                "the memory limit must be positive",
                "the CPU limit must be a positive number of CPUs",
                "the process limit must be positive",
                "the /dev/shm size must be positive",
            ],
            spec.Validate());
    }

    [Theory]
    [InlineData("nofile", 4096, 1024, "soft 4096 above hard 1024")]
    [InlineData("nofile", -1, 1024, "soft -1 above hard 1024")]
    [InlineData("NoFile", 1, 1, "not a ulimit name")]
    public void UlimitsAreChecked(string name, long soft, long hard, string expected)
    {
        var spec = Valid with { Ulimits = [new Ulimit(name, soft, hard)] };

        Assert.Contains(spec.Validate(), p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("net_admin")]
    [InlineData("NET ADMIN")]
    [InlineData("")]
    public void CapabilitiesAreNames(string capability)
    {
        Assert.Contains((Valid with { CapAdd = [capability] }).Validate(), p => p.Contains("is not a capability name", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("tmp")]
    [InlineData("/")]
    [InlineData(":size=1m")]
    public void TmpfsNeedsAnAbsolutePath(string entry)
    {
        Assert.Contains((Valid with { Tmpfs = [entry] }).Validate(), p => p.Contains("must start with an absolute path", StringComparison.Ordinal));
    }

    [Fact]
    public void TmpfsPathGivenTwiceIsAMistake()
    {
        Assert.Contains("the tmpfs path /tmp is given twice", (Valid with { Tmpfs = ["/tmp", "/tmp:size=1m"] }).Validate());
    }

    [Theory]
    [InlineData("SIGTERM", true)]
    [InlineData("SIGRTMIN+3", true)]
    [InlineData("15", true)]
    [InlineData("TERM", false)]
    [InlineData("sigterm", false)]
    public void StopSignalIsASignal(string signal, bool valid)
    {
        Assert.Equal(valid, (Valid with { StopSignal = signal }).Validate().Count == 0);
    }

    [Fact]
    public void RelativeWorkingDirectoryAndNegativeGraceAreRefused()
    {
        var problems = (Valid with { WorkingDirectory = "app", StopGrace = TimeSpan.FromSeconds(-1) }).Validate();

        Assert.Equal(["the working directory 'app' must be an absolute path", "the stop grace period cannot be negative"], problems);
    }
}
