namespace HostPanel.Core.Engine;

/// <summary>Where one layer of an image pull is.</summary>
public enum PullPhase
{
    /// <summary>A message about the whole image ("Pulling from …", "Status: …", "Digest: …").</summary>
    Other,
    Queued,
    Waiting,
    Downloading,
    Verifying,
    Downloaded,
    Extracting,
    Complete,

    /// <summary>The engine already had this layer.</summary>
    AlreadyPresent,
}

/// <summary>
/// Progress of one layer of an image pull. <see cref="Current"/> and <see cref="Total"/> are bytes
/// of the phase's own work: downloaded bytes while downloading, extracted bytes while extracting;
/// at <see cref="PullPhase.Downloaded"/> and <see cref="PullPhase.Complete"/> both equal the
/// phase's total when the engine told it.
/// </summary>
public sealed record PullProgress(string? LayerId, string Status, long? Current, long? Total)
{
    public PullPhase Phase { get; init; } = PullPhase.Other;
}

/// <summary>One layer's progress, folded from its events.</summary>
public sealed record LayerPullState(string LayerId, PullPhase Phase, long? DownloadedBytes, long? DownloadTotal, long? ExtractedBytes, long? ExtractTotal)
{
    public bool Done => Phase is PullPhase.Complete or PullPhase.AlreadyPresent;
}

/// <summary>
/// Folds a pull's per-layer events into one picture: each layer's state and the bytes downloaded
/// out of the bytes known so far. Give it to <c>PullAsync</c> as the progress, or feed it events.
/// </summary>
public sealed class PullProgressTracker(IProgress<PullProgressTracker>? onChange = null) : IProgress<PullProgress>
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LayerPullState> _layers = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>The layers in the order the engine first mentioned them.</summary>
    public IReadOnlyList<LayerPullState> Layers
    {
        get
        {
            lock (_gate)
            {
                return [.. _order.Select(id => _layers[id])];
            }
        }
    }

    /// <summary>The last whole-image status ("Status: Downloaded newer image for …").</summary>
    public string? LastStatus { get; private set; }

    public int CompletedLayers => Layers.Count(l => l.Done);

    /// <summary>Bytes downloaded so far, over the layers being downloaded (not those already present).</summary>
    public long DownloadedBytes => Layers.Sum(l => l.DownloadedBytes ?? 0);

    /// <summary>Sum of the download sizes the engine has announced so far; grows as layers start.</summary>
    public long KnownDownloadBytes => Layers.Sum(l => l.DownloadTotal ?? 0);

    public void Report(PullProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            if (value.LayerId is not { Length: > 0 } id || value.Phase == PullPhase.Other)
            {
                LastStatus = value.Status;
            }
            else
            {
                if (!_layers.TryGetValue(id, out var layer))
                {
                    layer = new LayerPullState(id, PullPhase.Queued, null, null, null, null);
                    _order.Add(id);
                }

                _layers[id] = Fold(layer, value);
            }
        }

        onChange?.Report(this);
    }

    internal static LayerPullState Fold(LayerPullState layer, PullProgress e) => e.Phase switch
    {
        PullPhase.Downloading or PullPhase.Downloaded => layer with
        {
            Phase = e.Phase,
            DownloadedBytes = e.Current ?? layer.DownloadedBytes,
            DownloadTotal = e.Total ?? layer.DownloadTotal,
        },
        PullPhase.Verifying => layer with { Phase = e.Phase },
        PullPhase.Extracting or PullPhase.Complete => layer with
        {
            Phase = e.Phase,

            // Extraction only starts once the download is whole.
            DownloadedBytes = layer.DownloadTotal ?? layer.DownloadedBytes,
            ExtractedBytes = e.Current ?? layer.ExtractedBytes,
            ExtractTotal = e.Total ?? layer.ExtractTotal,
        },

        // A layer never goes back: a late "Waiting" after progress is ignored.
        PullPhase.Queued or PullPhase.Waiting when layer.Phase > PullPhase.Waiting => layer,
        _ => layer with { Phase = e.Phase },
    };
}
