using HostPanel.Core.Apps;
using HostPanel.Core.Certificates;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;

namespace HostPanel.Core.Edge;

/// <summary>
/// Makes the edge proxy serve what HostPanel's state says: every app with a domain at its
/// routes, with its certificate when it has one, and every pending HTTP-01 answer. The whole
/// configuration is rendered again and loaded at once, under one lock for all HostPanel
/// processes of this server, so two of them never load stale halves.
/// </summary>
public sealed class EdgeSync(
    IInstanceStore instances,
    IPackageArchive packages,
    IContainerEngine engine,
    ICertificateStore certificates,
    IChallengeStore challenges,
    InstanceLocks locks,
    TimeProvider time,
    IEdgeProxy? proxy = null)
{
    /// <summary>The lock name shared by every process that loads the proxy's configuration.</summary>
    public const string LockName = "edge-proxy.configuration";

    /// <summary>Whether a proxy is configured (without one, apps are reached only on their internal network).</summary>
    public bool Enabled => proxy is not null;

    /// <summary>Renders the configuration from the state and loads it; a no-op without a proxy.</summary>
    public async Task SyncAsync(CancellationToken ct = default)
    {
        if (proxy is null)
        {
            return;
        }

        await locks.RunAsync(LockName, LockWait.Wait, async () =>
        {
            var configuration = await BuildAsync(ct).ConfigureAwait(false);
            await proxy.LoadAsync(configuration, ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
    }

    /// <summary>The configuration HostPanel's state asks for now.</summary>
    public async Task<EdgeConfiguration> BuildAsync(CancellationToken ct = default)
    {
        var sites = new List<EdgeSite>();
        var issued = (await certificates.ListAsync(ct).ConfigureAwait(false)).ToDictionary(c => c.Domain, StringComparer.Ordinal);
        foreach (var instance in await instances.ListAsync(null, false, ct).ConfigureAwait(false))
        {
            if (instance.Domain is not { } domain || instance.State is InstanceState.Removed || Domains.DomainName.IsReserved(domain))
            {
                continue;
            }

            var manifest = await packages.ManifestAsync(instance.Name, instance.Version, ct).ConfigureAwait(false);
            var routes = new List<EdgeRoute>();
            foreach (var route in manifest.Routes ?? [])
            {
                // Containers are reached on the app's own network; an address changes when a
                // container is made again, which is why every operation syncs the proxy.
                var container = await engine.Containers.InspectAsync(ResourceNames.Container(instance.Name, route.Service), ct).ConfigureAwait(false);
                if (container is null || !container.Addresses.TryGetValue(ResourceNames.InternalNetwork(instance.Name), out var address) || string.IsNullOrEmpty(address))
                {
                    continue;
                }

                routes.Add(new EdgeRoute
                {
                    PathPrefix = Join(instance.Path, route.Path),
                    Upstream = $"{address}:{route.Port}",
                    WebSocket = route.Websocket ?? false,
                    Buffering = route.Buffering ?? true,
                    MaxBodyBytes = route.MaxBody?.Bytes,
                    Timeout = route.Timeout?.Value,
                });
            }

            if (routes.Count == 0)
            {
                continue;
            }

            var certificate = issued.GetValueOrDefault(domain) is { ChainFile: { } chain, KeyFile: { } key } && File.Exists(chain) && File.Exists(key)
                ? new EdgeCertificate(chain, key)
                : null;
            sites.Add(new EdgeSite { Domain = domain, Instance = instance.Name, Routes = routes, Certificate = certificate });
        }

        var pending = await challenges.ListAsync(time.GetUtcNow(), ct).ConfigureAwait(false);
        return new EdgeConfiguration
        {
            Sites = sites,
            Challenges = pending.ToDictionary(c => c.Token, c => c.KeyAuthorization, StringComparer.Ordinal),
        };
    }

    private static string Join(string? instancePath, string routePath)
    {
        var root = string.IsNullOrEmpty(instancePath) || instancePath == "/" ? string.Empty : instancePath.TrimEnd('/');
        var rest = routePath == "/" ? string.Empty : routePath;
        var joined = root + rest;
        return joined.Length == 0 ? "/" : joined;
    }
}
