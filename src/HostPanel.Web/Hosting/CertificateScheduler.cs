using System.Globalization;
using HostPanel.Core.Certificates;
using HostPanel.Core.Domains;
using HostPanel.Core.Edge;
using HostPanel.Core.Mail;
using HostPanel.Core.Organizations;
using HostPanel.Core.Resources;

namespace HostPanel.Web.Hosting;

/// <summary>
/// At the panel's start, the edge proxy is given the configuration HostPanel's state asks for
/// (the proxy kept serving meanwhile: a panel restart never interrupts the apps); then, every
/// hour, the certificates that are due are renewed — each domain on its own, failures backed
/// off per domain — and the expiry warnings due are recorded.
/// </summary>
internal sealed partial class CertificateScheduler(
    EdgeSync edge,
    CertificateService certificates,
    IDomainStore domains,
    AdministratorAlerts alerts,
    TimeProvider time,
    ILogger<CertificateScheduler> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!edge.Enabled)
        {
            LogNoProxy();
            return;
        }

        try
        {
            await edge.SyncAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogFailed(e);
        }

        using var timer = new PeriodicTimer(Tick, time);
        do
        {
            try
            {
                var warned = (await certificates.ListAsync(stoppingToken).ConfigureAwait(false)).ToDictionary(r => r.Domain, r => r.WarnedDays, StringComparer.Ordinal);
                foreach (var record in await certificates.RenewDueAsync(stoppingToken).ConfigureAwait(false))
                {
                    if (record.LastError is { } error)
                    {
                        LogCertificateProblem(record.Domain, error);
                    }

                    if (record.WarnedDays > 0 && record.WarnedDays != warned.GetValueOrDefault(record.Domain))
                    {
                        LogExpiryWarning(record.Domain, record.WarnedDays, record.NotAfter);
                        await AlertAsync(record, stoppingToken).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>The administrators who can act are told by mail (when a mail profile exists).</summary>
    private async Task AlertAsync(CertificateRecord record, CancellationToken ct)
    {
        var organization = (await domains.FindAsync(record.Domain, ct).ConfigureAwait(false))?.OrganizationId ?? Organization.DefaultId;
        var shown = DomainName.Display(record.Domain);
        var reached = await alerts.SendAsync(
            organization,
            CoreText.Format("AlertCertificateSubject", shown, record.WarnedDays),
            CoreText.Format("AlertCertificateText", shown, record.NotAfter?.ToLocalTime().ToString("f", CultureInfo.CurrentCulture) ?? "?", record.LastError ?? "?"),
            ct).ConfigureAwait(false);
        LogAlerted(record.Domain, reached.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Expiry warning for {Domain} mailed to {Count} administrator(s)")]
    private partial void LogAlerted(string domain, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "No edge proxy is configured (ProxyAdminSocket): apps are not published and no certificate is requested.")]
    private partial void LogNoProxy();

    [LoggerMessage(Level = LogLevel.Error, Message = "The certificate round failed")]
    private partial void LogFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The certificate of {Domain} expires within {Days} days ({NotAfter}) and could not be renewed yet")]
    private partial void LogExpiryWarning(string domain, int days, DateTimeOffset? notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Certificate of {Domain}: {Error}")]
    private partial void LogCertificateProblem(string domain, string error);
}
