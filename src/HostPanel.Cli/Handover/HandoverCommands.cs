using System.CommandLine;
using HostPanel.Cli.Mail;
using HostPanel.Core.Handover;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Cli.Handover;

/// <summary>`hostpanel handover start|status|prove-sign-in|complete|cancel`: an administrator leaves, a successor takes over.</summary>
internal static class HandoverCommands
{
    public static Command Build(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var handover = new Command("handover", CliText.Get("HandoverDescription"));
        handover.Add(Start(globals, output, error));
        handover.Add(Status(globals, output, error));
        handover.Add(ProveSignIn(globals, output, error));
        handover.Add(Complete(globals, output, error));
        handover.Add(Cancel(globals, output, error));
        return handover;
    }

    private static Option<string?> Org() => new("--org") { Description = CliText.Get("HandoverOrgOption") };

    private static Command Start(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var from = new Option<string>("--from") { Description = CliText.Get("HandoverFromOption"), Required = true, HelpName = "EMAIL" };
        var to = new Option<string>("--to") { Description = CliText.Get("HandoverToOption"), Required = true, HelpName = "EMAIL" };
        var org = Org();
        var command = new Command("start", CliText.Get("HandoverStartDescription")) { from, to, org };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var service = services.GetRequiredService<HandoverService>();
            var started = await service.StartAsync(services.Caller(), services.Organization(parsed.GetValue(org)), parsed.GetValue(from), parsed.GetValue(to), ct).ConfigureAwait(false);
            await output.WriteLineAsync(CliText.Format("HandoverStarted", started.DepartingEmail, started.SuccessorEmail, started.OrganizationId)).ConfigureAwait(false);
            return await WriteProgressAsync(output, await service.StatusAsync(services.Caller(), started.OrganizationId, ct).ConfigureAwait(false)).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command Status(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var org = Org();
        var command = new Command("status", CliText.Get("HandoverStatusDescription")) { org };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var progress = await services.GetRequiredService<HandoverService>().StatusAsync(services.Caller(), services.Organization(parsed.GetValue(org)), ct).ConfigureAwait(false);
            return await WriteProgressAsync(output, progress).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command ProveSignIn(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var passwordFile = new Option<string>("--password-file") { Description = CliText.Get("HandoverPasswordFileOption"), Required = true, HelpName = "FILE|-" };
        var code = new Option<string>("--code") { Description = CliText.Get("HandoverCodeOption"), Required = true, HelpName = "CODE" };
        var org = Org();
        var command = new Command("prove-sign-in", CliText.Get("HandoverProveDescription")) { passwordFile, code, org };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            var password = await MailCommands.ReadPasswordAsync(parsed.GetValue(passwordFile)!, ct).ConfigureAwait(false);
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var progress = await services.GetRequiredService<HandoverService>().ProveSignInAsync(services.Caller(), services.Organization(parsed.GetValue(org)), password, parsed.GetValue(code), ct).ConfigureAwait(false);
            return await WriteProgressAsync(output, progress).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command Complete(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var org = Org();
        var command = new Command("complete", CliText.Get("HandoverCompleteDescription")) { org };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var done = await services.GetRequiredService<HandoverService>().CompleteAsync(services.Caller(), services.Organization(parsed.GetValue(org)), ct).ConfigureAwait(false);
            await output.WriteLineAsync(CliText.Format("HandoverCompleted", done.SuccessorEmail, done.OrganizationId)).ConfigureAwait(false);
            await output.WriteLineAsync(done.Summary).ConfigureAwait(false);
            await output.WriteLineAsync(CliText.Get("HandoverNextSteps")).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Cancel(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var org = Org();
        var command = new Command("cancel", CliText.Get("HandoverCancelDescription")) { org };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var cancelled = await services.GetRequiredService<HandoverService>().CancelAsync(services.Caller(), services.Organization(parsed.GetValue(org)), ct).ConfigureAwait(false);
            await output.WriteLineAsync(CliText.Format("HandoverCancelled", cancelled.OrganizationId)).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>Each step with its state; exit code 2 while an open handover still misses a step.</summary>
    private static async Task<int> WriteProgressAsync(TextWriter output, HandoverProgress? progress)
    {
        if (progress is null)
        {
            await output.WriteLineAsync(CliText.Get("HandoverNone")).ConfigureAwait(false);
            return 0;
        }

        var h = progress.Handover;
        await output.WriteLineAsync(CliText.Format("HandoverHeader", h.DepartingEmail, h.SuccessorEmail, h.OrganizationId, h.StartedAt.ToLocalTime(), h.StartedBy)).ConfigureAwait(false);
        if (!h.IsOpen)
        {
            await output.WriteLineAsync(h.CompletedAt is { } done
                ? CliText.Format("HandoverWasCompleted", done.ToLocalTime(), h.CompletedBy, h.Summary)
                : CliText.Format("HandoverWasCancelled", h.CancelledAt!.Value.ToLocalTime())).ConfigureAwait(false);
            return 0;
        }

        static string Mark(bool done) => done ? "[x]" : "[ ]";
        await output.WriteLineAsync($"  {Mark(progress.SuccessorIsAdministrator)} {CliText.Format("HandoverStepAdministrator", h.SuccessorEmail)}").ConfigureAwait(false);
        await output.WriteLineAsync($"  {Mark(progress.SignInProvenAt is not null && progress.SuccessorHasTwoFactor)} {CliText.Format("HandoverStepSignIn", h.SuccessorEmail)}").ConfigureAwait(false);
        await output.WriteLineAsync($"  {Mark(progress.Drill is not null)} {CliText.Format("HandoverStepDrill", h.SuccessorEmail, progress.Drill?.Instance ?? "—")}").ConfigureAwait(false);
        await output.WriteLineAsync($"  [ ] {CliText.Get("HandoverStepRotate")}").ConfigureAwait(false);
        await output.WriteLineAsync($"  [ ] {CliText.Format("HandoverStepRevoke", h.DepartingEmail)}").ConfigureAwait(false);
        await output.WriteLineAsync(progress.CanComplete ? CliText.Get("HandoverReady") : CliText.Get("HandoverWaiting")).ConfigureAwait(false);
        return progress.CanComplete ? 0 : HostPanelCli.ExitUnhealthy;
    }
}
