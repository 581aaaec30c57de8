using System.Text.Json;
using HostPanel.Core.Engine;
using HostPanel.Integration.Tests.Apps;
using HostPanel.Integration.Tests.TestWorld;
using HostPanel.Tests;

namespace HostPanel.Integration.Tests.Handover;

/// <summary>What the continuity tests do on the world's apps: the settings a data directory needs, a command in a service, the data volume's checksums.</summary>
internal static class WorldApps
{
    /// <summary>The settings a command run on <paramref name="dataDirectory"/> needs to reach the world.</summary>
    public static Task WriteSettingsAsync(string dataDirectory, CancellationToken ct)
    {
        Directory.CreateDirectory(dataDirectory);
        return File.WriteAllTextAsync(Path.Combine(dataDirectory, "appsettings.json"), JsonSerializer.Serialize(new
        {
            DockerEndpoint = World.DockerHost,
            UtilityImage = World.WebImage,
            DnsServers = World.Dns,
            PublicAddresses = "127.0.0.1",
            CatalogDirectory = RepositoryPaths.TestCatalog(1),
        }), ct);
    }

    /// <summary>Runs <paramref name="command"/> with sh in the app's <paramref name="service"/> container.</summary>
    public static async Task<ExecResult> ExecAsync(Lifecycle life, string app, string service, string command, CancellationToken ct)
    {
        var container = (await life.Engine.Containers.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, app), ct))
            .Single(c => c.Name.EndsWith(service, StringComparison.Ordinal)).Id;
        return await life.Engine.Containers.ExecAsync(container, new ExecRequest { Command = ["sh", "-c", command] }, ct);
    }

    /// <summary>
    /// The files of the app's /data volume with their SHA-256, as the container sees them; the
    /// app's own start log is left out (each start adds a line to it).
    /// </summary>
    public static async Task<string> DataChecksumsAsync(Lifecycle life, string app, string expectedFile, CancellationToken ct)
    {
        var sums = await ExecAsync(life, app, "web", "cd /data && find . -type f ! -name starts.log | sort | xargs sha256sum", ct);
        Assert.Equal(0, sums.ExitCode);
        Assert.Contains(expectedFile, sums.Stdout, StringComparison.Ordinal);
        return sums.Stdout;
    }
}
