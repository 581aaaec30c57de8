using HostPanel.Core.Accounts;
using System.CommandLine;
using System.Text.Json;
using HostPanel.Cli.Apps;
using HostPanel.Core.Apps;
using HostPanel.Core.Certificates;
using HostPanel.Core.Domains;
using HostPanel.Core.Edge;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Cli.Certificates;

/// <summary>`hostpanel cert list|renew` and `hostpanel proxy show`.</summary>
internal static class CertificateCommands
{
    public static Command Build(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var cert = new Command("cert", CliText.Get("CertDescription"));
        cert.Add(List(globals, output, error));
        cert.Add(Renew(globals, output, error));
        return cert;
    }

    public static Command Proxy(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var show = new Command("show", CliText.Get("ProxyShowDescription"));
        show.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            AccessControl.RequireHoster(services.Caller());
            var options = services.GetRequiredService<HostPanel.Core.Configuration.HostPanelOptions>();
            var configuration = await services.GetRequiredService<EdgeSync>().BuildAsync(ct).ConfigureAwait(false);
            var rendered = CaddyConfigRenderer.Render(configuration, new CaddyOptions
            {
                AdminListen = "unix/" + (options.ProxyAdminSocket ?? "/run/hostpanel/caddy-admin.sock"),
                HttpPort = options.HttpPort,
                HttpsPort = options.HttpsPort,
                StorageDirectory = Path.Combine(options.DataDirectory, "caddy", "storage"),
            });
            await output.WriteLineAsync(CaddyConfigRedactor.Redact(rendered)).ConfigureAwait(false);
            return 0;
        }));
        var proxy = new Command("proxy", CliText.Get("ProxyDescription")) { show };
        return proxy;
    }

    private static Command List(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var json = new Option<bool>("--json") { Description = CliText.Get("JsonOption") };
        var command = new Command("list", CliText.Get("CertListDescription")) { json };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var records = await services.GetRequiredService<CertificateService>().ListAsync(services.Caller(), ct).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                var rows = records.Select(r => new
                {
                    domain = r.Domain,
                    issuer = r.Issuer,
                    notAfter = r.NotAfter,
                    nextRenewal = r.NextRenewal,
                    lastError = r.LastError,
                    serial = r.Serial,
                    servedSerial = r.ServedSerial,
                    nextAttempt = r.NextAttempt,
                    warnedDays = r.WarnedDays,
                });
                await output.WriteLineAsync(JsonSerializer.Serialize(rows, CliOutput.Json)).ConfigureAwait(false);
                return 0;
            }

            foreach (var r in records)
            {
                var state = r.LastError ?? (r.NotAfter is { } until ? CliText.Format("CertValidUntil", until.ToLocalTime().ToString("g", System.Globalization.CultureInfo.CurrentCulture)) : "-");
                await output.WriteLineAsync($"{DomainName.Display(r.Domain),-40} {state}").ConfigureAwait(false);
            }

            if (records.Count == 0)
            {
                await output.WriteLineAsync(CliText.Get("CertNone")).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private static Command Renew(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var name = new Argument<string>("DOMAIN") { Description = CliText.Get("DomainArgument") };
        var command = new Command("renew", CliText.Get("CertRenewDescription")) { name };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var record = await services.GetRequiredService<CertificateService>().RenewAsync(services.Caller(), parsed.GetValue(name), ct).ConfigureAwait(false);
            var domain = DomainName.Parse(record.Domain);
            if (record.LastError is { } failure)
            {
                await error.WriteLineAsync(failure).ConfigureAwait(false);
                return AppCommands.ExitFailed;
            }

            await output.WriteLineAsync(CliText.Format("CertRenewed", domain.Unicode, record.Serial, record.NotAfter?.ToLocalTime().ToString("g", System.Globalization.CultureInfo.CurrentCulture))).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

}
