using System.CommandLine;
using System.Text;
using HostPanel.Cli.Apps;
using HostPanel.Core.Handover;
using HostPanel.Core.Resources;
using HostPanel.Infrastructure.Handover;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Cli.Handover;

/// <summary>
/// `hostpanel runbook [--org ORG] [--format md|html|pdf] [-o FILE]`: the runbook built from the
/// state now, Markdown on standard output unless a file is named (a PDF always needs one).
/// </summary>
internal static class RunbookCommands
{
    public static Command Build(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var org = new Option<string?>("--org") { Description = RunbookText.Get("CliOrgOption"), HelpName = "ORG" };
        var format = new Option<string>("--format") { Description = RunbookText.Get("CliFormatOption"), HelpName = "md|html|pdf", DefaultValueFactory = _ => "md" };
        var file = new Option<string?>("--output", "-o") { Description = RunbookText.Get("CliOutputOption"), HelpName = "FILE" };
        var command = new Command("runbook", RunbookText.Get("CliDescription")) { org, format, file };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            var word = parsed.GetValue(format) ?? "md";
            if (!RunbookFiles.Words.TryGetValue(word, out var chosen))
            {
                await error.WriteLineAsync(RunbookText.Format("CliFormatInvalid", word)).ConfigureAwait(false);
                return AppCommands.ExitRefused;
            }

            var path = parsed.GetValue(file);
            if (chosen == RunbookFormat.Pdf && string.IsNullOrWhiteSpace(path))
            {
                await error.WriteLineAsync(RunbookText.Get("CliPdfNeedsOutput")).ConfigureAwait(false);
                return AppCommands.ExitRefused;
            }

            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var document = await services.GetRequiredService<RunbookService>().BuildAsync(services.Caller(), parsed.GetValue(org), ct).ConfigureAwait(false);
            RunbookFile rendered;
            try
            {
                rendered = RunbookFiles.Render(document, chosen);
            }
            catch (RunbookFontsMissingException e)
            {
                await error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return AppCommands.ExitFailed;
            }

            if (string.IsNullOrWhiteSpace(path))
            {
                await output.WriteAsync(Encoding.UTF8.GetString(rendered.Content)).ConfigureAwait(false);
                return 0;
            }

            try
            {
                var full = Path.GetFullPath(path);
                await File.WriteAllBytesAsync(full, rendered.Content, ct).ConfigureAwait(false);
                await output.WriteLineAsync(RunbookText.Format("CliWritten", full)).ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                await error.WriteLineAsync(RunbookText.Format("CliCannotWrite", path, e.Message)).ConfigureAwait(false);
                return AppCommands.ExitRefused;
            }
        }));
        return command;
    }
}
