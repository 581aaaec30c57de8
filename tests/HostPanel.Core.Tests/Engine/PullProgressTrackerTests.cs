using HostPanel.Core.Engine;

namespace HostPanel.Core.Tests.Engine;

public class PullProgressTrackerTests
{
    private static PullProgress Event(string? layer, PullPhase phase, long? current = null, long? total = null) =>
        new(layer, phase.ToString(), current, total) { Phase = phase };

    [Fact]
    public void FoldsEachLayerFromQueuedToComplete()
    {
        var tracker = new PullProgressTracker();
        foreach (var e in new[]
        {
            Event("1", PullPhase.Other),
            Event("a", PullPhase.Queued),
            Event("b", PullPhase.AlreadyPresent),
            Event("a", PullPhase.Downloading, 100, 1000),
            Event("a", PullPhase.Downloading, 600, 1000),
        })
        {
            tracker.Report(e);
        }

        var a = tracker.Layers[0];
        Assert.Equal(["a", "b"], tracker.Layers.Select(l => l.LayerId));
        Assert.Equal(PullPhase.Downloading, a.Phase);
        Assert.Equal(600, a.DownloadedBytes);
        Assert.Equal(1000, a.DownloadTotal);
        Assert.Equal(600, tracker.DownloadedBytes);
        Assert.Equal(1000, tracker.KnownDownloadBytes);
        Assert.Equal(1, tracker.CompletedLayers);

        tracker.Report(Event("a", PullPhase.Verifying));
        tracker.Report(Event("a", PullPhase.Downloaded, 1000, 1000));
        tracker.Report(Event("a", PullPhase.Extracting, 2000, 5000));
        Assert.Equal((PullPhase.Extracting, 1000L, 2000L, 5000L), (tracker.Layers[0].Phase, tracker.Layers[0].DownloadedBytes!.Value, tracker.Layers[0].ExtractedBytes!.Value, tracker.Layers[0].ExtractTotal!.Value));

        tracker.Report(Event("a", PullPhase.Complete, 5000, 5000));
        tracker.Report(Event(null, PullPhase.Other) with { Status = "Status: Downloaded newer image for x:1" });

        Assert.Equal(2, tracker.CompletedLayers);
        Assert.True(tracker.Layers.All(l => l.Done));
        Assert.Equal("Status: Downloaded newer image for x:1", tracker.LastStatus);
    }

    [Fact]
    public void ALateWaitingDoesNotSendALayerBack()
    {
        var tracker = new PullProgressTracker();
        tracker.Report(Event("a", PullPhase.Downloading, 10, 100));
        tracker.Report(Event("a", PullPhase.Waiting));

        Assert.Equal(PullPhase.Downloading, tracker.Layers[0].Phase);
    }

    [Fact]
    public void ExtractionCountsTheWholeDownloadEvenIfItsEndWasNotSeen()
    {
        var tracker = new PullProgressTracker();
        tracker.Report(Event("a", PullPhase.Downloading, 10, 100));
        tracker.Report(Event("a", PullPhase.Extracting, 1, 300));

        Assert.Equal(100, tracker.DownloadedBytes);
    }

    [Fact]
    public void TellsItsListenerAfterEachEvent()
    {
        var seen = new List<int>();
        var tracker = new PullProgressTracker(new Listener(t => seen.Add(t.Layers.Count)));

        tracker.Report(Event("a", PullPhase.Queued));
        tracker.Report(Event("b", PullPhase.Queued));

        Assert.Equal([1, 2], seen);
    }

    private sealed class Listener(Action<PullProgressTracker> onReport) : IProgress<PullProgressTracker>
    {
        public void Report(PullProgressTracker value) => onReport(value);
    }
}
