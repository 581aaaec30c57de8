using System.CommandLine;
using HostPanel.Core.Apps;
using HostPanel.Core.Handover;
using HostPanel.Core.Operations;
using HostPanel.Infrastructure.Backups;
using HostPanel.Infrastructure.Configuration;
using HostPanel.Infrastructure.Handover;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Cli.Handover;

/// <summary>
/// `hostpanel recover --share FILE --share FILE [--kit FILE]`: on a new server, k shares of the
/// recovery kit bring back the panel's state and every app from the backups.
/// </summary>
internal static class RecoverCommand
{
    public static Command Build(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var shares = new Option<string[]>("--share") { Description = RecoveryCliText.Get("RecoverShareOption"), HelpName = "FILE|LINE", Required = true };
        var kit = new Option<string?>("--kit") { Description = RecoveryCliText.Get("RecoverKitOption"), HelpName = "FILE" };
        var command = new Command("recover", RecoveryCliText.Get("RecoverDescription")) { shares, kit };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            // Files are read as share documents; anything else is taken as a typed share line.
            var texts = new List<string>();
            foreach (var given in parsed.GetValue(shares) ?? [])
            {
                texts.Add(File.Exists(given) ? await File.ReadAllTextAsync(given, ct).ConfigureAwait(false) : given);
            }

            string sealedKit;
            if (parsed.GetValue(kit) is { } kitFile)
            {
                if (!File.Exists(kitFile))
                {
                    throw new AppRequestException("kit", RecoveryCliText.Format("RecoverKitFileMissing", kitFile));
                }

                sealedKit = await File.ReadAllTextAsync(kitFile, ct).ConfigureAwait(false);
            }
            else
            {
                sealedKit = RecoveryKitReader.FindSealedKit(texts);
            }

            var contents = RecoveryKitReader.Open(texts, sealedKit);
            await output.WriteLineAsync(RecoveryCliText.Format("RecoverKitOpened", contents.IssuedAt.ToLocalTime(), contents.Threshold, contents.Holders.Count, contents.Repositories.Count)).ConfigureAwait(false);

            // First, with no service running: the key ring, the SFTP keys and the panel's state.
            var dataDirectory = HostPanelConfiguration.ResolveDataDirectory(parsed.GetValue(globals.DataDirectory));
            var restic = new ResticCli(cacheDirectory: Path.Combine(dataDirectory, "cache", "restic"));
            var (repositories, state) = await PanelRecovery.PrepareAsync(contents.Repositories, contents.KeyRing, dataDirectory, restic, ct).ConfigureAwait(false);
            await output.WriteLineAsync(state is null
                ? RecoveryCliText.Get("RecoverNoState")
                : RecoveryCliText.Format("RecoverStateRestored", state.ShortId, state.Time.ToLocalTime())).ConfigureAwait(false);

            // Then the apps, with the panel's own services on the restored state.
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var caller = services.Caller();
            var report = await PanelRecovery.RebuildAppsAsync(
                repositories,
                state,
                services.GetRequiredService<IInstanceStore>(),
                services.GetRequiredService<Core.Backups.BackupService>(),
                caller,
                ct).ConfigureAwait(false);
            foreach (var restore in report.Restores)
            {
                await output.WriteLineAsync(restore.State == OperationState.Succeeded
                    ? RecoveryCliText.Format("RecoverAppBack", restore.Instance, restore.ToVersion)
                    : RecoveryCliText.Format("RecoverAppFailed", restore.Instance, restore.Outcome ?? restore.State.ToString())).ConfigureAwait(false);
            }

            foreach (var lost in report.Lost)
            {
                await output.WriteLineAsync(RecoveryCliText.Format("RecoverAppLost", lost)).ConfigureAwait(false);
            }

            var failed = report.Restores.Count(r => r.State != OperationState.Succeeded) + report.Lost.Count;
            if (services.GetService<IAuditLog>() is { } audit)
            {
                await audit.RecordAsync(new AuditRecord
                {
                    Actor = caller.Name,
                    Action = AuditActions.PanelRecovered,
                    Subject = $"{contents.Threshold}/{contents.Holders.Count} {contents.IssuedAt:yyyy-MM-dd}",
                    Result = failed == 0 ? AuditResult.Succeeded : AuditResult.Failed,
                    Detail = RecoveryCliText.Format("RecoverAuditDetail", report.Restores.Count(r => r.State == OperationState.Succeeded), failed, state?.ShortId ?? "—"),
                }, ct).ConfigureAwait(false);
            }

            await output.WriteLineAsync(RecoveryCliText.Get(state is null ? "RecoverNextWithoutState" : "RecoverNext")).ConfigureAwait(false);
            return failed == 0 ? 0 : Apps.AppCommands.ExitFailed;
        }));
        return command;
    }
}
