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
    Domains.IDomainStore domains,
    InstanceLocks locks,
    TimeProvider time,
    IEdgeProxy? proxy = null,
    Configuration.HostPanelOptions? options = null)
{
    /// <summary>The lock name shared by every process that loads the proxy's configuration.</summary>
    public const string LockName = "edge-proxy.configuration";

    /// <summary>Whether a proxy is configured (without one, apps are reached only on their internal network).</summary>
    public bool Enabled => proxy is not null;

    /// <summary>
    /// Renders the configuration from the state and loads it; a no-op without a proxy. Returns
    /// what was left out of it and why (each left-out site on its own; the others are served).
    /// </summary>
    public async Task<IReadOnlyList<string>> SyncAsync(CancellationToken ct = default)
    {
        if (proxy is null)
        {
            return [];
        }

        return await locks.RunAsync(LockName, LockWait.Wait, async () =>
        {
            var (configuration, problems) = await BuildWithProblemsAsync(ct).ConfigureAwait(false);
            await proxy.LoadAsync(configuration, ct).ConfigureAwait(false);
            return problems;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>The configuration HostPanel's state asks for now.</summary>
    public async Task<EdgeConfiguration> BuildAsync(CancellationToken ct = default) => (await BuildWithProblemsAsync(ct).ConfigureAwait(false)).Configuration;

    /// <summary>
    /// The configuration HostPanel's state asks for now, and what was left out of it and why: a
    /// site that cannot be served as asked (an unreadable package, a domain owned by another
    /// organization or served twice, a route the proxy would refuse) is left out on its own, so
    /// it never keeps the other apps' configuration from loading; a certificate whose files do not
    /// make a pair is left out the same way (the site is then served over plain HTTP).
    /// </summary>
    public async Task<(EdgeConfiguration Configuration, IReadOnlyList<string> Problems)> BuildWithProblemsAsync(CancellationToken ct = default)
    {
        var sites = new List<EdgeSite>();
        var problems = new List<string>();
        var issued = (await certificates.ListAsync(ct).ConfigureAwait(false)).ToDictionary(c => c.Domain, StringComparer.Ordinal);
        var owners = (await domains.ListAsync(null, ct).ConfigureAwait(false)).ToDictionary(d => d.Name, d => d.OrganizationId, StringComparer.Ordinal);

        // The panel's own address first: no app can take it.
        if (PanelDomain(options?.PanelUrl) is { } panelDomain)
        {
            var panel = PanelSite(panelDomain, options!.PanelUpstream, Pair(issued.GetValueOrDefault(panelDomain), problems));
            var invalid = new EdgeConfiguration { Sites = [panel] }.Validate();
            if (invalid.Count > 0)
            {
                problems.Add($"{PanelSiteName}: {string.Join("; ", invalid)}");
            }
            else
            {
                sites.Add(panel);
            }
        }

        foreach (var instance in (await instances.ListAsync(null, false, ct).ConfigureAwait(false)).OrderBy(i => i.CreatedAt).ThenBy(i => i.Name, StringComparer.Ordinal))
        {
            if (instance.Domain is not { } domain || instance.State is InstanceState.Removed || Domains.DomainName.IsReserved(domain))
            {
                continue;
            }

            if (owners.TryGetValue(domain, out var owner) && owner != instance.OrganizationId)
            {
                problems.Add($"{instance.Name}: {domain} belongs to another organization; not served");
                continue;
            }

            if (sites.Any(s => s.Domain == domain))
            {
                problems.Add($"{instance.Name}: {domain} is already served by {sites.First(s => s.Domain == domain).Instance}; not served twice");
                continue;
            }

            try
            {
                var site = await SiteAsync(instance, domain, issued.GetValueOrDefault(domain), problems, ct).ConfigureAwait(false);
                if (site is null)
                {
                    continue;
                }

                var invalid = new EdgeConfiguration { Sites = [site] }.Validate();
                if (invalid.Count > 0)
                {
                    problems.Add($"{instance.Name}: {string.Join("; ", invalid)}");
                    continue;
                }

                sites.Add(site);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                problems.Add($"{instance.Name}: {e.Message}");
            }
        }

        var pending = await challenges.ListAsync(time.GetUtcNow(), ct).ConfigureAwait(false);
        var answers = pending.Where(c => new EdgeConfiguration { Challenges = new Dictionary<string, string> { [c.Token] = c.KeyAuthorization } }.Validate().Count == 0)
            .ToDictionary(c => c.Token, c => c.KeyAuthorization, StringComparer.Ordinal);
        return (new EdgeConfiguration { Sites = sites, Challenges = answers }, problems);
    }

    private async Task<EdgeSite?> SiteAsync(AppInstance instance, string domain, CertificateRecord? certificate, List<string> problems, CancellationToken ct)
    {
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
                MaxBodyBytes = route.MaxBody?.Bytes ?? DefaultMaxBody,
                Timeout = route.Timeout?.Value ?? DefaultTimeout,
            });
        }

        if (routes.Count == 0)
        {
            return null;
        }

        return new EdgeSite { Domain = domain, Instance = instance.Name, Routes = routes, Certificate = Pair(certificate, problems) };
    }

    /// <summary>The certificate's files when they exist and make a pair (the key is the certificate's).</summary>
    private static EdgeCertificate? Pair(CertificateRecord? certificate, List<string> problems)
    {
        if (certificate is null)
        {
            return null;
        }

        if (certificate.FilesUsable(out var problem))
        {
            return new EdgeCertificate(certificate.ChainFile!, certificate.KeyFile!);
        }

        if (problem is not null)
        {
            problems.Add($"{certificate.Domain}: the certificate files cannot be used ({problem}); served without them");
        }

        return null;
    }

    /// <summary>What the panel's own site is called in problems (not an app: app names have no parentheses).</summary>
    public const string PanelSiteName = "(panel)";

    /// <summary>
    /// The domain of the panel's public address (<c>PanelUrl</c>) in ASCII, or null when there is
    /// none or it names no domain the proxy can serve (an IP address, the machine itself).
    /// </summary>
    public static string? PanelDomain(string? panelUrl) =>
        Uri.TryCreate(panelUrl?.Trim(), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.HostNameType == UriHostNameType.Dns && !uri.IsLoopback
            ? uri.IdnHost.ToLowerInvariant()
            : null;

    /// <summary>
    /// The panel's own site: everything proxied to the panel (its live pages keep a WebSocket open,
    /// so idle connections are not cut), over HTTPS once <paramref name="certificate"/> exists and
    /// plain HTTP until then.
    /// </summary>
    public static EdgeSite PanelSite(string domain, string upstream, EdgeCertificate? certificate) => new()
    {
        Domain = domain,
        Instance = PanelSiteName,
        Routes =
        [
            new EdgeRoute { PathPrefix = "/", Upstream = upstream, WebSocket = true, MaxBodyBytes = DefaultMaxBody, Timeout = DefaultTimeout },
        ],
        Certificate = certificate,
    };

    /// <summary>The manifest format's defaults for a route (FORMAT.md).</summary>
    public const long DefaultMaxBody = 100L * 1024 * 1024;

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private static string Join(string? instancePath, string routePath)
    {
        var root = string.IsNullOrEmpty(instancePath) || instancePath == "/" ? string.Empty : instancePath.TrimEnd('/');
        var rest = routePath == "/" ? string.Empty : routePath;
        var joined = root + rest;
        return joined.Length == 0 ? "/" : joined;
    }
}
