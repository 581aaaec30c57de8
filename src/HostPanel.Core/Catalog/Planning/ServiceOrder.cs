using HostPanel.Core.Catalog.Model;

namespace HostPanel.Core.Catalog.Planning;

/// <summary>The order in which an app's services start: every service after what it depends on.</summary>
public static class ServiceOrder
{
    /// <summary>
    /// Services in start order. Among services free to start, the manifest's own order is kept,
    /// so the result is stable. Throws for a cycle; the validator refuses those first.
    /// </summary>
    public static IReadOnlyList<string> StartOrder(AppManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var declared = manifest.Services.Keys.ToList();
        var waiting = declared.ToDictionary(
            name => name,
            name => new HashSet<string>((manifest.Services[name].DependsOn?.Keys ?? Enumerable.Empty<string>()).Where(manifest.Services.ContainsKey), StringComparer.Ordinal),
            StringComparer.Ordinal);
        var order = new List<string>(declared.Count);
        while (order.Count < declared.Count)
        {
            var next = declared.FirstOrDefault(name => !order.Contains(name) && waiting[name].All(order.Contains))
                ?? throw new InvalidOperationException($"The services of {manifest.Id} depend on each other in a circle.");
            order.Add(next);
        }

        return order;
    }

    /// <summary>
    /// Services in waves: each wave holds the services whose dependencies are all in earlier
    /// waves, so a wave's services can start side by side. Manifest order within a wave.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> StartWaves(AppManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var wave = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in StartOrder(manifest))
        {
            var dependencies = (manifest.Services[name].DependsOn?.Keys ?? Enumerable.Empty<string>()).Where(manifest.Services.ContainsKey);
            wave[name] = dependencies.Select(d => wave[d] + 1).DefaultIfEmpty(0).Max();
        }

        return [.. manifest.Services.Keys.GroupBy(name => wave[name]).OrderBy(g => g.Key).Select(g => (IReadOnlyList<string>)[.. g])];
    }

    /// <summary>Stop order: the reverse of the start order.</summary>
    public static IReadOnlyList<string> StopOrder(AppManifest manifest) => [.. StartOrder(manifest).Reverse()];
}
