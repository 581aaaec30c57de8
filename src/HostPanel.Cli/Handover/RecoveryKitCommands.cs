using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HostPanel.Core.Apps;
using HostPanel.Core.Backups;
using HostPanel.Core.Handover;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Cli.Handover;

/// <summary>`hostpanel recovery-kit create|status`: the server's recovery kit, split among named holders.</summary>
internal static class RecoveryKitCommands
{
    public const string SealedFileName = "kit.sealed";

    public static Command Build(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var kit = new Command("recovery-kit", RecoveryCliText.Get("KitDescription"));
        kit.Add(Create(globals, output, error));
        kit.Add(Status(globals, output, error));
        return kit;
    }

    private static Command Create(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var threshold = new Option<int>("--threshold", "-k") { Description = RecoveryCliText.Get("ThresholdOption"), HelpName = "K", Required = true };
        var holders = new Option<string[]>("--holder") { Description = RecoveryCliText.Get("HolderOption"), HelpName = "NAME", Required = true, AllowMultipleArgumentsPerToken = false };
        var directory = new Option<string?>("--output", "-o") { Description = RecoveryCliText.Get("OutputOption"), HelpName = "DIR" };
        var command = new Command("create", RecoveryCliText.Get("CreateDescription")) { threshold, holders, directory };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            var folder = Path.GetFullPath(parsed.GetValue(directory)
                ?? $"hostpanel-recovery-kit-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
            if (File.Exists(folder) || (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any()))
            {
                throw new AppRequestException("output", RecoveryCliText.Format("OutputNotEmpty", folder));
            }

            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var issue = await services.GetRequiredService<RecoveryKitService>()
                .CreateAsync(services.Caller(), parsed.GetValue(threshold), parsed.GetValue(holders) ?? [], ct).ConfigureAwait(false);

            PrivateFiles.CreateDirectory(folder);
            foreach (var document in issue.Documents)
            {
                await WritePrivateAsync(Path.Combine(folder, document.FileStem + ".txt"), System.Text.Encoding.UTF8.GetBytes(document.Text), ct).ConfigureAwait(false);
                await WritePrivateAsync(Path.Combine(folder, document.FileStem + ".png"), document.QrCodePng, ct).ConfigureAwait(false);
            }

            await WritePrivateAsync(Path.Combine(folder, SealedFileName), System.Text.Encoding.UTF8.GetBytes(issue.SealedKit), ct).ConfigureAwait(false);

            await output.WriteLineAsync(RecoveryCliText.Format("Created", When(issue.IssuedAt), issue.Threshold, issue.Holders.Count)).ConfigureAwait(false);
            await output.WriteLineAsync(RecoveryCliText.Format("CreatedFolder", folder)).ConfigureAwait(false);
            foreach (var document in issue.Documents)
            {
                await output.WriteLineAsync(RecoveryCliText.Format("CreatedHolder", document.Holder, document.FileStem + ".txt", document.FileStem + ".png")).ConfigureAwait(false);
            }

            await output.WriteLineAsync(RecoveryCliText.Format("CreatedSealed", SealedFileName, issue.SealedKitFile)).ConfigureAwait(false);

            // The panel's state is backed up at once, so that a recovery with this kit finds it (and the kit in it).
            try
            {
                var state = await services.GetRequiredService<Infrastructure.Handover.PanelStateBackup>().BackupAsync(services.Caller(), ct).ConfigureAwait(false);
                await output.WriteLineAsync(RecoveryCliText.Format("CreatedStateBackedUp", state.ShortId)).ConfigureAwait(false);
            }
            catch (AppRequestException e)
            {
                await error.WriteLineAsync(RecoveryCliText.Format("CreatedStateNotBackedUp", e.Message)).ConfigureAwait(false);
            }

            await output.WriteLineAsync(RecoveryCliText.Format("CreatedNext", folder)).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Status(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var json = new Option<bool>("--json") { Description = CliText.Get("JsonOption") };
        var command = new Command("status", RecoveryCliText.Get("StatusDescription")) { json };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var status = await services.GetRequiredService<RecoveryKitService>().StatusAsync(services.Caller(), ct).ConfigureAwait(false);
            var healthy = status is { Summary.IsCurrent: true };
            if (parsed.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(Json(status), CliOutput.Json)).ConfigureAwait(false);
                return healthy ? 0 : HostPanelCli.ExitUnhealthy;
            }

            if (status is null)
            {
                await output.WriteLineAsync(RecoveryCliText.Get("StatusNone")).ConfigureAwait(false);
                return HostPanelCli.ExitUnhealthy;
            }

            var summary = status.Summary;
            await output.WriteLineAsync(RecoveryCliText.Format("StatusLast", When(summary.IssuedAt), status.IssuedBy, summary.Threshold, summary.Holders.Count, string.Join(", ", summary.Holders))).ConfigureAwait(false);
            if (summary.IsCurrent)
            {
                await output.WriteLineAsync(RecoveryCliText.Get("StatusCurrent")).ConfigureAwait(false);
                return 0;
            }

            await output.WriteLineAsync(summary.SecretsChangedAt is { } changed
                ? RecoveryCliText.Format("StatusOutdatedSince", When(changed))
                : RecoveryCliText.Get("StatusOutdated")).ConfigureAwait(false);
            foreach (var change in status.Changes)
            {
                await output.WriteLineAsync("  - " + change.Describe()).ConfigureAwait(false);
            }

            await output.WriteLineAsync(RecoveryCliText.Format("StatusRenew", summary.Threshold, string.Join(' ', summary.Holders.Select(h => "--holder " + Quote(h))))).ConfigureAwait(false);
            return HostPanelCli.ExitUnhealthy;
        }));
        return command;
    }

    private static object Json(RecoveryKitStatus? status) => status is null
        ? new { issued = false }
        : new
        {
            issued = true,
            id = status.Summary.Id,
            issuedAt = status.Summary.IssuedAt,
            issuedBy = status.IssuedBy,
            threshold = status.Summary.Threshold,
            holders = status.Summary.Holders,
            current = status.Summary.IsCurrent,
            secretsChangedAt = status.Summary.SecretsChangedAt,
            changes = status.Changes.Select(c => new { item = c.Item, kind = c.Kind.ToString().ToLowerInvariant(), text = c.Describe() }),
        };

    private static string When(DateTimeOffset at) => at.ToLocalTime().ToString("g", CultureInfo.CurrentCulture);

    private static string Quote(string name) => name.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.') ? name : $"\"{name.Replace("\"", "\\\"", StringComparison.Ordinal)}\"";

    /// <summary>A new file only its owner may read (mode 0600); an existing one is never replaced.</summary>
    private static async Task WritePrivateAsync(string path, byte[] content, CancellationToken ct)
    {
        await using var stream = PrivateFiles.Create(path, FileMode.CreateNew);
        await stream.WriteAsync(content, ct).ConfigureAwait(false);
    }
}
