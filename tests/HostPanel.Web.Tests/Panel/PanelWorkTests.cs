using HostPanel.Core.Apps;
using HostPanel.Core.Operations;
using HostPanel.Web.Panel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostPanel.Web.Tests.Panel;

public sealed class PanelWorkTests : IDisposable
{
    private readonly OperationEvents _events = new();
    private readonly ServiceProvider _services = new ServiceCollection().BuildServiceProvider();
    private readonly Lifetime _lifetime = new();
    private readonly PanelWork _work;

    public PanelWorkTests() => _work = new PanelWork(_services.GetRequiredService<IServiceScopeFactory>(), _events, _lifetime, NullLogger<PanelWork>.Instance);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private void Started(Guid id) => _events.Publish(new OperationStarted(id, DateTimeOffset.UtcNow, "notes", "default", OperationKind.Backup));

    [Fact]
    public async Task Returns_the_operation_the_work_started_while_the_work_goes_on()
    {
        var id = Guid.NewGuid();
        var release = new TaskCompletionSource();

        var started = await _work.StartAsync(async (_, ct) =>
        {
            Started(id);
            await release.Task.WaitAsync(ct);
        }, Ct);

        Assert.Equal(id, started);
        Assert.Equal(1, _work.Running);
        release.SetResult();
        await _work.DrainAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, _work.Running);
    }

    [Fact]
    public async Task Only_the_operation_of_its_own_work_is_returned()
    {
        var mine = Guid.NewGuid();
        var release = new TaskCompletionSource();
        // Someone else's operation starts meanwhile, on another flow.
        var other = Task.Run(async () =>
        {
            await Task.Delay(20, Ct);
            Started(Guid.NewGuid());
        }, Ct);

        var started = await _work.StartAsync(async (_, ct) =>
        {
            await other.WaitAsync(ct);
            Started(mine);
            await release.Task.WaitAsync(ct);
        }, Ct);

        Assert.Equal(mine, started);
        release.SetResult();
        await _work.DrainAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Waiting_for_a_kind_skips_the_operations_that_come_before_it()
    {
        var backup = Guid.NewGuid();
        var update = Guid.NewGuid();
        var release = new TaskCompletionSource();

        var started = await _work.StartAsync(OperationKind.Update, async (_, ct) =>
        {
            Started(backup);
            _events.Publish(new OperationStarted(update, DateTimeOffset.UtcNow, "notes", "default", OperationKind.Update));
            await release.Task.WaitAsync(ct);
        }, Ct);

        Assert.Equal(update, started);
        release.SetResult();
        await _work.DrainAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_refusal_before_any_operation_reaches_the_page()
    {
        var refusal = await Assert.ThrowsAsync<AppRequestException>(() => _work.StartAsync((_, _) => throw new AppRequestException("domain", "bad domain"), Ct));

        Assert.Equal("domain", refusal.Field);
    }

    [Fact]
    public async Task Work_that_starts_no_operation_gives_null()
    {
        Assert.Null(await _work.StartAsync((_, _) => Task.CompletedTask, Ct));
    }

    [Fact]
    public async Task A_page_that_stops_waiting_does_not_stop_the_work()
    {
        var release = new TaskCompletionSource();
        var finished = new TaskCompletionSource();
        using var page = new CancellationTokenSource();
        var waiting = _work.StartAsync(async (_, ct) =>
        {
            await release.Task.WaitAsync(ct);
            finished.SetResult();
        }, page.Token);

        await page.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        release.SetResult();
        await finished.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    public void Dispose()
    {
        _work.Dispose();
        _services.Dispose();
        _lifetime.Dispose();
    }

    private sealed class Lifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => _stopping.Cancel();

        public void Dispose() => _stopping.Dispose();
    }
}
