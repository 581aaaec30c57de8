using System.Buffers;
using Docker.DotNet;
using Docker.DotNet.Models;
using HostPanel.Core.Engine;

namespace HostPanel.Infrastructure.Docker;

/// <summary>
/// Runs one command in a container over the engine's attached exec stream: standard input is
/// copied in and then half-closed (so the command reads end-of-file), both outputs are read as
/// they come, and the exit code is read from the exec once the outputs end.
/// </summary>
internal static class DockerExec
{
    private const int ChunkSize = 64 * 1024;
    private static readonly TimeSpan ExitCodePoll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan StdinGrace = TimeSpan.FromSeconds(2);

    public sealed record Outcome(int ExitCode, CappedBuffer Stderr);

    public static async Task<Outcome> RunAsync(
        DockerClient client,
        ContainerInspectResponse container,
        ExecRequest request,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> onStdout,
        CancellationToken ct)
    {
        Validate(request);
        var name = container.Name.TrimStart('/');
        var what = $"run {request.Command[0]} in the container {name}";
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(request.Timeout);
        var token = bounded.Token;
        string? execId = null;
        try
        {
            var created = await DockerErrors.Call(what, () => client.Exec.CreateContainerExecAsync(container.ID, new ContainerExecCreateParameters
            {
                AttachStdin = request.Stdin is not null,
                AttachStdout = true,
                AttachStderr = true,
                TTY = false,
                Cmd = [.. request.Command],
                Env = [.. request.Environment.Select(kv => $"{kv.Key}={kv.Value}")],
                User = request.User ?? string.Empty,
                WorkingDir = request.WorkingDirectory ?? string.Empty,
            }, token)).ConfigureAwait(false);
            execId = created.ID;

            using var stream = await DockerErrors.Call(what, () => client.Exec.StartContainerExecAsync(
                created.ID, new ContainerExecStartParameters { Detach = false, TTY = false }, token)).ConfigureAwait(false);

            // Not every transport honours cancellation inside a read; closing the stream always ends it.
            using var abort = token.Register(stream.Dispose);
            var stdin = request.Stdin is { } input ? CopyStdinAsync(stream, input, token) : Task.CompletedTask;
            var stderr = new CappedBuffer(request.MaxOutputBytes);
            try
            {
                await ReadOutputsAsync(stream, onStdout, stderr, token).ConfigureAwait(false);
            }
            finally
            {
                await FinishStdinAsync(stream, stdin).ConfigureAwait(false);
            }

            var exitCode = await ExitCodeAsync(client, created.ID, what, token).ConfigureAwait(false);
            return new Outcome(exitCode, stderr);
        }
        catch (Exception e) when (bounded.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new EngineTimeoutException(
                $"Docker engine: {Describe(request.Command)} in the container {name} did not finish within {DockerContainers.Describe(request.Timeout)}. "
                + "The engine cannot stop a single command: it may go on running until it ends by itself or the container is restarted"
                + (execId is null ? "." : $" (exec {execId[..Math.Min(12, execId.Length)]})."),
                request.Timeout,
                e);
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is not OperationCanceledException)
        {
            // The stream was closed under a read because the caller gave up.
            throw new OperationCanceledException($"Cancelled while running {request.Command[0]} in the container {name}.", e, ct);
        }
    }

    private static void Validate(ExecRequest request)
    {
        if (request.Command.Count == 0 || string.IsNullOrWhiteSpace(request.Command[0]))
        {
            throw new ArgumentException("The command to run is empty.", nameof(request));
        }

        if (request.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("The command needs a positive timeout.", nameof(request));
        }

        if (request.MaxOutputBytes < 0)
        {
            throw new ArgumentException("The output limit cannot be negative.", nameof(request));
        }

        if (request.WorkingDirectory is { } wd && !wd.StartsWith('/'))
        {
            throw new ArgumentException($"The working directory '{wd}' must be an absolute path.", nameof(request));
        }
    }

    private static async Task ReadOutputsAsync(MultiplexedStream stream, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> onStdout, CappedBuffer stderr, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            while (true)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, ct).ConfigureAwait(false);
                if (read.EOF)
                {
                    return;
                }

                var chunk = buffer.AsMemory(0, read.Count);
                if (read.Target == MultiplexedStream.TargetStream.StandardError)
                {
                    await stderr.WriteAsync(chunk, ct).ConfigureAwait(false);
                }
                else
                {
                    await onStdout(chunk, ct).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task CopyStdinAsync(MultiplexedStream stream, Stream input, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            while (await ReadInputAsync(stream, input, buffer, ct).ConfigureAwait(false) is var count and > 0)
            {
                await stream.WriteAsync(buffer, 0, count, ct).ConfigureAwait(false);
            }

            // Half-close: the command reads end-of-file while its output still flows back.
            stream.CloseWrite();
        }
        catch (IOException) when (!ct.IsCancellationRequested)
        {
            // The command ended without reading all its input; its exit code tells the story.
        }
        catch (ObjectDisposedException) when (!ct.IsCancellationRequested)
        {
            // Closed by FinishStdinAsync after the command's outputs ended.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// A failing input must not leave the command waiting for the rest of it: the exec stream is
    /// closed, which ends the command's input and outputs, and the caller learns why.
    /// </summary>
    private static async Task<int> ReadInputAsync(MultiplexedStream stream, Stream input, byte[] buffer, CancellationToken ct)
    {
        try
        {
            return await input.ReadAsync(buffer.AsMemory(0, ChunkSize), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            stream.Dispose();
            throw new ContainerEngineException($"Could not read the input to give to the command: {e.Message}", e);
        }
    }

    /// <summary>
    /// Once the outputs have ended the command no longer needs its input: input still being copied
    /// (a command that stopped reading early) gets a moment, then its stream is closed under it.
    /// </summary>
    private static async Task FinishStdinAsync(MultiplexedStream stream, Task stdin)
    {
        if (await Task.WhenAny(stdin, Task.Delay(StdinGrace)).ConfigureAwait(false) != stdin)
        {
            stream.Dispose();
        }

        try
        {
            await stdin.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Input the command did not read, or the exec ended first; the outcome is told elsewhere.
        }
    }

    /// <summary>The outputs can end a moment before the engine records the exit: ask until it has.</summary>
    private static async Task<int> ExitCodeAsync(DockerClient client, string execId, string what, CancellationToken ct)
    {
        while (true)
        {
            var state = await DockerErrors.Call(what, () => client.Exec.InspectContainerExecAsync(execId, ct)).ConfigureAwait(false);
            if (!state.Running && state.ExitCode is { } code)
            {
                return (int)code;
            }

            await Task.Delay(ExitCodePoll, ct).ConfigureAwait(false);
        }
    }

    private static string Describe(IReadOnlyList<string> command)
    {
        var text = string.Join(' ', command);
        return text.Length > 80 ? $"'{text[..80]}…'" : $"'{text}'";
    }
}
