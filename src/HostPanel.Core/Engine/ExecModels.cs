using System.Collections.ObjectModel;

namespace HostPanel.Core.Engine;

/// <summary>A command to run inside a running container, next to its main process.</summary>
public sealed record ExecRequest
{
    /// <summary>1 MiB: enough for any command's report, small enough to keep in memory.</summary>
    public const int DefaultMaxOutputBytes = 1024 * 1024;

    /// <summary>The program and its arguments, run directly (no shell).</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>Added to the container's environment for this command only.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>"user", "uid" or "uid:gid"; null runs as the container's user.</summary>
    public string? User { get; init; }

    /// <summary>Absolute path; null runs in the container's working directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// Copied to the command's standard input, which is then closed so the command sees the end
    /// of its input. Null gives the command no standard input.
    /// </summary>
    public Stream? Stdin { get; init; }

    /// <summary>How long the whole command may take, input and output included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How much of each captured output (stdout, stderr) is kept; the rest is read and dropped,
    /// and the kept text ends with <see cref="ExecOutput.TruncationMarker"/>.
    /// </summary>
    public int MaxOutputBytes { get; init; } = DefaultMaxOutputBytes;
}

/// <summary>What a finished command left: its exit code and captured output (UTF-8).</summary>
public sealed record ExecResult(int ExitCode, string Stdout, string Stderr)
{
    public bool StdoutTruncated { get; init; }
    public bool StderrTruncated { get; init; }
}

/// <summary>What a finished streamed command left: its output went to the caller's stream.</summary>
/// <param name="ExitCode">The command's exit code.</param>
/// <param name="Stderr">Its error output, capped like <see cref="ExecResult.Stderr"/>.</param>
/// <param name="StdoutBytes">How many bytes of standard output were copied to the caller's stream.</param>
public sealed record ExecStreamResult(int ExitCode, string Stderr, long StdoutBytes);

public static class ExecOutput
{
    /// <summary>Ends a captured output that was longer than the request allowed.</summary>
    public const string TruncationMarker = "\n[… output truncated]";
}

public enum LogStream
{
    Stdout,
    Stderr,
}

/// <summary>One line a container wrote, without its line ending.</summary>
/// <param name="Stream">Which output the line came from.</param>
/// <param name="Text">The line, decoded as UTF-8.</param>
/// <param name="Timestamp">When the engine received it.</param>
public sealed record LogLine(LogStream Stream, string Text, DateTimeOffset? Timestamp);
