using System.CommandLine;
using HostPanel.Cli.Apps;
using HostPanel.Cli.Catalog;
using HostPanel.Cli.Engine;

namespace HostPanel.Cli;

/// <summary>
/// The `hostpanel` command. It runs HostPanel's own services in-process, so an administrator can
/// act — and recover — even when the web panel is down.
/// </summary>
public static class HostPanelCli
{
    /// <summary>Exit code when the command ran but the thing asked about is not well (engine unreachable…).</summary>
    public const int ExitUnhealthy = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var globals = new GlobalOptions();
        var root = new RootCommand(CliText.Get("RootDescription"));
        root.Add(globals.DataDirectory);
        root.Add(globals.Catalog);
        root.Add(globals.Token);
        root.Add(EngineCommands.Build(globals, output, error));
        root.Add(CatalogCommands.Build(globals, output, error));
        foreach (var command in AppCommands.Build(globals, output, error))
        {
            root.Add(command);
        }

        root.Add(Backups.BackupCommands.Build(globals, output, error));
        root.Add(Backups.BackupCommands.RestoreFrom(globals, output, error));
        root.Add(Domains.DomainCommands.Build(globals, output, error));
        root.Add(Mail.MailCommands.Build(globals, output, error));
        root.Add(Organizations.OrganizationCommands.Build(globals, output, error));
        foreach (var command in Accounts.MemberCommands.Build(globals, output, error))
        {
            root.Add(command);
        }
        root.Add(Certificates.CertificateCommands.Build(globals, output, error));
        root.Add(Certificates.CertificateCommands.Proxy(globals, output, error));
        root.Add(Handover.HandoverCommands.Build(globals, output, error));
        root.Add(Handover.RecoverCommand.Build(globals, output, error));
        root.Add(Handover.AuditCommands.Build(globals, output, error));
        root.Add(Handover.RecoveryKitCommands.Build(globals, output, error));
        root.Add(Handover.RunbookCommands.Build(globals, output, error));

        var parsed = root.Parse(args);
        var invocation = new InvocationConfiguration { Output = output, Error = error };
        return await parsed.InvokeAsync(invocation, ct).ConfigureAwait(false);
    }
}

/// <summary>Options every command accepts, before or after the command name.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> DataDirectory { get; } = new("--data-dir")
    {
        Description = CliText.Get("DataDirOption"),
        HelpName = "DIR",
        Recursive = true,
    };

    public Option<string?> Catalog { get; } = new("--catalog")
    {
        Description = CliText.Get("CatalogOption"),
        HelpName = "DIR",
        Recursive = true,
    };

    /// <summary>Act with a personal access token's rights (one organization, one role) instead of root's.</summary>
    public Option<string?> Token { get; } = new("--token")
    {
        Description = CliText.Get("TokenOption"),
        HelpName = "TOKEN",
        Recursive = true,
    };
}
