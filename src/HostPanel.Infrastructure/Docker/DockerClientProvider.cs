using Docker.DotNet;
using HostPanel.Core.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HostPanel.Infrastructure.Docker;

/// <summary>
/// Owns the one long-lived Docker client. The first use asks the engine for its version without
/// a version prefix, then talks to it at min(engine API, client API), so an older engine
/// (Debian's 20.10 speaks 1.41) reads requests at a version both sides know.
/// </summary>
internal sealed class DockerClientProvider(IOptions<HostPanelOptions> options, ILogger<DockerClientProvider> logger) : IDisposable
{
    /// <summary>The newest API version the client's models were generated for.</summary>
    private static readonly Version ClientApiVersion = new(1, 54);
    private static readonly Version OldestTestedApiVersion = new(1, 41);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private DockerClient? _client;

    public string Endpoint { get; } = options.Value.ResolveDockerEndpoint();

    public async Task<DockerClient> GetAsync(CancellationToken ct)
    {
        if (_client is { } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_client is { } raced)
            {
                return raced;
            }

            Version negotiated;
            using (var probe = Build(null))
            {
                // Like every other call, an engine that does not answer is an engine error.
                var version = await DockerErrors.Call("ask the engine for its version", () => probe.System.GetVersionAsync(ct)).ConfigureAwait(false);
                negotiated = Negotiate(version.APIVersion);
            }

            if (negotiated < OldestTestedApiVersion)
            {
                logger.LogWarning("The Docker engine at {Endpoint} speaks API {Version}, older than {Oldest}; some operations may fail.", Endpoint, negotiated, OldestTestedApiVersion);
            }

            _client = Build(negotiated);
            return _client;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A client without a pinned version, for the status probe that must work on any engine.</summary>
    public DockerClient BuildUnversioned() => Build(null);

    internal static Version Negotiate(string? engineApiVersion) =>
        Version.TryParse(engineApiVersion, out var engine) && engine < ClientApiVersion ? engine : ClientApiVersion;

    private DockerClient Build(Version? apiVersion)
    {
        var builder = new DockerClientBuilder()
            .WithEndpoint(new Uri(Endpoint))
            .WithTimeout(RequestTimeout);
        if (apiVersion is not null)
        {
            builder = builder.WithApiVersion(apiVersion);
        }

        return builder.Build();
    }

    public void Dispose()
    {
        _client?.Dispose();
        _gate.Dispose();
    }
}
