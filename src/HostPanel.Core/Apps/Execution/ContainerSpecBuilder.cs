using HostPanel.Core.Catalog.Loading;
using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Engine;
using EngineHealthCheck = HostPanel.Core.Engine.HealthCheck;
using EngineRestartPolicy = HostPanel.Core.Engine.RestartPolicy;
using EngineUlimit = HostPanel.Core.Engine.Ulimit;

namespace HostPanel.Core.Apps.Execution;

/// <summary>Turns a manifest's service into the container the engine creates. Pure.</summary>
public static class ContainerSpecBuilder
{
    public const string AppLabel = "hostpanel.app";
    public const string VolumeLabel = "hostpanel.volume";

    /// <summary>The labels every object of an installed app carries.</summary>
    public static Dictionary<string, string> Labels(AppInstance instance, string? service = null, string? version = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var labels = HostPanelLabels.Base();
        labels[HostPanelLabels.Organization] = instance.OrganizationId;
        labels[HostPanelLabels.Instance] = instance.Name;
        labels[AppLabel] = instance.AppId;
        if (service is not null)
        {
            labels[HostPanelLabels.Service] = service;
        }

        if (version is not null)
        {
            labels[HostPanelLabels.Version] = version;
        }

        return labels;
    }

    /// <summary>The image reference to pull and run: the digest when the manifest pins one.</summary>
    public static string Image(ServiceDefinition service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (service.Digest is null)
        {
            return service.Image;
        }

        var reference = ImageReference.Parse(service.Image);
        return $"{reference.Repository}@{service.Digest}";
    }

    /// <param name="manifest">The manifest of the version being created.</param>
    /// <param name="service">The service's name in it.</param>
    /// <param name="instance">The installed app.</param>
    /// <param name="environment">The service's rendered environment.</param>
    /// <param name="containerName">The container's name.</param>
    /// <param name="panelUrl">
    /// The panel's public address (the single sign-on issuer), if any: the container then reaches
    /// its host name at the host machine, where the edge proxy serves the panel
    /// (<see cref="PanelHosts"/>), whatever the DNS the container sees.
    /// </param>
    public static ContainerSpec Build(AppManifest manifest, string service, AppInstance instance, IReadOnlyDictionary<string, string> environment, string containerName, string? panelUrl = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(instance);
        var definition = manifest.Services[service];
        if (definition.Files is { Count: > 0 })
        {
            throw new NotSupportedException($"The service {service} of {manifest.Id} needs configuration files rendered from templates, which this version of HostPanel does not install yet.");
        }

        if (definition.Mounts?.Any(m => m.Subpath is not null) == true)
        {
            throw new NotSupportedException($"The service {service} of {manifest.Id} mounts a sub-folder of a volume, which this version of HostPanel does not install yet.");
        }

        var host = definition.NetworkMode == "host";
        var networks = new List<NetworkAttachment>();
        if (!host)
        {
            networks.Add(new NetworkAttachment(ResourceNames.InternalNetwork(instance.Name), [service]));
            if (manifest.Networks?.Egress?.Contains(service) == true)
            {
                networks.Add(new NetworkAttachment(ResourceNames.EgressNetwork(instance.Name), [service]));
            }
        }

        return new ContainerSpec
        {
            Name = containerName,
            Image = Image(definition),
            Labels = Labels(instance, service, manifest.Version),
            Environment = environment,
            Command = definition.Command,
            Entrypoint = definition.Entrypoint,
            User = definition.User,
            WorkingDirectory = definition.WorkingDir,
            Volumes = [.. (definition.Mounts ?? []).Select(m => new VolumeMount(ResourceNames.Volume(instance.Name, m.Volume), m.Path, m.ReadOnly ?? false))],
            Networks = networks,
            HostNetwork = host,
            Health = definition.Health?.Cmd is { } command ? new EngineHealthCheck
            {
                Command = command,
                Interval = definition.Health.Interval?.Value ?? TimeSpan.FromSeconds(10),
                Timeout = definition.Health.Timeout?.Value ?? TimeSpan.FromSeconds(5),
                Retries = definition.Health.Retries ?? 6,
                StartPeriod = definition.Health.StartPeriod?.Value ?? TimeSpan.FromSeconds(30),
            } : null,
            Restart = definition.Restart switch
            {
                Catalog.Model.RestartMode.No => EngineRestartPolicy.No,
                Catalog.Model.RestartMode.OnFailure => EngineRestartPolicy.OnFailure,
                _ => EngineRestartPolicy.UnlessStopped,
            },
            MemoryLimitBytes = definition.Limits?.Memory?.Bytes,
            Cpus = definition.Limits?.Cpus,
            PidsLimit = definition.Limits?.Pids,
            ShmSizeBytes = definition.ShmSize?.Bytes,
            Ulimits = [.. (definition.Ulimits ?? []).Select(u => new EngineUlimit(u.Key, u.Value.Soft, u.Value.Hard))],
            CapAdd = definition.CapAdd ?? [],
            ReadOnlyRootFilesystem = definition.ReadOnly ?? false,
            Tmpfs = definition.Tmpfs ?? [],
            StopSignal = definition.StopSignal,
            StopGrace = definition.StopGrace?.Value,
            ExtraHosts = PanelHosts(panelUrl),
        };
    }

    /// <summary>
    /// The hosts entry that sends the panel's host name to the host machine
    /// (<c>panel.example.org:host-gateway</c>), or none when <paramref name="panelUrl"/> is empty
    /// or names no domain (an IP address, the machine itself).
    /// </summary>
    public static IReadOnlyList<string> PanelHosts(string? panelUrl) =>
        Edge.EdgeSync.PanelDomain(panelUrl) is { } domain ? [$"{domain}:{ContainerSpec.HostGateway}"] : [];

    /// <summary>A one-off job container: the service's definition, its own command, never restarted.</summary>
    public static ContainerSpec Job(ContainerSpec service, string name, IReadOnlyList<string> command, IReadOnlyDictionary<string, string> extraEnvironment)
    {
        ArgumentNullException.ThrowIfNull(service);
        var environment = new Dictionary<string, string>(service.Environment, StringComparer.Ordinal);
        foreach (var (key, value) in extraEnvironment)
        {
            environment[key] = value;
        }

        var labels = new Dictionary<string, string>(service.Labels, StringComparer.Ordinal) { ["hostpanel.job"] = "true" };
        return service with
        {
            Name = name,
            Command = command,
            Environment = environment,
            Labels = labels,
            Health = null,
            Restart = EngineRestartPolicy.No,
        };
    }

    /// <summary>The YAML spelling of an enum, for messages.</summary>
    internal static string Spell(Enum value) => YamlSpelling.Of(value);
}
