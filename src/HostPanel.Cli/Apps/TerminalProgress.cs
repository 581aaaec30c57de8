using System.Globalization;
using HostPanel.Core.Operations;

namespace HostPanel.Cli.Apps;

/// <summary>
/// Shows an operation's progress in a terminal: one line per step, and a progress bar for image
/// pulls (redrawn in place on a real terminal, throttled to a few updates a second otherwise).
/// </summary>
internal sealed class TerminalProgress(TextWriter output) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Current, long Total)> _layers = new(StringComparer.Ordinal);
    private readonly bool _interactive = !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out);
    private DateTimeOffset _lastBar;
    private bool _barShown;

    public void Show(OperationEvent e)
    {
        lock (_gate)
        {
            switch (e)
            {
                case StepStarted s:
                    EndBar();
                    _layers.Clear();
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{s.Index + 1}/{s.Count}] {(s.Undo ? "↩ " : string.Empty)}{s.Description}"));
                    break;
                case PullProgressed p when p.Layer is not null && p.Total is > 0:
                    _layers[p.Layer] = (p.Current ?? 0, p.Total.Value);
                    if (p.At - _lastBar > TimeSpan.FromMilliseconds(250))
                    {
                        _lastBar = p.At;
                        DrawBar();
                    }

                    break;
            }
        }
    }

    public void Finish()
    {
        lock (_gate)
        {
            EndBar();
        }
    }

    private void DrawBar()
    {
        var current = _layers.Values.Sum(l => l.Current);
        var total = Math.Max(1, _layers.Values.Sum(l => l.Total));
        var filled = (int)(30 * Math.Min(1.0, (double)current / total));
        var line = string.Create(CultureInfo.InvariantCulture, $"      [{new string('#', filled)}{new string('.', 30 - filled)}] {current / 1048576.0:0.0}/{total / 1048576.0:0.0} MiB, {_layers.Count} layers");
        if (_interactive)
        {
            output.Write("\r" + line);
            _barShown = true;
        }
        else
        {
            output.WriteLine(line);
        }
    }

    private void EndBar()
    {
        if (_barShown)
        {
            output.WriteLine();
            _barShown = false;
        }
    }

    public void Dispose() => Finish();
}
