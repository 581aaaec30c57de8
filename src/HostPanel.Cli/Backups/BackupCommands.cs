using HostPanel.Core.Accounts;
using System.CommandLine;
using System.Text.Json;
using HostPanel.Cli.Apps;
using HostPanel.Core.Apps;
using HostPanel.Core.Backups;
using HostPanel.Core.Organizations;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Cli.Backups;

/// <summary>`hostpanel backup …`: the same backup service the panel uses.</summary>
internal static class BackupCommands
{
    public static Command Build(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var backup = new Command("backup", CliText.Get("BackupDescription"));
        backup.Add(Now(globals, output, error));
        backup.Add(List(globals, output, error));
        backup.Add(Restore(globals, output, error));
        backup.Add(Check(globals, output, error));
        backup.Add(Drill(globals, output, error));
        backup.Add(Target(globals, output, error));
        backup.Add(ExportKey(globals, output, error));
        backup.Add(Panel(globals, output, error));
        return backup;
    }

    /// <summary>`hostpanel backup panel`: the panel's own state, now (the schedule does it every night).</summary>
    private static Command Panel(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var command = new Command("panel", CliText.Get("BackupPanelDescription"));
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var snapshot = await services.GetRequiredService<HostPanel.Infrastructure.Handover.PanelStateBackup>().BackupAsync(services.Caller(), ct).ConfigureAwait(false);
            var place = await services.GetRequiredService<BackupRepositories>().PlaceAsync(Organization.DefaultId, ct).ConfigureAwait(false);
            await output.WriteLineAsync(CliText.Format("BackupPanelDone", snapshot.ShortId, snapshot.Time.ToLocalTime(), place.Location)).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>`hostpanel restore --from LOCATION --password-file FILE`: a whole server back from its backups.</summary>
    public static Command RestoreFrom(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var from = new Option<string>("--from") { Description = CliText.Get("RestoreFromOption"), Required = true };
        var passwordFile = new Option<string>("--password-file") { Description = CliText.Get("RestorePasswordFileOption"), Required = true };
        var key = new Option<string?>("--ssh-key") { Description = CliText.Get("BackupSshKeyOption") };
        var knownHosts = new Option<string?>("--known-hosts") { Description = CliText.Get("BackupKnownHostsOption") };
        var command = new Command("restore", CliText.Get("RestoreFromDescription")) { from, passwordFile, key, knownHosts };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            var file = parsed.GetValue(passwordFile)!;
            if (!File.Exists(file))
            {
                await error.WriteLineAsync(CliText.Format("RestorePasswordFileMissing", file)).ConfigureAwait(false);
                return AppCommands.ExitRefused;
            }

            var password = (await File.ReadAllTextAsync(file, ct).ConfigureAwait(false)).Trim();
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var operations = await services.GetRequiredService<BackupService>().RestoreAllAsync(
                parsed.GetValue(from)!, password, parsed.GetValue(key), parsed.GetValue(knownHosts), services.Caller(), ct).ConfigureAwait(false);
            foreach (var operation in operations)
            {
                await output.WriteLineAsync(operation.State == HostPanel.Core.Operations.OperationState.Succeeded
                    ? CliText.Format("OperationSucceeded", operation.Instance, "restore")
                    : operation.Outcome ?? operation.State.ToString()).ConfigureAwait(false);
            }

            if (operations.Count == 0)
            {
                await output.WriteLineAsync(CliText.Get("RestoreFromNothing")).ConfigureAwait(false);
            }

            return operations.All(o => o.State == HostPanel.Core.Operations.OperationState.Succeeded) ? 0 : AppCommands.ExitFailed;
        }));
        return command;
    }

    private static Option<string?> Org() => new("--org") { Description = CliText.Get("BackupOrgOption") };

    private static Command Now(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var instance = new Argument<string?>("INSTANCE") { Description = CliText.Get("AppInstanceArgument"), Arity = ArgumentArity.ZeroOrOne };
        var org = Org();
        var command = new Command("now", CliText.Get("BackupNowDescription")) { instance, org };
        command.SetAction(async (parsed, ct) =>
        {
            if (parsed.GetValue(instance) is { } name)
            {
                return await AppCommands.RunAsync(parsed, globals, output, error, ct, (services, _) =>
                    services.GetRequiredService<BackupService>().BackupAsync(name, services.Caller(), ct)).ConfigureAwait(false);
            }

            if (parsed.GetValue(org) is not { } orgId)
            {
                await error.WriteLineAsync(CliText.Get("BackupNowWhat")).ConfigureAwait(false);
                return AppCommands.ExitRefused;
            }

            // Every running app of the organization, one after the other; the worst result counts.
            List<string> apps = [];
            var refused = await CliOutput.RefusalsAsync(error, async () =>
            {
                await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
                var access = services.GetRequiredService<AccessControl>();
                var organization = await access.OrganizationAsync(services.Caller(), orgId, OrganizationRole.Administrator, ct).ConfigureAwait(false);
                apps = [.. (await access.AppsAsync(services.Caller(), organization.Id, includeRemoved: false, ct).ConfigureAwait(false)).Where(i => i.State == InstanceState.Running).Select(i => i.Name)];
                return 0;
            }).ConfigureAwait(false);
            if (refused != 0)
            {
                return refused;
            }

            var worst = 0;
            foreach (var app in apps)
            {
                var code = await AppCommands.RunAsync(parsed, globals, output, error, ct, (services, _) =>
                    services.GetRequiredService<BackupService>().BackupAsync(app, services.Caller(), ct)).ConfigureAwait(false);
                worst = Math.Max(worst, code);
            }

            return worst;
        });
        return command;
    }

    private static Command Drill(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var instance = new Argument<string>("INSTANCE") { Description = CliText.Get("AppInstanceArgument") };
        var command = new Command("drill", CliText.Get("BackupDrillDescription")) { instance };
        command.SetAction((parsed, ct) => AppCommands.RunAsync(parsed, globals, output, error, ct, (services, _) =>
            services.GetRequiredService<BackupService>().DrillAsync(parsed.GetValue(instance)!, services.Caller(), ct)));
        return command;
    }

    private static Command List(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var org = Org();
        var instance = new Option<string?>("--instance") { Description = CliText.Get("AppInstanceArgument") };
        var json = new Option<bool>("--json") { Description = CliText.Get("JsonOption") };
        var command = new Command("list", CliText.Get("BackupListDescription")) { org, instance, json };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var entries = await services.GetRequiredService<BackupService>().ListAsync(services.Caller(), parsed.GetValue(org), parsed.GetValue(instance), ct).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                var rows = entries.Select(e => new { id = e.ShortId, snapshot = e.SnapshotId, time = e.Time, org = e.Organization, instance = e.Instance, app = e.App, version = e.Version });
                await output.WriteLineAsync(JsonSerializer.Serialize(rows, CliOutput.Json)).ConfigureAwait(false);
            }
            else if (entries.Count == 0)
            {
                await output.WriteLineAsync(CliText.Get("BackupListEmpty")).ConfigureAwait(false);
            }
            else
            {
                foreach (var e in entries)
                {
                    await output.WriteLineAsync($"{e.ShortId}  {e.Time.ToLocalTime():yyyy-MM-dd HH:mm}  {e.Organization,-12} {e.Instance,-20} {e.App} {e.Version}").ConfigureAwait(false);
                }
            }

            return 0;
        }));
        return command;
    }

    private static Command Restore(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var snapshot = new Argument<string>("SNAPSHOT") { Description = CliText.Get("BackupSnapshotArgument") };
        var to = new Option<string?>("--to") { Description = CliText.Get("BackupToOption") };
        var domain = new Option<string?>("--domain") { Description = CliText.Get("AppDomainOption") };
        var org = Org();
        var command = new Command("restore", CliText.Get("BackupRestoreDescription")) { snapshot, to, domain, org };
        command.SetAction((parsed, ct) => AppCommands.RunAsync(parsed, globals, output, error, ct, (services, _) =>
            services.GetRequiredService<BackupService>().RestoreAsync(parsed.GetValue(snapshot)!, services.Caller(), parsed.GetValue(to), parsed.GetValue(org), parsed.GetValue(domain), ct)));
        return command;
    }

    private static Command Check(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var org = Org();
        var all = new Option<bool>("--read-all") { Description = CliText.Get("BackupReadAllOption") };
        var command = new Command("check", CliText.Get("BackupCheckDescription")) { org, all };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var orgId = services.Organization(parsed.GetValue(org));
            var result = await services.GetRequiredService<BackupService>().CheckAsync(orgId, services.Caller(), parsed.GetValue(all), ct).ConfigureAwait(false);
            if (result.Ok)
            {
                await output.WriteLineAsync(CliText.Format("BackupCheckOk", orgId)).ConfigureAwait(false);
                return 0;
            }

            await error.WriteLineAsync(CliText.Format("BackupCheckFailed", orgId)).ConfigureAwait(false);
            await error.WriteLineAsync(result.Output).ConfigureAwait(false);
            return AppCommands.ExitFailed;
        }));
        return command;
    }

    private static Command Target(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var target = new Command("target", CliText.Get("BackupTargetDescription"));
        var location = new Argument<string>("LOCATION") { Description = CliText.Get("BackupLocationArgument") };
        var org = Org();
        var key = new Option<string?>("--ssh-key") { Description = CliText.Get("BackupSshKeyOption") };
        var knownHosts = new Option<string?>("--known-hosts") { Description = CliText.Get("BackupKnownHostsOption") };
        var set = new Command("set", CliText.Get("BackupTargetSetDescription")) { location, org, key, knownHosts };
        set.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var orgId = services.Organization(parsed.GetValue(org));
            await services.GetRequiredService<BackupService>().SetTargetAsync(services.Caller(), orgId, parsed.GetValue(location)!, parsed.GetValue(key), parsed.GetValue(knownHosts), ct).ConfigureAwait(false);
            await output.WriteLineAsync(CliText.Format("BackupTargetSet", orgId, parsed.GetValue(location))).ConfigureAwait(false);
            return 0;
        }));
        target.Add(set);
        return target;
    }

    private static Command ExportKey(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var org = Org();
        var json = new Option<bool>("--json") { Description = CliText.Get("JsonOption") };
        var command = new Command("export-key", CliText.Get("BackupExportKeyDescription")) { org, json };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var orgId = services.Organization(parsed.GetValue(org));
            var (repository, password) = await services.GetRequiredService<BackupService>().ExportKeyAsync(orgId, services.Caller(), ct).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new { repository, password }, CliOutput.Json)).ConfigureAwait(false);
            }
            else
            {
                await output.WriteLineAsync(CliText.Format("BackupExportKeyText", repository, password)).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

}
