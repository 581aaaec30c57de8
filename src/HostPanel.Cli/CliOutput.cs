using System.Text.Json;
using HostPanel.Cli.Apps;
using HostPanel.Core.Apps;
using HostPanel.Core.Edge;

namespace HostPanel.Cli;

/// <summary>What every command shares: its JSON form, and refusals printed in plain words.</summary>
internal static class CliOutput
{
    /// <summary>`--json` output: camelCase, indented, accents kept as they are.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Runs a command's body; a refusal (bad input, a proxy that says no) is printed on stderr with its exit code, never as a stack trace.</summary>
    public static async Task<int> RefusalsAsync(TextWriter error, Func<Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (AppRequestException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return AppCommands.ExitRefused;
        }
        catch (HostPanel.Core.Accounts.AccessDeniedException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return AppCommands.ExitRefused;
        }
        catch (EdgeProxyException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return AppCommands.ExitFailed;
        }
    }
}
