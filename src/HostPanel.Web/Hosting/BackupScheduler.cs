using HostPanel.Core.Apps;
using HostPanel.Core.Backups;
using HostPanel.Core.Configuration;
using HostPanel.Core.Operations;

namespace HostPanel.Web.Hosting;

/// <summary>
/// The nightly backups of every running app at <see cref="HostPanelOptions.BackupHour"/>, then
/// the repository's maintenance (prune and a rotating check), and the weekly restore drills.
/// What is due is read from the journal each minute, so a panel that was off at the hour catches
/// up when it starts; every run is an operation of actor "schedule", failures included.
/// </summary>
internal sealed partial class BackupScheduler(
    BackupService backups,
    IInstanceStore instances,
    IOperationJournal journal,
    HostPanelOptions options,
    HostPanel.Core.Mail.AdministratorAlerts alerts,
    HostPanel.Infrastructure.Handover.PanelStateBackup panelState,
    TimeProvider time,
    ILogger<BackupScheduler> logger) : BackgroundService
{
    public static readonly HostPanel.Core.Accounts.Caller Actor = HostPanel.Core.Accounts.Caller.System("schedule");
    private static readonly TimeSpan Tick = TimeSpan.FromMinutes(1);
    private DateTimeOffset? _lastPanelState;
    private bool _panelStateRead;
    private DateTimeOffset _panelStateRetry = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        do
        {
            try
            {
                await RunDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Runs what is due now: backups, then each touched organization's maintenance, then drills.</summary>
    internal async Task RunDueAsync(CancellationToken ct)
    {
        var zone = TimeZoneInfo.Local;
        var running = (await instances.ListAsync(null, false, ct).ConfigureAwait(false)).Where(i => i.State == InstanceState.Running).ToList();
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var app in running)
        {
            if (BackupSchedule.BackupDue(time.GetUtcNow(), options.BackupHour, zone, await LastAsync(app.Name, OperationKind.Backup, ct).ConfigureAwait(false)))
            {
                await TryAsync(app.Name, "backup", () => backups.BackupAsync(app.Name, Actor, ct)).ConfigureAwait(false);
                touched.Add(app.OrganizationId);
            }
        }

        foreach (var org in touched)
        {
            try
            {
                var check = await backups.CheckAsync(org, Actor, readAll: false, ct).ConfigureAwait(false);
                if (!check.Ok)
                {
                    LogCheckFailed(org, check.Output);
                }
            }
            catch (AppRequestException e)
            {
                LogCheckFailed(org, e.Message);
            }
        }

        await BackUpPanelStateIfDueAsync(ct).ConfigureAwait(false);

        foreach (var app in running)
        {
            if (BackupSchedule.DrillDue(time.GetUtcNow(), options.BackupHour, options.DrillDay, zone, await LastAsync(app.Name, OperationKind.Drill, ct).ConfigureAwait(false)))
            {
                await TryAsync(app.Name, "drill", () => backups.DrillAsync(app.Name, Actor, ct)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The panel's own state (database, key ring, certificates) once a day after the apps'
    /// backups, so a new server can be the same panel again (<c>hostpanel recover</c>).
    /// </summary>
    private async Task BackUpPanelStateIfDueAsync(CancellationToken ct)
    {
        if (time.GetUtcNow() < _panelStateRetry)
        {
            return;
        }

        try
        {
            if (!_panelStateRead)
            {
                _lastPanelState = (await panelState.LatestAsync(ct).ConfigureAwait(false))?.Time;
                _panelStateRead = true;
            }

            if (BackupSchedule.BackupDue(time.GetUtcNow(), options.BackupHour, TimeZoneInfo.Local, _lastPanelState))
            {
                _lastPanelState = (await panelState.BackupAsync(Actor, ct).ConfigureAwait(false)).Time;
            }
        }
        catch (Exception e) when (e is ResticException or AppRequestException or IOException or Microsoft.Data.Sqlite.SqliteException)
        {
            // Tried again in an hour; the runbook shows how old the last state backup is.
            _panelStateRetry = time.GetUtcNow() + TimeSpan.FromHours(1);
            LogPanelStateFailed(e);
        }
    }

    [LoggerMessage(LogLevel.Error, "Scheduled backups: the panel's own state could not be backed up; trying again in an hour")]
    private partial void LogPanelStateFailed(Exception e);

    /// <summary>When the schedule last started this kind of operation for the app (whatever its result).</summary>
    private async Task<DateTimeOffset?> LastAsync(string app, OperationKind kind, CancellationToken ct) =>
        (await journal.ListAsync(app, null, 500, ct).ConfigureAwait(false))
            .Where(o => o.Kind == kind && o.Actor == Actor.Name)
            .Select(o => (DateTimeOffset?)o.CreatedAt)
            .FirstOrDefault();

    private async Task TryAsync(string app, string what, Func<Task<Operation>> run)
    {
        try
        {
            var operation = await run().ConfigureAwait(false);
            if (operation.State != OperationState.Succeeded)
            {
                LogOperationFailed(what, app, operation.Outcome ?? operation.State.ToString());

                // An operation that ran and failed is told once (it is tried again the next day);
                // a refusal below is retried each minute and only logged.
                await alerts.SendAsync(
                    operation.OrganizationId,
                    HostPanel.Core.Resources.CoreText.Format("AlertBackupSubject", app),
                    HostPanel.Core.Resources.CoreText.Format("AlertBackupText", app, what, operation.Outcome ?? operation.State.ToString())).ConfigureAwait(false);
            }
        }
        catch (AppRequestException e)
        {
            // Refused before anything was recorded (a busy app, an unreachable target): tried
            // again at the next tick.
            LogOperationFailed(what, app, e.Message);
        }
    }

    [LoggerMessage(LogLevel.Error, "Scheduled backups: {What} of {App} did not succeed: {Outcome}")]
    private partial void LogOperationFailed(string what, string app, string outcome);

    [LoggerMessage(LogLevel.Error, "Scheduled backups: the check of the repository of {Organization} found problems: {Output}")]
    private partial void LogCheckFailed(string organization, string output);

    [LoggerMessage(LogLevel.Error, "Scheduled backups failed; trying again in a minute")]
    private partial void LogFailed(Exception e);
}
