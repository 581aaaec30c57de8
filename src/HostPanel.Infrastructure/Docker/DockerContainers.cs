using System.Runtime.CompilerServices;
using Docker.DotNet.Models;
using HostPanel.Core.Engine;
using ContainerSpec = HostPanel.Core.Engine.ContainerSpec;

namespace HostPanel.Infrastructure.Docker;

internal sealed class DockerContainers(DockerClientProvider clients) : IEngineContainers
{
    public async Task<string> CreateAsync(ContainerSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var labels = DockerLabels.RequireManaged("container", spec.Name, spec.Labels);
        if (spec.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException($"The container '{spec.Name}' cannot be created: {string.Join("; ", problems)}.", nameof(spec));
        }

        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        foreach (var attachment in spec.Networks)
        {
            await DockerManaged.RequireNetworkAsync(client, attachment.Network, ct).ConfigureAwait(false);
        }

        var parameters = DockerContainerMapping.ToCreateParameters(spec, labels);
        var created = await DockerErrors.Call($"create the container {spec.Name}", () =>
            client.Containers.CreateContainerAsync(parameters, ct)).ConfigureAwait(false);

        try
        {
            foreach (var extra in spec.Networks.Skip(1))
            {
                await DockerErrors.Call($"attach the container {spec.Name} to the network {extra.Network}", () =>
                    client.Networks.ConnectNetworkAsync(extra.Network, new NetworkConnectParameters
                    {
                        Container = created.ID,
                        EndpointConfig = DockerContainerMapping.ToEndpoint(extra.Aliases),
                    }, ct)).ConfigureAwait(false);
            }
        }
        catch
        {
            // A half-attached container would start with the wrong networks: take it back.
            await RemoveQuietlyAsync(client, created.ID).ConfigureAwait(false);
            throw;
        }

        return created.ID;
    }

    public async Task StartAsync(string id, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        await DockerManaged.RequireContainerAsync(client, id, ct).ConfigureAwait(false);
        await DockerErrors.Call($"start the container {id}", () =>
            client.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct)).ConfigureAwait(false);
    }

    public async Task StopAsync(string id, TimeSpan grace, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        await DockerManaged.RequireContainerAsync(client, id, ct).ConfigureAwait(false);
        await DockerErrors.Call($"stop the container {id}", () =>
            client.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = GraceSeconds(grace) }, ct)).ConfigureAwait(false);
    }

    public async Task RestartAsync(string id, TimeSpan grace, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        await DockerManaged.RequireContainerAsync(client, id, ct).ConfigureAwait(false);
        await DockerErrors.Call($"restart the container {id}", () =>
            client.Containers.RestartContainerAsync(id, new ContainerRestartParameters { WaitBeforeKillSeconds = GraceSeconds(grace) }, ct)).ConfigureAwait(false);
    }

    public async Task RenameAsync(string id, string newName, CancellationToken ct = default)
    {
        if (!ContainerNames.IsValid(newName))
        {
            throw new ArgumentException($"'{newName}' is not a valid container name ({ContainerNames.Rule}).", nameof(newName));
        }

        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        var existing = await DockerManaged.RequireContainerAsync(client, id, ct).ConfigureAwait(false);
        await DockerErrors.Call($"rename the container {existing.Name.TrimStart('/')} to {newName}", () =>
            client.Containers.RenameContainerAsync(existing.ID, new ContainerRenameParameters { NewName = newName }, ct)).ConfigureAwait(false);
    }

    public async Task<ContainerInfo?> InspectAsync(string idOrName, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        return await DockerManaged.FindContainerAsync(client, idOrName, ct).ConfigureAwait(false) is { } found
            ? DockerContainerMapping.FromInspect(found)
            : null;
    }

    public async Task<IReadOnlyList<ContainerInfo>> ListAsync(LabelFilter filter, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        var list = await DockerErrors.Call("list containers", () => client.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = DockerLabels.Filters(filter) }, ct)).ConfigureAwait(false);
        return [.. list.Select(DockerContainerMapping.FromList)];
    }

    public async Task<int> WaitAsync(string id, TimeSpan timeout, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);

        // The engine answers at once, with code 0, for a container that never started: that is no job result.
        var existing = await DockerManaged.FindContainerAsync(client, id, ct).ConfigureAwait(false)
            ?? throw new ContainerEngineException($"Docker engine: the container {id} does not exist.");
        if (ContainerStatusWords.ParseState(existing.State?.Status) == ContainerState.Created)
        {
            throw new ContainerEngineException($"Docker engine: the container {existing.Name.TrimStart('/')} was never started; start it before waiting for it.");
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(timeout);
        try
        {
            var result = await DockerErrors.Call($"wait for the container {id}", () =>
                client.Containers.WaitContainerAsync(existing.ID, bounded.Token)).ConfigureAwait(false);
            if (result.Error is { Message: { Length: > 0 } error })
            {
                throw new ContainerEngineException($"Docker engine: waiting for the container {id} failed: {error}");
            }

            return (int)result.StatusCode;
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new EngineTimeoutException(
                $"Docker engine: the container {id} was still running after {Describe(timeout)}; it is left running (stop or remove it to end it).",
                timeout,
                e);
        }
        catch (ContainerEngineException e) when (e.InnerException is { } inner && DockerErrors.IsNotFound(inner))
        {
            throw new ContainerEngineException($"Docker engine: the container {id} does not exist.", e);
        }
    }

    public async IAsyncEnumerable<LogLine> LogsAsync(string id, int tail, bool follow, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        await foreach (var line in DockerLogReader.ReadAsync(client, id, tail, follow, ct).ConfigureAwait(false))
        {
            yield return line;
        }
    }

    public async Task<ExecResult> ExecAsync(string id, ExecRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        var container = await DockerManaged.RequireContainerAsync(client, id, ct).ConfigureAwait(false);
        var stdout = new CappedBuffer(request.MaxOutputBytes);
        var outcome = await DockerExec.RunAsync(client, container, request, stdout.WriteAsync, ct).ConfigureAwait(false);
        return new ExecResult(outcome.ExitCode, stdout.Text(), outcome.Stderr.Text())
        {
            StdoutTruncated = stdout.Truncated,
            StderrTruncated = outcome.Stderr.Truncated,
        };
    }

    public async Task<ExecStreamResult> ExecStreamAsync(string id, ExecRequest request, Stream stdout, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(stdout);
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        var container = await DockerManaged.RequireContainerAsync(client, id, ct).ConfigureAwait(false);
        long copied = 0;
        var outcome = await DockerExec.RunAsync(
            client,
            container,
            request,
            async (chunk, token) =>
            {
                await stdout.WriteAsync(chunk, token).ConfigureAwait(false);
                copied += chunk.Length;
            },
            ct).ConfigureAwait(false);
        await stdout.FlushAsync(ct).ConfigureAwait(false);
        return new ExecStreamResult(outcome.ExitCode, outcome.Stderr.Text(), copied);
    }

    public async Task RemoveAsync(string id, bool force, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(ct).ConfigureAwait(false);
        if (await InspectAsync(id, ct).ConfigureAwait(false) is not { } existing)
        {
            return;
        }

        if (!HostPanelLabels.IsManaged(existing.Labels))
        {
            throw new NotManagedByHostPanelException("container", existing.Name);
        }

        try
        {
            await client.Containers.RemoveContainerAsync(existing.Id, new ContainerRemoveParameters { Force = force, RemoveVolumes = false }, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (DockerErrors.IsNotFound(e))
        {
            // Removed meanwhile: the outcome the caller wanted.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ContainerEngineException($"Docker engine: could not remove the container {existing.Name}: {DockerErrors.Describe(e)}", e);
        }
    }

    internal static string Describe(TimeSpan span) =>
        span.TotalSeconds < 120 ? $"{span.TotalSeconds:0.#} s" : $"{span.TotalMinutes:0.#} min";

    private static uint GraceSeconds(TimeSpan grace) => (uint)Math.Max(0, Math.Ceiling(grace.TotalSeconds));

    private static async Task RemoveQuietlyAsync(global::Docker.DotNet.DockerClient client, string id)
    {
        using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, cleanup.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The original failure is the one worth reporting.
        }
    }
}
