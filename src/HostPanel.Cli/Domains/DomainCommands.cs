using System.CommandLine;
using System.Text.Json;
using HostPanel.Cli.Apps;
using HostPanel.Core.Apps;
using HostPanel.Core.Domains;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Cli.Domains;

/// <summary>`hostpanel domain add|list|check`.</summary>
internal static class DomainCommands
{
    public static Command Build(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var domain = new Command("domain", CliText.Get("DomainDescription"));
        domain.Add(Add(globals, output, error));
        domain.Add(List(globals, output, error));
        domain.Add(Check(globals, output, error));
        return domain;
    }

    private static Option<string?> Org() => new("--org") { Description = CliText.Get("BackupOrgOption") };

    private static Command Add(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var name = new Argument<string>("DOMAIN") { Description = CliText.Get("DomainArgument") };
        var org = Org();
        var dns = new Option<bool>("--dns-01") { Description = CliText.Get("DomainDnsOption") };
        var command = new Command("add", CliText.Get("DomainAddDescription")) { name, org, dns };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var domains = services.GetRequiredService<DomainService>();
            var added = await domains.AddAsync(services.Caller(), parsed.GetValue(name), parsed.GetValue(org), parsed.GetValue(dns) ? ChallengeKind.Dns01 : ChallengeKind.Http01, ct).ConfigureAwait(false);
            await output.WriteLineAsync(CliText.Format("DomainAdded", DomainName.Display(added.Name), added.OrganizationId)).ConfigureAwait(false);
            if (added.Challenge == ChallengeKind.Http01)
            {
                var check = await domains.CheckAsync(added.Name, ct).ConfigureAwait(false);
                await output.WriteLineAsync(check.Explanation).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private static Command List(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var org = Org();
        var json = new Option<bool>("--json") { Description = CliText.Get("JsonOption") };
        var command = new Command("list", CliText.Get("DomainListDescription")) { org, json };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var list = await services.GetRequiredService<DomainService>().ListAsync(services.Caller(), parsed.GetValue(org), ct).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                var rows = list.Select(d => new { domain = d.Name, display = DomainName.Display(d.Name), org = d.OrganizationId, instance = d.Instance, challenge = d.Challenge == ChallengeKind.Dns01 ? "dns-01" : "http-01", createdAt = d.CreatedAt });
                await output.WriteLineAsync(JsonSerializer.Serialize(rows, CliOutput.Json)).ConfigureAwait(false);
                return 0;
            }

            foreach (var d in list)
            {
                await output.WriteLineAsync($"{DomainName.Display(d.Name),-40} {d.OrganizationId,-16} {d.Instance ?? "-",-20} {(d.Challenge == ChallengeKind.Dns01 ? "dns-01" : "http-01")}").ConfigureAwait(false);
            }

            if (list.Count == 0)
            {
                await output.WriteLineAsync(CliText.Get("DomainNone")).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private static Command Check(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var name = new Argument<string>("DOMAIN") { Description = CliText.Get("DomainArgument") };
        var json = new Option<bool>("--json") { Description = CliText.Get("JsonOption") };
        var command = new Command("check", CliText.Get("DomainCheckDescription")) { name, json };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var check = await services.GetRequiredService<DomainService>().CheckAsync(parsed.GetValue(name), ct).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    domain = check.Name.Ascii,
                    display = check.Name.Unicode,
                    pointsHere = check.PointsHere,
                    readiness = check.Readiness.ToString(),
                    found = check.Found.Select(a => a.ToString()),
                    expected = check.Expected.Select(a => a.ToString()),
                    explanation = check.Explanation,
                }, CliOutput.Json)).ConfigureAwait(false);
            }
            else
            {
                await output.WriteLineAsync(check.Explanation).ConfigureAwait(false);
            }

            return check.PointsHere ? 0 : AppCommands.ExitFailed;
        }));
        return command;
    }

}
