using HostPanel.Core.Apps;
using HostPanel.Core.Engine;

namespace HostPanel.Web.Hosting;

/// <summary>
/// At start-up, finishes or undoes the operations a crash interrupted and restarts what should
/// run. Waits (bounded, with back-off) for the engine; never stops the panel from starting.
/// </summary>
internal sealed partial class ReconcileAtStartup(Reconciler reconciler, IContainerEngine engine, ILogger<ReconcileAtStartup> logger) : BackgroundService
{
    private static readonly TimeSpan[] Waits = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var wait in Waits.Prepend(TimeSpan.Zero))
        {
            await Task.Delay(wait, stoppingToken).ConfigureAwait(false);
            if (!(await engine.System.GetStatusAsync(stoppingToken).ConfigureAwait(false)).Reachable)
            {
                continue;
            }

            try
            {
                var report = await reconciler.RunAsync(stoppingToken).ConfigureAwait(false);
                LogReconciled(report.Resumed.Count, report.Restarted.Count, string.Join("; ", report.Drift));
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
            }
        }

        LogGaveUp();
    }

    [LoggerMessage(LogLevel.Information, "Start-up reconciliation: {Resumed} operation(s) resumed, {Restarted} container(s) restarted; drift: {Drift}")]
    private partial void LogReconciled(int resumed, int restarted, string drift);

    [LoggerMessage(LogLevel.Warning, "Start-up reconciliation failed; will try again")]
    private partial void LogFailed(Exception e);

    [LoggerMessage(LogLevel.Warning, "Start-up reconciliation gave up: the container engine never answered. Run `hostpanel reconcile` once it does.")]
    private partial void LogGaveUp();
}
