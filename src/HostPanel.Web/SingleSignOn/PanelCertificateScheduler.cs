using HostPanel.Core.Certificates;
using HostPanel.Core.Configuration;
using HostPanel.Core.Edge;
using Microsoft.Extensions.Options;

namespace HostPanel.Web.SingleSignOn;

/// <summary>
/// When the panel has an https public address (PanelUrl) and the edge proxy is driven, the
/// panel's own domain gets its certificate like an app's: asked for at start and renewed when due
/// (checked every hour; failures backed off by <see cref="CertificateService"/>). Until one exists
/// the proxy serves the panel over plain HTTP.
/// </summary>
internal sealed partial class PanelCertificateScheduler(
    IOptions<HostPanelOptions> options,
    EdgeSync edge,
    CertificateService certificates,
    TimeProvider time,
    ILogger<PanelCertificateScheduler> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromHours(1);

    /// <summary>Leaves the start-up to the apps' own proxy configuration first.</summary>
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var url = options.Value.PanelUrl;
        if (!edge.Enabled || EdgeSync.PanelDomain(url) is not { } domain
            || !Uri.TryCreate(url!.Trim(), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            return;
        }

        await Task.Delay(FirstDelay, time, stoppingToken).ConfigureAwait(false);
        using var timer = new PeriodicTimer(Tick, time);
        do
        {
            try
            {
                var record = await certificates.EnsureAsync(domain, ct: stoppingToken).ConfigureAwait(false);
                if (record.LastError is { } error)
                {
                    LogProblem(domain, error);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(domain, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Certificate of the panel's address {Domain}: {Error}")]
    private partial void LogProblem(string domain, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The certificate of the panel's address {Domain} could not be checked")]
    private partial void LogFailed(string domain, Exception e);
}
