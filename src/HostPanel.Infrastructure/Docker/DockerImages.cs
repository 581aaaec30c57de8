using Docker.DotNet.Models;
using HostPanel.Core.Engine;

namespace HostPanel.Infrastructure.Docker;

internal sealed class DockerImages(DockerClientProvider clients) : IEngineImages
{
    public async Task PullAsync(ImageReference reference, IProgress<PullProgress>? progress = null, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        var parameters = new ImagesCreateParameters
        {
            FromImage = reference.Repository,
            Tag = reference.Digest ?? reference.Tag ?? "latest",
        };

        // The engine reports a failed pull inside the progress stream, not as an HTTP error.
        string? streamError = null;
        var relay = new SynchronousProgress<JSONMessage>(message =>
        {
            if (message.Error is { Message: { Length: > 0 } error })
            {
                streamError ??= error;
                return;
            }

            progress?.Report(new PullProgress(message.ID, message.Status ?? string.Empty, message.Progress?.Current, message.Progress?.Total));
        });

        await DockerErrors.Call($"pull the image {reference}", () =>
            client.Images.CreateImageAsync(parameters, null, relay, ct)).ConfigureAwait(false);

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
    /// Calls the handler on the reporting thread, in order. <see cref="Progress{T}"/> would post to
    /// the thread pool, losing order and racing with the end of the pull.
    /// </summary>
    private sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
