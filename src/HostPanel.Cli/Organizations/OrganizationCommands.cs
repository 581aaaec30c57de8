using System.CommandLine;
using System.Text.Json;
using HostPanel.Core.Organizations;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Cli.Organizations;

/// <summary>`hostpanel org add|list|quota`: the organizations of this server and their quotas.</summary>
internal static class OrganizationCommands
{
    public static Command Build(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var org = new Command("org", CliText.Get("OrgDescription"));
        org.Add(Add(globals, output, error));
        org.Add(List(globals, output, error));
        org.Add(Quota(globals, output, error));
        return org;
    }

    private static Command Add(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var id = new Argument<string>("ID") { Description = CliText.Get("OrgIdArgument") };
        var name = new Option<string>("--name") { Description = CliText.Get("OrgNameOption"), Required = true };
        var command = new Command("add", CliText.Get("OrgAddDescription")) { id, name };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var added = await services.GetRequiredService<OrganizationService>().AddAsync(services.Caller(), parsed.GetValue(id), parsed.GetValue(name), ct).ConfigureAwait(false);
            await output.WriteLineAsync(CliText.Format("OrgAdded", added.Id, added.Name)).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command List(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var json = new Option<bool>("--json") { Description = CliText.Get("JsonOption") };
        var command = new Command("list", CliText.Get("OrgListDescription")) { json };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var service = services.GetRequiredService<OrganizationService>();
            var rows = new List<(Organization Org, OrganizationQuota Quota, QuotaUsage Usage)>();
            foreach (var org in await service.ListAsync(services.Caller(), ct).ConfigureAwait(false))
            {
                rows.Add((org, await service.QuotaAsync(services.Caller(), org.Id, ct).ConfigureAwait(false), await service.UsageAsync(services.Caller(), org.Id, ct).ConfigureAwait(false)));
            }

            if (parsed.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(rows.Select(r => new
                {
                    id = r.Org.Id,
                    name = r.Org.Name,
                    createdAt = r.Org.CreatedAt,
                    apps = r.Usage.Apps,
                    memoryBytes = r.Usage.MemoryBytes,
                    storageBytes = r.Usage.StorageBytes,
                    quota = new { apps = r.Quota.MaxApps, memoryBytes = r.Quota.MaxMemoryBytes, storageBytes = r.Quota.MaxStorageBytes },
                }), CliOutput.Json)).ConfigureAwait(false);
                return 0;
            }

            foreach (var (org, quota, usage) in rows)
            {
                await output.WriteLineAsync($"{org.Id,-20} {org.Name,-30} {Describe(quota, usage)}").ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private static Command Quota(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var id = new Argument<string>("ID") { Description = CliText.Get("OrgIdArgument") };
        var apps = new Option<int?>("--apps") { Description = CliText.Get("OrgQuotaAppsOption") };
        var memory = new Option<string?>("--memory") { Description = CliText.Get("OrgQuotaMemoryOption") };
        var storage = new Option<string?>("--storage") { Description = CliText.Get("OrgQuotaStorageOption") };
        var clear = new Option<bool>("--clear") { Description = CliText.Get("OrgQuotaClearOption") };
        var command = new Command("quota", CliText.Get("OrgQuotaDescription")) { id, apps, memory, storage, clear };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var service = services.GetRequiredService<OrganizationService>();
            var org = parsed.GetValue(id)!;
            var quota = await service.QuotaAsync(services.Caller(), org, ct).ConfigureAwait(false);
            if (parsed.GetValue(clear))
            {
                quota = await service.SetQuotaAsync(services.Caller(), org, null, null, null, ct).ConfigureAwait(false);
            }
            else if (parsed.GetValue(apps) is not null || parsed.GetValue(memory) is not null || parsed.GetValue(storage) is not null)
            {
                // What is not given stays as it was.
                quota = await service.SetQuotaAsync(
                    services.Caller(),
                    org,
                    parsed.GetValue(apps) ?? quota.MaxApps,
                    parsed.GetValue(memory) ?? Size(quota.MaxMemoryBytes),
                    parsed.GetValue(storage) ?? Size(quota.MaxStorageBytes),
                    ct).ConfigureAwait(false);
            }

            await output.WriteLineAsync($"{org}: {Describe(quota, await service.UsageAsync(services.Caller(), org, ct).ConfigureAwait(false))}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static string? Size(long? bytes) => bytes is { } b ? $"{b / 1024}K" : null;

    private static string Describe(OrganizationQuota quota, QuotaUsage usage)
    {
        var none = CliText.Get("OrgQuotaNone");
        return CliText.Format(
            "OrgQuotaLine",
            usage.Apps,
            quota.MaxApps?.ToString(System.Globalization.CultureInfo.CurrentCulture) ?? none,
            OrganizationService.Shown(usage.MemoryBytes),
            quota.MaxMemoryBytes is { } m ? OrganizationService.Shown(m) : none,
            OrganizationService.Shown(usage.StorageBytes),
            quota.MaxStorageBytes is { } s ? OrganizationService.Shown(s) : none);
    }
}
