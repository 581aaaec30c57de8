using System.Globalization;
using System.Text.RegularExpressions;
using Docker.DotNet.Models;
using HostPanel.Core.Engine;
using ContainerSpec = HostPanel.Core.Engine.ContainerSpec;
using RestartPolicy = HostPanel.Core.Engine.RestartPolicy;
using Ulimit = HostPanel.Core.Engine.Ulimit;

namespace HostPanel.Infrastructure.Docker;

/// <summary>Pure translations between HostPanel's container records and the Engine API's models.</summary>
internal static partial class DockerContainerMapping
{
    /// <summary>
    /// The create request for <paramref name="spec"/>. Only the first network can be given here:
    /// engines before API 1.44 refuse several endpoints at create ("Container cannot be connected
    /// to network endpoints"), so the others are connected before the container starts.
    /// </summary>
    public static CreateContainerParameters ToCreateParameters(ContainerSpec spec, IDictionary<string, string> labels)
    {
        var parameters = new CreateContainerParameters
        {
            Name = spec.Name,
            Image = spec.Image,
            Labels = labels,
            Env = [.. spec.Environment.Select(kv => $"{kv.Key}={kv.Value}")],
            HostConfig = new HostConfig
            {
                Mounts = [.. spec.Volumes.Select(v => new Mount { Type = "volume", Source = v.VolumeName, Target = v.ContainerPath, ReadOnly = v.ReadOnly })],
                RestartPolicy = new global::Docker.DotNet.Models.RestartPolicy { Name = ToRestartPolicyKind(spec.Restart) },
                Memory = spec.MemoryLimitBytes ?? 0,
                NanoCPUs = spec.Cpus is { } cpus ? (long)Math.Round(cpus * 1_000_000_000d) : 0,
                PidsLimit = spec.PidsLimit,
                ShmSize = spec.ShmSizeBytes ?? 0,
                CapAdd = [.. spec.CapAdd],
                ReadonlyRootfs = spec.ReadOnlyRootFilesystem,
                Ulimits = [.. spec.Ulimits.Select(u => new global::Docker.DotNet.Models.Ulimit { Name = u.Name, Soft = u.Soft, Hard = u.Hard })],
            },
        };

        // Unset fields stay absent from the request so the image's own defaults apply.
        if (spec.Command is not null)
        {
            parameters.Cmd = [.. spec.Command];
        }

        if (spec.Entrypoint is not null)
        {
            parameters.Entrypoint = [.. spec.Entrypoint];
        }

        if (spec.User is not null)
        {
            parameters.User = spec.User;
        }

        if (spec.WorkingDirectory is not null)
        {
            parameters.WorkingDir = spec.WorkingDirectory;
        }

        if (spec.Tmpfs.Count > 0)
        {
            parameters.HostConfig.Tmpfs = spec.Tmpfs
                .Select(t => t.Split(':', 2))
                .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty, StringComparer.Ordinal);
        }

        if (spec.ExtraHosts.Count > 0)
        {
            parameters.HostConfig.ExtraHosts = [.. spec.ExtraHosts];
        }

        if (spec.StopSignal is not null)
        {
            parameters.StopSignal = spec.StopSignal;
        }

        if (spec.StopGrace is { } grace)
        {
            // The engine counts whole seconds; rounding up never cuts a shutdown short.
            parameters.StopTimeout = TimeSpan.FromSeconds(Math.Ceiling(grace.TotalSeconds));
        }

        if (spec.Health is { } health)
        {
            // TimeSpans go out as nanoseconds, as the Engine API expects for health checks.
            parameters.Healthcheck = new HealthcheckConfig
            {
                Test = ["CMD", .. health.Command],
                Interval = health.Interval,
                Timeout = health.Timeout,
                StartPeriod = health.StartPeriod,
                Retries = health.Retries,
            };
        }

        if (spec.HostNetwork)
        {
            parameters.HostConfig.NetworkMode = "host";
        }
        else if (spec.Networks is [var first, ..])
        {
            parameters.HostConfig.NetworkMode = first.Network;
            parameters.NetworkingConfig = new NetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, EndpointSettings>
                {
                    [first.Network] = ToEndpoint(first.Aliases),
                },
            };
        }

        return parameters;
    }

    public static EndpointSettings ToEndpoint(IReadOnlyList<string>? aliases) => new() { Aliases = [.. aliases ?? []] };

    public static RestartPolicyKind ToRestartPolicyKind(RestartPolicy policy) => policy switch
    {
        RestartPolicy.UnlessStopped => RestartPolicyKind.UnlessStopped,
        RestartPolicy.OnFailure => RestartPolicyKind.OnFailure,
        RestartPolicy.No => RestartPolicyKind.No,
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown restart policy."),
    };

    public static ContainerInfo FromInspect(ContainerInspectResponse c)
    {
        var networks = c.NetworkSettings?.Networks;
        return new ContainerInfo(
            c.ID,
            c.Name.TrimStart('/'),
            c.Config?.Image ?? c.Image,
            ContainerStatusWords.ParseState(c.State?.Status),
            DockerLabels.Copy(c.Config?.Labels),
            c.State is { Running: false, Restarting: false } s && ParseTimestamp(s.StartedAt) is not null ? (int)s.ExitCode : null)
        {
            Health = ContainerStatusWords.ParseHealth(c.State?.Health?.Status),
            Networks = NetworkNames(networks),
            Addresses = Addresses(networks),
            StartedAt = ParseTimestamp(c.State?.StartedAt),
            RestartCount = (int)c.RestartCount,
            ImageId = c.Image,
        };
    }

    public static ContainerInfo FromList(ContainerListResponse c)
    {
        var state = ContainerStatusWords.ParseState(c.State);
        var networks = c.NetworkSettings?.Networks;
        return new ContainerInfo(
            c.ID,
            c.Names?.FirstOrDefault()?.TrimStart('/') ?? c.ID,
            c.Image,
            state,
            DockerLabels.Copy(c.Labels),
            state is ContainerState.Exited or ContainerState.Dead ? ExitCodeFromStatus(c.Status) : null)
        {
            // Engines before API 1.52 give health only inside the status sentence.
            Health = c.Health?.Status is { Length: > 0 } health ? ContainerStatusWords.ParseHealth(health) : HealthFromStatus(c.Status),
            Networks = NetworkNames(networks),
            Addresses = Addresses(networks),
            ImageId = c.ImageID,
        };
    }

    /// <summary>Reads the health out of a list status such as "Up 5 seconds (health: starting)".</summary>
    public static ContainerHealth HealthFromStatus(string? status)
    {
        if (status is null)
        {
            return ContainerHealth.None;
        }

        var match = HealthInStatus().Match(status);
        return match.Success ? ContainerStatusWords.ParseHealth(match.Groups[1].Value) : ContainerHealth.None;
    }

    /// <summary>Reads the exit code out of a list status such as "Exited (3) 2 minutes ago".</summary>
    public static int? ExitCodeFromStatus(string? status)
    {
        var match = ExitInStatus().Match(status ?? string.Empty);
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code) ? code : null;
    }

    /// <summary>
    /// Parses the engine's RFC 3339 timestamps, which carry nanoseconds (more digits than .NET
    /// reads). The zero time the engine uses for "never" is null.
    /// </summary>
    public static DateTimeOffset? ParseTimestamp(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var match = Rfc3339().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }

        var fraction = match.Groups["fraction"].Value;
        var normalised = match.Groups["seconds"].Value
            + (fraction.Length > 0 ? "." + fraction[..Math.Min(7, fraction.Length)] : string.Empty)
            + (match.Groups["zone"].Value is "Z" or "z" ? "+00:00" : match.Groups["zone"].Value);
        if (!DateTimeOffset.TryParse(normalised, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) || parsed.Year <= 1)
        {
            return null;
        }

        return parsed;
    }

    private static IReadOnlyList<string> NetworkNames(IDictionary<string, EndpointSettings>? networks) =>
        networks is null ? [] : [.. networks.Keys.Order(StringComparer.Ordinal)];

    private static IReadOnlyDictionary<string, string> Addresses(IDictionary<string, EndpointSettings>? networks) =>
        networks is null
            ? new Dictionary<string, string>()
            : networks
                .Where(n => !string.IsNullOrEmpty(n.Value?.IPAddress))
                .ToDictionary(n => n.Key, n => n.Value.IPAddress, StringComparer.Ordinal);

    [GeneratedRegex(@"\((?:health: )?(starting|healthy|unhealthy)\)", RegexOptions.IgnoreCase)]
    private static partial Regex HealthInStatus();

    [GeneratedRegex(@"^\s*Exited \((-?\d+)\)", RegexOptions.IgnoreCase)]
    private static partial Regex ExitInStatus();

    [GeneratedRegex(@"^(?<seconds>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(?<fraction>\d+))?(?<zone>[Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
