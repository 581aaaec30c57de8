using HostPanel.Core.Engine;

namespace HostPanel.Infrastructure.Docker;

internal sealed class DockerSystem(DockerClientProvider clients) : IEngineSystem
{
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(10);

    public async Task<EngineStatus> GetStatusAsync(CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(StatusTimeout);
        try
        {
            using var client = clients.BuildUnversioned();
            var version = await client.System.GetVersionAsync(timeout.Token).ConfigureAwait(false);
            return new EngineStatus(clients.Endpoint, true, version.Version, version.APIVersion, version.Os, null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return EngineStatus.Unreachable(clients.Endpoint, $"no answer within {StatusTimeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return EngineStatus.Unreachable(clients.Endpoint, MissingSocket() ?? DockerErrors.Describe(e));
        }
    }

    /// <summary>The most common cause, said plainly: the engine's socket file is not there.</summary>
    private string? MissingSocket()
    {
        const string scheme = "unix://";
        if (!clients.Endpoint.StartsWith(scheme, StringComparison.Ordinal))
        {
            return null;
        }

        var path = clients.Endpoint[scheme.Length..];
        return File.Exists(path) || Directory.Exists(path) ? null : $"there is no engine socket at {path}";
    }
}
