namespace HostPanel.Acme.Tests.Unit;

/// <summary>The DNS provider for records a person creates by hand.</summary>
public class ManualDnsProviderTests
{
    [Fact]
    public async Task TheRecordIsReportedAndTheWaitEndsWhenTheCallerConfirmsIt()
    {
        using var timeout = TestSupport.Timeout();
        var provider = new ManualDnsProvider(TimeSpan.FromSeconds(30));
        var requested = new List<DnsTxtRecord>();
        provider.RecordRequested += (_, e) => requested.Add(e.Record);
        IDnsProvider dns = provider;

        await dns.CreateTxtRecordAsync("_acme-challenge.Example.org.", "value-1", timeout.Token);
        var wait = dns.WaitForTxtRecordAsync("_acme-challenge.example.org", "value-1", timeout.Token);

        Assert.Equal([new DnsTxtRecord("_acme-challenge.example.org", "value-1")], requested);
        Assert.Equal(requested, provider.PendingRecords);
        Assert.False(wait.IsCompleted);
        Assert.Equal(0, provider.Confirm("_acme-challenge.other.example.org"));
        Assert.Equal(1, provider.Confirm("_acme-challenge.example.org."));
        await wait;
        Assert.Empty(provider.PendingRecords);
    }

    [Fact]
    public async Task AnUnconfirmedRecordTimesOut()
    {
        using var timeout = TestSupport.Timeout();
        var time = new SteppingTimeProvider();
        IDnsProvider dns = new ManualDnsProvider(TimeSpan.FromMinutes(10), time);
        await dns.CreateTxtRecordAsync("_acme-challenge.example.org", "value-1", timeout.Token);

        var e = await Assert.ThrowsAsync<TimeoutException>(() => dns.WaitForTxtRecordAsync("_acme-challenge.example.org", "value-1", timeout.Token));

        Assert.Contains("_acme-challenge.example.org", e.Message, StringComparison.Ordinal);
        Assert.Equal([TimeSpan.FromMinutes(10)], time.Delays);
    }

    [Fact]
    public async Task DeletingARecordReportsThatItMayGo()
    {
        using var timeout = TestSupport.Timeout();
        var provider = new ManualDnsProvider(TimeSpan.FromSeconds(30));
        var released = new List<DnsTxtRecord>();
        provider.RecordReleased += (_, e) => released.Add(e.Record);
        IDnsProvider dns = provider;
        await dns.CreateTxtRecordAsync("_acme-challenge.example.org", "a", timeout.Token);
        await dns.CreateTxtRecordAsync("_acme-challenge.example.org", "b", timeout.Token);

        await dns.DeleteTxtRecordAsync("_acme-challenge.example.org", "a", timeout.Token);

        Assert.Equal([new DnsTxtRecord("_acme-challenge.example.org", "a")], released);
        Assert.Equal([new DnsTxtRecord("_acme-challenge.example.org", "b")], provider.PendingRecords);
    }
}
