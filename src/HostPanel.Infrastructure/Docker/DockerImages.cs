using Docker.DotNet.Models;
using HostPanel.Core.Engine;

namespace HostPanel.Infrastructure.Docker;

internal sealed class DockerImages(DockerClientProvider clients) : IEngineImages
{
    /// <summary>A pull that hears nothing from the engine for this long is given up.</summary>
    internal static readonly TimeSpan StallTimeout = TimeSpan.FromMinutes(3);

    public async Task PullAsync(ImageReference reference, IProgress<PullProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var client = await clients.GetAsync(ct).ConfigureAwait(false);

        // A digest names exactly one image: if it is here, the registry has nothing newer to say.
        if (reference.Digest is not null && await InspectAsync(reference.ToString(), ct).ConfigureAwait(false) is not null)
        {
            progress?.Report(new PullProgress(null, $"Status: Image is up to date for {reference}", null, null));
            return;
        }

        var parameters = new ImagesCreateParameters
        {
            FromImage = reference.Repository,
            Tag = reference.Digest ?? reference.Tag ?? "latest",
        };

        using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stall.CancelAfter(StallTimeout);

        // The engine reports a failed pull inside the progress stream, not as an HTTP error.
        string? streamError = null;
        var layers = new PullLayerTotals();
        var relay = new SynchronousProgress<JSONMessage>(message =>
        {
            stall.CancelAfter(StallTimeout);
            if (message.Error is { Message: { Length: > 0 } error })
            {
                streamError ??= error;
                return;
            }

            progress?.Report(layers.Describe(message.ID, message.Status ?? string.Empty, message.Progress?.Current, message.Progress?.Total));
        });

        try
        {
            await DockerErrors.Call($"pull the image {reference}", () =>
                client.Images.CreateImageAsync(parameters, null, relay, stall.Token)).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new EngineTimeoutException(
                $"Docker engine: the pull of {reference} made no progress for {DockerContainers.Describe(StallTimeout)}; check that the registry is reachable and try again.",
                StallTimeout,
                e);
        }

        if (streamError is not null)
        {
            throw new ContainerEngineException($"Docker engine: could not pull the image {reference}: {streamError}");
        }
    }

    public async Task<ImageInfo?> InspectAsync(string reference, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        try
        {
            var image = await client.Images.InspectImageAsync(reference, ct).ConfigureAwait(false);
            return new ImageInfo(image.ID, [.. image.RepoTags ?? []], [.. image.RepoDigests ?? []], image.Size);
        }
        catch (Exception e) when (DockerErrors.IsNotFound(e))
        {
            return null;
        }
    }

    public async Task RemoveAsync(string reference, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        try
        {
            await DockerErrors.Call($"remove the image {reference}", () =>
                client.Images.DeleteImageAsync(reference, new ImageDeleteParameters(), ct)).ConfigureAwait(false);
        }
        catch (ContainerEngineException e) when (DockerErrors.IsNotFound(e.InnerException!))
        {
            // Already gone: the outcome the caller wanted.
        }
    }

    /// <summary>
    /// Turns the engine's per-layer messages into <see cref="PullProgress"/> with a phase, and
    /// fills in the byte counts on the messages that end a phase (the engine sends none there).
    /// </summary>
    internal sealed class PullLayerTotals
    {
        private readonly Dictionary<string, (long? Download, long? Extract)> _totals = new(StringComparer.Ordinal);

        public PullProgress Describe(string? layerId, string status, long? current, long? total)
        {
            var phase = layerId is { Length: > 0 } ? PhaseOf(status) : PullPhase.Other;
            if (layerId is not { Length: > 0 } id || phase == PullPhase.Other)
            {
                return new PullProgress(layerId, status, current, total) { Phase = phase };
            }

            _totals.TryGetValue(id, out var known);
            if (total is > 0)
            {
                known = phase == PullPhase.Extracting ? known with { Extract = total } : known with { Download = total };
                _totals[id] = known;
            }

            (current, total) = phase switch
            {
                PullPhase.Downloaded when known.Download is { } d => (d, d),
                PullPhase.Complete when (known.Extract ?? known.Download) is { } e => (e, e),
                _ => (current, total is > 0 ? total : null),
            };
            return new PullProgress(layerId, status, current, total) { Phase = phase };
        }

        internal static PullPhase PhaseOf(string status) => status switch
        {
            "Pulling fs layer" => PullPhase.Queued,
            "Waiting" => PullPhase.Waiting,
            "Downloading" => PullPhase.Downloading,
            "Verifying Checksum" => PullPhase.Verifying,
            "Download complete" => PullPhase.Downloaded,
            "Extracting" => PullPhase.Extracting,
            "Pull complete" => PullPhase.Complete,
            "Already exists" => PullPhase.AlreadyPresent,
            _ => PullPhase.Other,
        };
    }
}
