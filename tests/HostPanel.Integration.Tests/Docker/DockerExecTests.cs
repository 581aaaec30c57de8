using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using HostPanel.Core.Engine;

namespace HostPanel.Integration.Tests.Docker;

/// <summary>Running commands inside containers, on the real engine.</summary>
public sealed class DockerExecTests() : EngineTestScope("exec")
{
    [Fact]
    public async Task ReturnsExitCodeStdoutAndStderr()
    {
        var id = await StartAsync(WebSpec("web"));

        var result = await Engine.Containers.ExecAsync(id, new ExecRequest
        {
            Command = ["sh", "-c", "echo out; echo err >&2; exit 7"],
            Timeout = TimeSpan.FromSeconds(20),
        }, Ct);

        Assert.Equal(7, result.ExitCode);
        Assert.Equal("out\n", result.Stdout);
        Assert.Equal("err\n", result.Stderr);
        Assert.False(result.StdoutTruncated);
    }

    [Fact]
    public async Task HonoursEnvironmentUserAndWorkingDirectory()
    {
        var id = await StartAsync(WebSpec("web"));

        var result = await Engine.Containers.ExecAsync(id, new ExecRequest
        {
            Command = ["sh", "-c", "echo \"$GREETING\"; id -u; id -g; pwd"],
            Environment = new Dictionary<string, string> { ["GREETING"] = "bonjour à tous" },
            User = "1234:2345",
            WorkingDirectory = "/srv",
            Timeout = TimeSpan.FromSeconds(20),
        }, Ct);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("bonjour à tous\n1234\n2345\n/srv\n", result.Stdout);
    }

    [Fact]
    public async Task PipesStdinAndClosesIt()
    {
        var id = await StartAsync(WebSpec("web"));
        var input = new byte[3 * 1024 * 1024];
        new Random(42).NextBytes(input);

        var result = await Engine.Containers.ExecAsync(id, new ExecRequest
        {
            Command = ["wc", "-c"],
            Stdin = new MemoryStream(input),
            Timeout = TimeSpan.FromSeconds(30),
        }, Ct);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(input.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Stdout.Trim());
    }

    [Fact]
    public async Task ACommandThatStopsReadingItsInputEarlyStillFinishes()
    {
        var id = await StartAsync(WebSpec("web"));
        var clock = Stopwatch.StartNew();

        var result = await Engine.Containers.ExecAsync(id, new ExecRequest
        {
            Command = ["head", "-c", "5"],
            Stdin = new MemoryStream(Encoding.ASCII.GetBytes(new string('z', 20 * 1024 * 1024))),
            Timeout = TimeSpan.FromSeconds(30),
        }, Ct);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("zzzzz", result.Stdout);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task AFailingInputEndsTheCommandAndSaysWhy()
    {
        var id = await StartAsync(WebSpec("web"));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ContainerEngineException>(() => Engine.Containers.ExecAsync(id, new ExecRequest
        {
            Command = ["wc", "-c"],
            Stdin = new FailingStream(),
            Timeout = TimeSpan.FromSeconds(30),
        }, Ct));

        Assert.IsNotType<EngineTimeoutException>(error);
        Assert.Contains("Could not read the input", error.Message);
        Assert.Contains("disk went away", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task StdinAndStdoutFlowTogetherWithoutDeadlock()
    {
        var id = await StartAsync(WebSpec("web"));
        var input = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 200_000).Select(i => $"{i}\n")));

        var sink = new MemoryStream();
        var result = await Engine.Containers.ExecStreamAsync(id, new ExecRequest
        {
            Command = ["cat"],
            Stdin = new MemoryStream(input),
            Timeout = TimeSpan.FromSeconds(30),
        }, sink, Ct);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(input.Length, result.StdoutBytes);
        Assert.Equal(SHA256.HashData(input), SHA256.HashData(sink.ToArray()));
    }

    [Fact]
    public async Task StreamsSeveralMegabytesIntoTheCallersStream()
    {
        var id = await StartAsync(WebSpec("web"));
        var expected = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(1, 800_000).Select(i => $"{i}\n")));

        using var sink = new HashingStream();
        var result = await Engine.Containers.ExecStreamAsync(id, new ExecRequest
        {
            Command = ["sh", "-c", "seq 1 800000; echo done >&2"],
            Timeout = TimeSpan.FromSeconds(60),
            MaxOutputBytes = 1024,
        }, sink, Ct);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("done\n", result.Stderr);
        Assert.True(expected.Length > 5_000_000, "the test should move several megabytes");
        Assert.Equal(expected.Length, result.StdoutBytes);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(expected)), sink.Hash());
        Assert.True(sink.LargestWrite <= 64 * 1024, $"the output should arrive in chunks, not at once (largest write {sink.LargestWrite} bytes)");
    }

    [Fact]
    public async Task TruncatesCapturedOutputBeyondTheLimitWithAMarker()
    {
        var id = await StartAsync(WebSpec("web"));

        var result = await Engine.Containers.ExecAsync(id, new ExecRequest
        {
            Command = ["sh", "-c", "head -c 300000 /dev/zero | tr '\\0' a; head -c 5000 /dev/zero | tr '\\0' b >&2"],
            MaxOutputBytes = 100_000,
            Timeout = TimeSpan.FromSeconds(20),
        }, Ct);

        Assert.Equal(0, result.ExitCode);
        Assert.True(result.StdoutTruncated);
        Assert.Equal(new string('a', 100_000) + ExecOutput.TruncationMarker, result.Stdout);
        Assert.False(result.StderrTruncated);
        Assert.Equal(new string('b', 5000), result.Stderr);
    }

    [Fact]
    public async Task GivesUpAfterTheTimeoutWithATypedError()
    {
        var id = await StartAsync(WebSpec("web"));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<EngineTimeoutException>(() => Engine.Containers.ExecAsync(id, new ExecRequest
        {
            Command = ["sleep", "30"],
            Timeout = TimeSpan.FromSeconds(1),
        }, Ct));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(TimeSpan.FromSeconds(1), error.Timeout);
        Assert.Contains("did not finish within 1 s", error.Message);
        Assert.Contains("cannot stop a single command", error.Message);

        // The container itself is unharmed and still answers; the engine has no call to stop the
        // abandoned command, so it is still there until it ends by itself.
        var after = await Engine.Containers.ExecAsync(id, new ExecRequest { Command = ["ps"], Timeout = TimeSpan.FromSeconds(10) }, Ct);
        Assert.Equal(0, after.ExitCode);
        Assert.Contains("sleep 30", after.Stdout);
    }

    [Fact]
    public async Task ACommandThatIsNotThereFailsWithTheEnginesWords()
    {
        var id = await StartAsync(WebSpec("web"));

        var result = await Engine.Containers.ExecAsync(id, new ExecRequest { Command = ["/no/such/program"], Timeout = TimeSpan.FromSeconds(10) }, Ct);

        // The engine reports a missing program as exit code 126/127 with its reason on the output.
        Assert.InRange(result.ExitCode, 126, 127);
        Assert.Contains("no such file", result.Stdout + result.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RefusesAContainerItDoesNotManage()
    {
        var foreign = await ForeignContainerAsync(start: true);

        await Assert.ThrowsAsync<NotManagedByHostPanelException>(() =>
            Engine.Containers.ExecAsync(foreign, new ExecRequest { Command = ["true"] }, Ct));
        await Assert.ThrowsAsync<NotManagedByHostPanelException>(() =>
            Engine.Containers.ExecStreamAsync(foreign, new ExecRequest { Command = ["true"] }, Stream.Null, Ct));
    }

    [Fact]
    public async Task ExecInAStoppedContainerSaysItIsNotRunning()
    {
        var id = await CreateAsync(WebSpec("web"));

        var error = await Assert.ThrowsAsync<ContainerEngineException>(() =>
            Engine.Containers.ExecAsync(id, new ExecRequest { Command = ["true"], Timeout = TimeSpan.FromSeconds(10) }, Ct));

        Assert.Contains("not running", error.Message);
    }

    /// <summary>An input that gives some bytes, then fails like a broken disk.</summary>
    private sealed class FailingStream : Stream
    {
        private int _reads;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) =>
            _reads++ == 0 ? Math.Min(count, 1000) : throw new IOException("the disk went away");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A write-only sink that keeps only a hash, so the test holds no copy of the output.</summary>
    private sealed class HashingStream : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public int LargestWrite { get; private set; }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public string Hash() => Convert.ToHexString(_hash.GetCurrentHash());

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            LargestWrite = Math.Max(LargestWrite, buffer.Length);
            _hash.AppendData(buffer);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
