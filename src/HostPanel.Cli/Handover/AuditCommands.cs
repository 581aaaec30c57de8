using System.CommandLine;
using System.Globalization;
using System.Text;
using HostPanel.Core.Apps;
using HostPanel.Core.Configuration;
using HostPanel.Core.Handover;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Cli.Handover;

/// <summary>`hostpanel audit list|verify|export`: who did what, checked entry by entry, and taken away.</summary>
internal static class AuditCommands
{
    public static Command Build(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var audit = new Command("audit", AuditCliText.Get("AuditDescription"));
        audit.Add(List(globals, output, error));
        audit.Add(Verify(globals, output, error));
        audit.Add(Export(globals, output, error));
        return audit;
    }

    private static Option<string?> OrganizationOption() => new("--org") { Description = AuditCliText.Get("OrgOption"), HelpName = "ORG" };

    private static Option<string?> SinceOption() => new("--since") { Description = AuditCliText.Get("SinceOption"), HelpName = "DATE" };

    private static Command List(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var org = OrganizationOption();
        var since = SinceOption();
        var limit = new Option<int?>("--limit") { Description = AuditCliText.Format("LimitOption", AuditService.DefaultLimit), HelpName = "N" };
        var json = new Option<bool>("--json") { Description = AuditCliText.Get("JsonOption") };
        var command = new Command("list", AuditCliText.Get("ListDescription")) { org, limit, since, json };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            var from = Since(parsed.GetValue(since));
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var lines = await services.GetRequiredService<AuditService>()
                .ListAsync(services.Caller(), parsed.GetValue(org), from, parsed.GetValue(limit) ?? AuditService.DefaultLimit, ct).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                await output.WriteLineAsync(AuditExport.Json(lines)).ConfigureAwait(false);
                return 0;
            }

            if (lines.Count == 0)
            {
                await output.WriteLineAsync(AuditCliText.Get("NoEntries")).ConfigureAwait(false);
            }

            foreach (var line in lines)
            {
                var e = line.Entry;
                var where = e.OrganizationId is null ? string.Empty : $" [{e.OrganizationId}]";
                await output.WriteLineAsync($"{e.Sequence,6}  {e.At.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}{where}  {line.Words}").ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private static Command Verify(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var command = new Command("verify", AuditCliText.Get("VerifyDescription"));
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var check = await services.GetRequiredService<AuditService>().VerifyAsync(services.Caller(), ct).ConfigureAwait(false);
            if (check.Unrecorded.Count > 0)
            {
                var file = Path.Combine(services.GetRequiredService<HostPanelOptions>().DataDirectory, "audit.unrecorded");
                await error.WriteLineAsync(HostPanel.Core.Resources.AuditText.Format("Unrecorded", check.Unrecorded.Count, file)).ConfigureAwait(false);
            }

            if (check.Verdict.IsIntact)
            {
                await output.WriteLineAsync(check.Words).ConfigureAwait(false);
                return 0;
            }

            await error.WriteLineAsync(check.Words).ConfigureAwait(false);
            return HostPanelCli.ExitUnhealthy;
        }));
        return command;
    }

    private static Command Export(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var format = new Option<string>("--format") { Description = AuditCliText.Get("FormatOption"), HelpName = "json|csv", Required = true };
        var file = new Option<string?>("-o", "--output") { Description = AuditCliText.Get("OutputOption"), HelpName = "FILE" };
        var org = OrganizationOption();
        var since = SinceOption();
        var command = new Command("export", AuditCliText.Get("ExportDescription")) { format, file, org, since };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            var kind = parsed.GetValue(format)?.Trim().ToLowerInvariant();
            if (kind is not ("json" or "csv"))
            {
                throw new AppRequestException("format", AuditCliText.Format("FormatInvalid", parsed.GetValue(format)));
            }

            var from = Since(parsed.GetValue(since));
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var lines = await services.GetRequiredService<AuditService>().ExportAsync(services.Caller(), parsed.GetValue(org), from, ct).ConfigureAwait(false);
            var text = kind == "json" ? AuditExport.Json(lines) + "\n" : AuditExport.Csv(lines);
            if (parsed.GetValue(file) is { Length: > 0 } path)
            {
                await File.WriteAllTextAsync(path, text, new UTF8Encoding(false), ct).ConfigureAwait(false);
                await output.WriteLineAsync(AuditCliText.Format("Exported", lines.Count, Path.GetFullPath(path))).ConfigureAwait(false);
            }
            else
            {
                await output.WriteAsync(text).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    /// <summary>A date (2026-11-01, midnight UTC) or a date and time (2026-11-01T14:30, UTC unless an offset is given).</summary>
    private static DateTimeOffset? Since(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new AppRequestException("since", AuditCliText.Format("SinceInvalid", text));
    }
}
