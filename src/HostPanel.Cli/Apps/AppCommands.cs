using HostPanel.Core.Accounts;
using System.CommandLine;
using System.Text.Json;
using HostPanel.Core.Apps;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Cli.Apps;

/// <summary>`hostpanel app …` and `hostpanel operations`: the same application service the panel uses.</summary>
internal static class AppCommands
{
    public const int ExitRefused = 1;
    public const int ExitFailed = 2;

    public static IEnumerable<Command> Build(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var app = new Command("app", CliText.Get("AppDescription"));
        app.Add(Install(globals, output, error));
        app.Add(List(globals, output, error));
        foreach (var verb in new[] { "start", "stop", "restart" })
        {
            app.Add(Simple(verb, globals, output, error));
        }

        app.Add(Update(globals, output, error));
        app.Add(SetDomain(globals, output, error));
        app.Add(Remove(globals, output, error));
        app.Add(Logs(globals, output, error));
        app.Add(Accounts.MemberCommands.AppAccess(globals, output, error));
        yield return app;
        yield return Operations(globals, output, error);
        yield return Reconcile(globals, output, error);
    }

    private static Command Install(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var id = new Argument<string>("ID") { Description = CliText.Get("AppIdArgument") };
        var org = new Option<string?>("--org") { Description = CliText.Get("AppOrgOption") };
        var name = new Option<string?>("--name") { Description = CliText.Get("AppNameOption") };
        var domain = new Option<string?>("--domain") { Description = CliText.Get("AppDomainOption") };
        var set = new Option<string[]>("--set") { Description = CliText.Get("AppSetOption"), AllowMultipleArgumentsPerToken = false, Arity = ArgumentArity.ZeroOrMore };
        var confirm = new Option<bool>("--confirm-host-stack") { Description = CliText.Get("AppConfirmHostStackOption") };
        var command = new Command("install", CliText.Get("AppInstallDescription")) { id, org, name, domain, set, confirm };
        command.SetAction((parsed, ct) => RunAsync(parsed, globals, output, error, ct, async (services, progress) =>
        {
            var answers = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parsed.GetValue(set) ?? [])
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new AppRequestException("set", CliText.Format("AppSetMalformed", pair));
                }

                answers[pair[..equals]] = pair[(equals + 1)..];
            }

            var request = new InstallRequest(parsed.GetValue(id)!, services.Caller())
            {
                OrganizationId = parsed.GetValue(org),
                Name = parsed.GetValue(name),
                Domain = parsed.GetValue(domain),
                Answers = answers,
                ConfirmHostStack = parsed.GetValue(confirm),
            };
            return await services.GetRequiredService<AppService>().InstallAsync(request, ct).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command Simple(string verb, GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var instance = new Argument<string>("INSTANCE") { Description = CliText.Get("AppInstanceArgument") };
        var command = new Command(verb, CliText.Get($"App{char.ToUpperInvariant(verb[0])}{verb[1..]}Description")) { instance };
        command.SetAction((parsed, ct) => RunAsync(parsed, globals, output, error, ct, (services, _) =>
        {
            var apps = services.GetRequiredService<AppService>();
            var name = parsed.GetValue(instance)!;
            return verb switch
            {
                "start" => apps.StartAsync(name, services.Caller(), ct),
                "stop" => apps.StopAsync(name, services.Caller(), ct),
                _ => apps.RestartAsync(name, services.Caller(), ct),
            };
        }));
        return command;
    }

    private static Command Update(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var instance = new Argument<string>("INSTANCE") { Description = CliText.Get("AppInstanceArgument") };
        var to = new Option<string?>("--to") { Description = CliText.Get("AppToOption") };
        var command = new Command("update", CliText.Get("AppUpdateDescription")) { instance, to };
        command.SetAction((parsed, ct) => RunAsync(parsed, globals, output, error, ct, (services, _) =>
            services.GetRequiredService<AppService>().UpdateAsync(parsed.GetValue(instance)!, services.Caller(), parsed.GetValue(to), ct)));
        return command;
    }

    private static Command SetDomain(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var instance = new Argument<string>("INSTANCE") { Description = CliText.Get("AppInstanceArgument") };
        var domain = new Argument<string>("DOMAIN") { Description = CliText.Get("DomainArgument") };
        var command = new Command("set-domain", CliText.Get("AppSetDomainDescription")) { instance, domain };
        command.SetAction((parsed, ct) => RunAsync(parsed, globals, output, error, ct, (services, _) =>
            services.GetRequiredService<AppService>().ChangeDomainAsync(parsed.GetValue(instance)!, parsed.GetValue(domain), services.Caller(), ct)));
        return command;
    }

    private static Command Remove(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var instance = new Argument<string>("INSTANCE") { Description = CliText.Get("AppInstanceArgument") };
        var purge = new Option<bool>("--purge") { Description = CliText.Get("AppPurgeOption") };
        var yes = new Option<bool>("--yes") { Description = CliText.Get("AppYesOption") };
        var command = new Command("remove", CliText.Get("AppRemoveDescription")) { instance, purge, yes };
        command.SetAction((parsed, ct) => RunAsync(parsed, globals, output, error, ct, (services, _) =>
            services.GetRequiredService<AppService>().RemoveAsync(parsed.GetValue(instance)!, services.Caller(), parsed.GetValue(purge), parsed.GetValue(yes), ct)));
        return command;
    }

    private static Command List(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var json = new Option<bool>("--json") { Description = CliText.Get("JsonOption") };
        var org = new Option<string?>("--org") { Description = CliText.Get("AppOrgOption") };
        var command = new Command("list", CliText.Get("AppListDescription")) { json, org };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var instances = await services.GetRequiredService<AccessControl>().AppsAsync(services.Caller(), parsed.GetValue(org), includeRemoved: false, ct).ConfigureAwait(false);
            var containers = await services.GetRequiredService<IContainerEngine>().Containers.ListAsync(LabelFilter.Managed, ct).ConfigureAwait(false);
            var rows = instances.Select(i => new
            {
                instance = i.Name,
                org = i.OrganizationId,
                app = i.AppId,
                version = i.Version,
                state = i.State.ToString().ToLowerInvariant(),
                health = AppHealths.Word(AppHealths.Of(i, containers)),
                domain = i.Domain,
            }).ToList();
            if (parsed.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(rows, CliOutput.Json)).ConfigureAwait(false);
            }
            else
            {
                foreach (var row in rows)
                {
                    await output.WriteLineAsync($"{row.instance,-20} {row.org,-12} {row.app,-14} {row.version,-10} {row.state,-10} {row.health,-9} {row.domain}").ConfigureAwait(false);
                }
            }

            return 0;
        }));
        return command;
    }

    private static Command Logs(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var instance = new Argument<string>("INSTANCE") { Description = CliText.Get("AppInstanceArgument") };
        var service = new Option<string?>("--service") { Description = CliText.Get("AppServiceOption") };
        var tail = new Option<int>("--tail") { Description = CliText.Get("AppTailOption"), DefaultValueFactory = _ => 100 };
        var command = new Command("logs", CliText.Get("AppLogsDescription")) { instance, service, tail };
        command.SetAction(async (parsed, ct) =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            try
            {
                var found = await services.GetRequiredService<AppService>().FindAsync(services.Caller(), parsed.GetValue(instance)!, OrganizationRole.Administrator, allowRemoved: false, ct).ConfigureAwait(false);
                var engine = services.GetRequiredService<IContainerEngine>();
                var containers = await engine.Containers.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, found.Name), ct).ConfigureAwait(false);
                foreach (var container in containers.Where(c => parsed.GetValue(service) is not { } s || c.Labels.GetValueOrDefault(HostPanelLabels.Service) == s).OrderBy(c => c.Name, StringComparer.Ordinal))
                {
                    await foreach (var line in engine.Containers.LogsAsync(container.Id, parsed.GetValue(tail), follow: false, ct).ConfigureAwait(false))
                    {
                        await output.WriteLineAsync($"{container.Labels.GetValueOrDefault(HostPanelLabels.Service) ?? container.Name} | {line.Text}").ConfigureAwait(false);
                    }
                }

                return 0;
            }
            catch (Exception e) when (e is AppRequestException or AccessDeniedException)
            {
                await error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return ExitRefused;
            }
        });
        return command;
    }

    private static Command Operations(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var json = new Option<bool>("--json") { Description = CliText.Get("JsonOption") };
        var instance = new Option<string?>("--instance") { Description = CliText.Get("AppInstanceArgument") };
        var command = new Command("operations", CliText.Get("OperationsDescription")) { json, instance };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var operations = await services.GetRequiredService<OperationHistory>().ListAsync(services.Caller(), parsed.GetValue(instance), 200, ct).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                var rows = operations.Select(o => new
                {
                    id = o.Id,
                    instance = o.Instance,
                    org = o.OrganizationId,
                    kind = o.Kind.ToString().ToLowerInvariant(),
                    state = o.State.ToString().ToLowerInvariant(),
                    actor = o.Actor,
                    from = o.FromVersion,
                    to = o.ToVersion,
                    createdAt = o.CreatedAt,
                    finishedAt = o.FinishedAt,
                    outcome = o.Outcome,
                });
                await output.WriteLineAsync(JsonSerializer.Serialize(rows, CliOutput.Json)).ConfigureAwait(false);
            }
            else
            {
                foreach (var o in operations)
                {
                    await output.WriteLineAsync($"{o.CreatedAt:yyyy-MM-dd HH:mm} {o.Instance,-20} {o.Kind,-8} {o.State,-11} {o.Actor} {o.Outcome}").ConfigureAwait(false);
                }
            }

            return 0;
        }));
        return command;
    }

    private static Command Reconcile(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var json = new Option<bool>("--json") { Description = CliText.Get("JsonOption") };
        var command = new Command("reconcile", CliText.Get("ReconcileDescription")) { json };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            AccessControl.RequireHoster(services.Caller());
            var report = await services.GetRequiredService<Reconciler>().RunAsync(ct).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new { resumed = report.Resumed, restarted = report.Restarted, drift = report.Drift }, CliOutput.Json)).ConfigureAwait(false);
            }
            else
            {
                foreach (var line in report.Resumed)
                {
                    await output.WriteLineAsync(CliText.Format("ReconcileResumed", line)).ConfigureAwait(false);
                }

                foreach (var line in report.Restarted)
                {
                    await output.WriteLineAsync(CliText.Format("ReconcileRestarted", line)).ConfigureAwait(false);
                }

                foreach (var line in report.Drift)
                {
                    await output.WriteLineAsync(CliText.Format("ReconcileDrift", line)).ConfigureAwait(false);
                }

                if (report.Resumed.Count + report.Restarted.Count + report.Drift.Count == 0)
                {
                    await output.WriteLineAsync(CliText.Get("ReconcileNothing")).ConfigureAwait(false);
                }
            }

            return report.Drift.Count == 0 ? 0 : ExitFailed;
        }));
        return command;
    }

    /// <summary>Runs an operation with live progress on the terminal; maps refusals and failures to exit codes.</summary>
    internal static async Task<int> RunAsync(ParseResult parsed, GlobalOptions globals, TextWriter output, TextWriter error, CancellationToken ct, Func<ServiceProvider, OperationEvents, Task<Operation>> run)
    {
        await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
        var events = services.GetRequiredService<OperationEvents>();
        using var progress = new TerminalProgress(output);
        using var subscription = events.Subscribe(progress.Show);
        try
        {
            var operation = await run(services, events).ConfigureAwait(false);
            progress.Finish();
            if (operation.State == OperationState.Succeeded)
            {
                await output.WriteLineAsync(CliText.Format("OperationSucceeded", operation.Instance, operation.Kind.ToString().ToLowerInvariant())).ConfigureAwait(false);
                return 0;
            }

            await error.WriteLineAsync(operation.Outcome ?? operation.State.ToString()).ConfigureAwait(false);
            if (operation.Detail is { } detail)
            {
                await error.WriteLineAsync(CliText.Format("OperationDetail", detail)).ConfigureAwait(false);
            }

            return ExitFailed;
        }
        catch (Exception e) when (e is AppRequestException or AccessDeniedException)
        {
            progress.Finish();
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ExitRefused;
        }
    }

}
