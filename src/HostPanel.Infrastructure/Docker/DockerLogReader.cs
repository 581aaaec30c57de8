using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using HostPanel.Core.Engine;

namespace HostPanel.Infrastructure.Docker;

/// <summary>Reads a container's log stream and cuts it into timestamped lines.</summary>
internal static class DockerLogReader
{
    /// <summary>A longer line is handed out in pieces, so one runaway line cannot fill the memory.</summary>
    internal const int MaxLineBytes = 64 * 1024;

    public static async IAsyncEnumerable<LogLine> ReadAsync(DockerClient client, string id, int tail, bool follow, [EnumeratorCancellation] CancellationToken ct)
    {
        var parameters = new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Timestamps = true,
            Follow = follow,
            Tail = tail < 0 ? "all" : tail.ToString(CultureInfo.InvariantCulture),
        };

        MultiplexedStream stream;
        try
        {
            stream = await DockerErrors.Call($"read the logs of the container {id}", () =>
                client.Containers.GetContainerLogsAsync(id, parameters, ct)).ConfigureAwait(false);
        }
        catch (ContainerEngineException e) when (e.InnerException is { } inner && DockerErrors.IsNotFound(inner))
        {
            throw new ContainerEngineException($"Docker engine: the container {id} does not exist.", e);
        }

        using (stream)
        using (ct.Register(stream.Dispose))
        {
            var splitter = new LineSplitter();
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                while (true)
                {
                    var read = await ReadAsync(stream, buffer, id, ct).ConfigureAwait(false);
                    if (read.EOF)
                    {
                        break;
                    }

                    var target = read.Target == MultiplexedStream.TargetStream.StandardError ? LogStream.Stderr : LogStream.Stdout;
                    foreach (var line in splitter.Add(target, buffer.AsSpan(0, read.Count)))
                    {
                        yield return line;
                    }
                }

                foreach (var line in splitter.Flush())
                {
                    yield return line;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static async Task<MultiplexedStream.ReadResult> ReadAsync(MultiplexedStream stream, byte[] buffer, string id, CancellationToken ct)
    {
        try
        {
            return await stream.ReadOutputAsync(buffer, 0, buffer.Length, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is not OperationCanceledException)
        {
            // The stream was closed under the read because the caller stopped following.
            throw new OperationCanceledException($"Stopped reading the logs of the container {id}.", e, ct);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new ContainerEngineException($"Docker engine: could not read the logs of the container {id}: {DockerErrors.Describe(e)}", e);
        }
    }

    /// <summary>
    /// Cuts each output into lines; a frame may end mid-line. Every line starts with the timestamp
    /// the engine adds ("2024-05-01T10:00:00.123456789Z text").
    /// </summary>
    internal sealed class LineSplitter
    {
        private readonly Dictionary<LogStream, List<byte>> _pending = new()
        {
            [LogStream.Stdout] = [],
            [LogStream.Stderr] = [],
        };

        public List<LogLine> Add(LogStream target, ReadOnlySpan<byte> bytes)
        {
            var lines = new List<LogLine>();
            var pending = _pending[target];
            while (!bytes.IsEmpty)
            {
                var newline = bytes.IndexOf((byte)'\n');
                var take = newline >= 0 ? newline : bytes.Length;
                var room = MaxLineBytes - pending.Count;
                if (take > room)
                {
                    pending.AddRange(bytes[..room]);
                    lines.Add(Parse(target, pending));
                    bytes = bytes[room..];
                    continue;
                }

                pending.AddRange(bytes[..take]);
                if (newline < 0)
                {
                    break;
                }

                lines.Add(Parse(target, pending));
                bytes = bytes[(newline + 1)..];
            }

            return lines;
        }

        public List<LogLine> Flush()
        {
            var lines = new List<LogLine>();
            foreach (var (target, pending) in _pending)
            {
                if (pending.Count > 0)
                {
                    lines.Add(Parse(target, pending));
                }
            }

            return lines;
        }

        private static LogLine Parse(LogStream target, List<byte> pending)
        {
            var text = Encoding.UTF8.GetString([.. pending]).TrimEnd('\r');
            pending.Clear();
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && DockerContainerMapping.ParseTimestamp(text[..space]) is { } timestamp)
            {
                return new LogLine(target, text[(space + 1)..], timestamp);
            }

            return new LogLine(target, text, null);
        }
    }
}
