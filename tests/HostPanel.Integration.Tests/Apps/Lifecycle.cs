using HostPanel.Core.Apps;
using HostPanel.Core.Configuration;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using HostPanel.Infrastructure.Apps;
using HostPanel.Infrastructure.Data;
using HostPanel.Infrastructure.Docker;
using HostPanel.Infrastructure.State;
using HostPanel.Integration.Tests.TestWorld;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Integration.Tests.Apps;

/// <summary>
/// HostPanel as the CLI runs it — real SQLite in a temporary data directory, the real Docker
/// adapter on the test world's engine — with the test catalog of one moment. A new one on the
/// same data directory is the next command, possibly with a newer catalog.
/// </summary>
internal sealed class Lifecycle : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private Lifecycle(ServiceProvider services, string dataDirectory)
    {
        _services = services;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    public AppService Apps => _services.GetRequiredService<AppService>();
    public IContainerEngine Engine => _services.GetRequiredService<IContainerEngine>();
    public IInstanceStore Instances => _services.GetRequiredService<IInstanceStore>();
    public IOperationJournal Journal => _services.GetRequiredService<IOperationJournal>();
    public Reconciler Reconciler => _services.GetRequiredService<Reconciler>();
    public OperationEvents Events => _services.GetRequiredService<OperationEvents>();
    public HostPanel.Core.Backups.BackupService Backups => _services.GetRequiredService<HostPanel.Core.Backups.BackupService>();

    /// <summary>Any service of the lifecycle's container.</summary>
    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();
    public HostPanel.Core.Organizations.IOrganizationStore Organizations => _services.GetRequiredService<HostPanel.Core.Organizations.IOrganizationStore>();

    public static Task<Lifecycle> StartAsync(string dataDirectory, int catalog, CancellationToken ct) =>
        StartAsync(dataDirectory, catalog, ct, null, null);

    /// <summary>
    /// With settings changed by <paramref name="configure"/> (the proxy and the CA of the world)
    /// and services replaced by <paramref name="replace"/> (a clock), registered first.
    /// </summary>
    public static async Task<Lifecycle> StartAsync(string dataDirectory, int catalog, CancellationToken ct, Action<HostPanelOptions>? configure, Action<IServiceCollection>? replace)
    {
        var options = new HostPanelOptions
        {
            DataDirectory = dataDirectory,
            CatalogDirectory = RepositoryPaths.TestCatalog(catalog),
            DockerEndpoint = World.DockerHost,
            UtilityImage = World.WebImage,
            DnsServers = World.Dns,
            PublicAddresses = "127.0.0.1",
        };
        configure?.Invoke(options);
        var services = new ServiceCollection();
        replace?.Invoke(services);
        services.AddLogging();
        services.AddSingleton(options);
        services.AddOptions<HostPanelOptions>().Configure(o =>
        {
            o.DataDirectory = options.DataDirectory;
            o.CatalogDirectory = options.CatalogDirectory;
            o.DockerEndpoint = options.DockerEndpoint;
            o.UtilityImage = options.UtilityImage;
            o.DnsServers = options.DnsServers;
            o.PublicAddresses = options.PublicAddresses;
        });
        services.AddDockerEngine();
        services.AddHostPanelState(options);
        services.AddHostPanelLifecycle(options);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<HostPanelDatabase>().MigrateAsync(ct);
        return new Lifecycle(provider, dataDirectory);
    }

    /// <summary>The container's address on the app's internal network (reachable from the test namespace).</summary>
    public async Task<string> AddressAsync(string instance, string service, CancellationToken ct)
    {
        var info = await Engine.Containers.InspectAsync(ResourceNames.Container(instance, service), ct)
            ?? throw new InvalidOperationException($"{instance}/{service} has no container");
        return info.Addresses[ResourceNames.InternalNetwork(instance)];
    }

    /// <summary>GET on the app's web service.</summary>
    public async Task<string> GetAsync(string instance, string path, CancellationToken ct, string service = "web")
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(20) };
        return await http.GetStringAsync(new Uri($"http://{await AddressAsync(instance, service, ct)}:8080{path}"), ct);
    }

    public async Task<IReadOnlyList<string>> EngineObjectsAsync(string instance, CancellationToken ct)
    {
        var filter = LabelFilter.Managed.And(HostPanelLabels.Instance, instance);
        var containers = await Engine.Containers.ListAsync(filter, ct);
        var networks = await Engine.Networks.ListAsync(filter, ct);
        var volumes = await Engine.Volumes.ListAsync(filter, ct);
        return [.. containers.Select(c => "container " + c.Name), .. networks.Select(n => "network " + n.Name), .. volumes.Select(v => "volume " + v.Name)];
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>A data directory and the instances a test created, purged at the end whatever happened.</summary>
internal sealed class Scratch : IAsyncDisposable
{
    private readonly List<string> _instances = [];

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("hp-life-").FullName;

    public string Name(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        _instances.Add(name);
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        await using (var life = await Lifecycle.StartAsync(DataDirectory, 1, CancellationToken.None))
        {
            foreach (var name in _instances)
            {
                var filter = LabelFilter.Managed.And(HostPanelLabels.Instance, name);
                foreach (var c in await life.Engine.Containers.ListAsync(filter))
                {
                    await life.Engine.Containers.RemoveAsync(c.Id, force: true);
                }

                foreach (var n in await life.Engine.Networks.ListAsync(filter))
                {
                    await life.Engine.Networks.RemoveAsync(n.Name);
                }

                foreach (var v in await life.Engine.Volumes.ListAsync(filter))
                {
                    await life.Engine.Volumes.RemoveAsync(v.Name);
                }
            }
        }

        Directory.Delete(DataDirectory, recursive: true);
    }
}
