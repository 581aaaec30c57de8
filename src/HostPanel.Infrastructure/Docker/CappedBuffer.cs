using System.Text;
using HostPanel.Core.Engine;

namespace HostPanel.Infrastructure.Docker;

/// <summary>Keeps the first bytes of an output up to a limit, reads and drops the rest.</summary>
internal sealed class CappedBuffer(int limit)
{
    private readonly MemoryStream _kept = new();

    public bool Truncated { get; private set; }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken ct)
    {
        var room = (int)Math.Max(0, limit - _kept.Length);
        if (chunk.Length > room)
        {
            Truncated = true;
        }

        _kept.Write(chunk.Span[..Math.Min(room, chunk.Length)]);
        return ValueTask.CompletedTask;
    }

    /// <summary>The kept bytes as UTF-8 (a character cut at the limit becomes U+FFFD), marked if truncated.</summary>
    public string Text() =>
        Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length) + (Truncated ? ExecOutput.TruncationMarker : string.Empty);
}
