using System.Globalization;
using HostPanel.Core.Operations;

namespace HostPanel.Core.Tests.Operations;

public sealed class OperationEventsTests
{
    private static OperationStarted Started() => new(Guid.NewGuid(), DateTimeOffset.UtcNow, "notes", "default", OperationKind.Backup);

    [Fact]
    public async Task A_subscriber_here_hears_events_in_its_own_culture_whoever_publishes()
    {
        var events = new OperationEvents();
        CultureInfo? heardIn = null;
        CultureInfo? plainHeardIn = null;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en");
        using var here = events.SubscribeHere(_ => heardIn = CultureInfo.CurrentCulture);
        using var plain = events.Subscribe(_ => plainHeardIn = CultureInfo.CurrentCulture);

        // A schedule publishing on a flow of its own, in another culture.
        await Task.Run(() =>
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr");
            events.Publish(Started());
        }, TestContext.Current.CancellationToken);

        Assert.Equal("en", heardIn?.Name);
        Assert.Equal("fr", plainHeardIn?.Name);
    }

    [Fact]
    public void A_subscriber_that_is_gone_hears_nothing_and_a_broken_one_breaks_nothing()
    {
        var events = new OperationEvents();
        var heard = 0;
        var gone = events.SubscribeHere(_ => heard++);
        using var broken = events.SubscribeHere(_ => throw new InvalidOperationException("broken page"));

        events.Publish(Started());
        gone.Dispose();
        events.Publish(Started());

        Assert.Equal(1, heard);
    }
}
