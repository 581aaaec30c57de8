using HostPanel.Cli.Apps;
using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using HostPanel.Core.Engine;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Cli.Engine;

/// <summary>`hostpanel engine …`: the container engine HostPanel drives.</summary>
internal static class EngineCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static Command Build(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var engine = new Command("engine", CliText.Get("EngineDescription"));
        var json = new Option<bool>("--json") { Description = CliText.Get("JsonOption") };
        var status = new Command("status", CliText.Get("EngineStatusDescription")) { json };
        status.SetAction(async (parsed, ct) =>
        {
            if (CliHost.HasToken(parsed, globals))
            {
                // The engine is the whole server's: a token, limited to one organization, does not reach it.
                await error.WriteLineAsync(HostPanel.Core.Resources.CoreText.Get("NeedsHosterAdministrator")).ConfigureAwait(false);
                return AppCommands.ExitRefused;
            }

            await using var services = CliHost.Build(parsed, globals);
            var result = await services.GetRequiredService<IContainerEngine>().System.GetStatusAsync(ct).ConfigureAwait(false);
            await output.WriteLineAsync(parsed.GetValue(json) ? ToJson(result) : ToText(result)).ConfigureAwait(false);
            return result.Reachable ? 0 : HostPanelCli.ExitUnhealthy;
        });
        engine.Add(status);
        return engine;
    }

    internal static string ToJson(EngineStatus status) => JsonSerializer.Serialize(
        new
        {
            endpoint = status.Endpoint,
            reachable = status.Reachable,
            version = status.Version,
            apiVersion = status.ApiVersion,
            operatingSystem = status.OperatingSystem,
            problem = status.Problem,
        },
        Json);

    internal static string ToText(EngineStatus status) => status.Reachable
        ? CliText.Format("EngineReachable", status.Endpoint, status.Version, status.ApiVersion)
        : CliText.Format("EngineUnreachable", status.Endpoint, status.Problem);
}
