using System.Text;
using HostPanel.Core.Engine;
using HostPanel.Infrastructure.Docker;

namespace HostPanel.Integration.Tests.Docker;

/// <summary>The adapter's pure translations, without an engine.</summary>
public class DockerMappingTests
{
    [Theory]
    [InlineData("Up 3 seconds (health: starting)", ContainerHealth.Starting)]
    [InlineData("Up 2 minutes (healthy)", ContainerHealth.Healthy)]
    [InlineData("Up 10 minutes (unhealthy)", ContainerHealth.Unhealthy)]
    [InlineData("Up About a minute", ContainerHealth.None)]
    [InlineData("Exited (0) 5 seconds ago", ContainerHealth.None)]
    [InlineData(null, ContainerHealth.None)]
    public void ReadsHealthFromTheListStatus(string? status, ContainerHealth expected)
    {
        Assert.Equal(expected, DockerContainerMapping.HealthFromStatus(status));
    }

    [Theory]
    [InlineData("Exited (3) 2 minutes ago", 3)]
    [InlineData("Exited (137) About an hour ago", 137)]
    [InlineData("Exited (0) Less than a second ago", 0)]
    [InlineData("Up 5 seconds", null)]
    [InlineData("Created", null)]
    [InlineData(null, null)]
    public void ReadsTheExitCodeFromTheListStatus(string? status, int? expected)
    {
        Assert.Equal(expected, DockerContainerMapping.ExitCodeFromStatus(status));
    }

    [Theory]
    [InlineData("2024-05-01T10:20:30.123456789Z", "2024-05-01T10:20:30.1234567+00:00")]
    [InlineData("2024-05-01T10:20:30Z", "2024-05-01T10:20:30+00:00")]
    [InlineData("2024-05-01T12:20:30.5+02:00", "2024-05-01T10:20:30.5+00:00")]
    public void ParsesTheEnginesNanosecondTimestamps(string text, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), DockerContainerMapping.ParseTimestamp(text));
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("yesterday")]
    public void TheZeroTimeAndGarbageAreNoTime(string? text)
    {
        Assert.Null(DockerContainerMapping.ParseTimestamp(text));
    }

    [Fact]
    public void CreateRequestCarriesTheFirstNetworkOnlyAndEveryLimit()
    {
        var spec = new ContainerSpec
        {
            Name = "hp-a-web",
            Image = "x:1",
            Labels = HostPanelLabels.Base(),
            Networks = [new NetworkAttachment("front", ["www"]), new NetworkAttachment("back", ["api"])],
            Cpus = 1.25,
            PidsLimit = 100,
            Tmpfs = ["/tmp", "/run:size=1m"],
            StopGrace = TimeSpan.FromMilliseconds(1500),
            Health = new HealthCheck { Command = ["check", "--quick"], Interval = TimeSpan.FromSeconds(2), Retries = 4 },
            Restart = RestartPolicy.OnFailure,
        };

        var create = DockerContainerMapping.ToCreateParameters(spec, new Dictionary<string, string>(HostPanelLabels.Base()));
        var host = create.HostConfig!;

        Assert.Equal("front", host.NetworkMode);
        Assert.Equal(["www"], Assert.Single(create.NetworkingConfig!.EndpointsConfig!, e => e.Key == "front").Value.Aliases);
        Assert.Equal(1_250_000_000L, host.NanoCPUs);
        Assert.Equal(100, host.PidsLimit);
        Assert.Equal(string.Empty, host.Tmpfs!["/tmp"]);
        Assert.Equal("size=1m", host.Tmpfs["/run"]);
        Assert.Equal(TimeSpan.FromSeconds(2), create.StopTimeout);
        Assert.Equal(["CMD", "check", "--quick"], create.Healthcheck!.Test);
        Assert.Equal(TimeSpan.FromSeconds(2), create.Healthcheck.Interval);
        Assert.Equal(4, create.Healthcheck.Retries);
        Assert.Equal(global::Docker.DotNet.Models.RestartPolicyKind.OnFailure, host.RestartPolicy!.Name);
    }

    [Fact]
    public void UnsetOptionsLeaveTheImagesDefaults()
    {
        var create = DockerContainerMapping.ToCreateParameters(
            new ContainerSpec { Name = "hp-a-web", Image = "x:1" },
            new Dictionary<string, string>(HostPanelLabels.Base()));

        Assert.Null(create.Cmd);
        Assert.Null(create.Entrypoint);
        Assert.Null(create.Healthcheck);
        Assert.Null(create.StopSignal);
        Assert.Null(create.StopTimeout);
        Assert.Null(create.NetworkingConfig);
        Assert.True(string.IsNullOrEmpty(create.HostConfig!.NetworkMode), "no network mode: the engine default");
        Assert.Null(create.HostConfig.Tmpfs);
        Assert.Null(create.HostConfig.PidsLimit);
        Assert.Equal(0, create.HostConfig.NanoCPUs);
        Assert.Equal(global::Docker.DotNet.Models.RestartPolicyKind.UnlessStopped, create.HostConfig.RestartPolicy!.Name);
    }

    [Fact]
    public void HostNetworkIsTheHostNetworkMode()
    {
        var create = DockerContainerMapping.ToCreateParameters(
            new ContainerSpec { Name = "hp-a-web", Image = "x:1", HostNetwork = true },
            new Dictionary<string, string>(HostPanelLabels.Base()));

        Assert.Equal("host", create.HostConfig!.NetworkMode);
        Assert.Null(create.NetworkingConfig);
    }

    [Theory]
    [InlineData("Pulling fs layer", PullPhase.Queued)]
    [InlineData("Waiting", PullPhase.Waiting)]
    [InlineData("Downloading", PullPhase.Downloading)]
    [InlineData("Verifying Checksum", PullPhase.Verifying)]
    [InlineData("Download complete", PullPhase.Downloaded)]
    [InlineData("Extracting", PullPhase.Extracting)]
    [InlineData("Pull complete", PullPhase.Complete)]
    [InlineData("Already exists", PullPhase.AlreadyPresent)]
    [InlineData("Pulling from hostpanel-test/web", PullPhase.Other)]
    public void NamesThePhaseOfEachPullMessage(string status, PullPhase expected)
    {
        Assert.Equal(expected, DockerImages.PullLayerTotals.PhaseOf(status));
    }

    [Fact]
    public void FillsInTheBytesOnTheMessagesThatEndAPhase()
    {
        var totals = new DockerImages.PullLayerTotals();

        totals.Describe("a", "Downloading", 10, 100);
        var downloaded = totals.Describe("a", "Download complete", null, null);
        totals.Describe("a", "Extracting", 50, 300);
        var complete = totals.Describe("a", "Pull complete", null, null);
        var pulling = totals.Describe("1", "Pulling from x", null, null);

        Assert.Equal((100L, 100L), (downloaded.Current!.Value, downloaded.Total!.Value));
        Assert.Equal((300L, 300L), (complete.Current!.Value, complete.Total!.Value));
        Assert.Equal(PullPhase.Other, pulling.Phase);
    }

    [Fact]
    public void SplitsLogFramesIntoTimestampedLines()
    {
        var splitter = new DockerLogReader.LineSplitter();

        var first = splitter.Add(LogStream.Stdout, Encoding.UTF8.GetBytes("2024-05-01T10:00:00.000000001Z hello\n2024-05-01T10:00:01Z wor"));
        var second = splitter.Add(LogStream.Stderr, Encoding.UTF8.GetBytes("2024-05-01T10:00:02Z oops\r\n"));
        var third = splitter.Add(LogStream.Stdout, Encoding.UTF8.GetBytes("ld\n2024-05-01T10:00:03Z tail"));
        var rest = splitter.Flush();

        Assert.Equal(new LogLine(LogStream.Stdout, "hello", new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero)), Assert.Single(first));
        Assert.Equal(new LogLine(LogStream.Stderr, "oops", new DateTimeOffset(2024, 5, 1, 10, 0, 2, TimeSpan.Zero)), Assert.Single(second));
        Assert.Equal("world", Assert.Single(third).Text);
        Assert.Equal("tail", Assert.Single(rest).Text);
    }

    [Fact]
    public void ARunawayLineIsHandedOutInPieces()
    {
        var splitter = new DockerLogReader.LineSplitter();

        var lines = splitter.Add(LogStream.Stdout, Encoding.ASCII.GetBytes(new string('x', DockerLogReader.MaxLineBytes * 2 + 10) + "\n"));

        Assert.Equal([DockerLogReader.MaxLineBytes, DockerLogReader.MaxLineBytes, 10], lines.Select(l => l.Text.Length));
    }

    [Fact]
    public void CappedOutputKeepsTheStartAndMarksTheCut()
    {
        var buffer = new CappedBuffer(5);

        _ = buffer.WriteAsync(Encoding.ASCII.GetBytes("abc"), TestContext.Current.CancellationToken);
        _ = buffer.WriteAsync(Encoding.ASCII.GetBytes("defgh"), TestContext.Current.CancellationToken);

        Assert.True(buffer.Truncated);
        Assert.Equal("abcde" + ExecOutput.TruncationMarker, buffer.Text());
    }
}
