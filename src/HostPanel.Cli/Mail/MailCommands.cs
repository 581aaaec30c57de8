using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HostPanel.Core.Apps;
using HostPanel.Core.Mail;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Cli.Mail;

/// <summary>`hostpanel mail set|show|test`: the SMTP profile of the panel and of organizations.</summary>
internal static class MailCommands
{
    public static Command Build(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var mail = new Command("mail", CliText.Get("MailDescription"));
        mail.Add(Set(globals, output, error));
        mail.Add(Show(globals, output, error));
        mail.Add(Test(globals, output, error));
        return mail;
    }

    private static Option<string?> Org() => new("--org") { Description = CliText.Get("MailOrgOption"), HelpName = "ORG" };

    private static Command Set(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var host = new Option<string>("--host") { Description = CliText.Get("MailHostOption"), HelpName = "HOST", Required = true };
        var port = new Option<int>("--port") { Description = CliText.Get("MailPortOption"), HelpName = "PORT", Required = true };
        var security = new Option<string>("--security") { Description = CliText.Get("MailSecurityOption"), HelpName = "none|starttls|tls", Required = true };
        var user = new Option<string?>("--user") { Description = CliText.Get("MailUserOption"), HelpName = "USER" };
        var passwordFile = new Option<string?>("--password-file") { Description = CliText.Get("MailPasswordFileOption"), HelpName = "FILE" };
        var from = new Option<string>("--from") { Description = CliText.Get("MailFromOption"), HelpName = "ADDRESS", Required = true };
        var fromName = new Option<string?>("--from-name") { Description = CliText.Get("MailFromNameOption"), HelpName = "NAME" };
        var org = Org();
        var command = new Command("set", CliText.Get("MailSetDescription")) { host, port, security, user, passwordFile, from, fromName, org };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            var password = parsed.GetValue(passwordFile) is { } file ? await ReadPasswordAsync(file, ct).ConfigureAwait(false) : null;
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var saved = await services.GetRequiredService<MailService>().SaveAsync(services.Caller(), new MailProfileInput
            {
                OrganizationId = parsed.GetValue(org),
                Host = parsed.GetValue(host),
                Port = parsed.GetValue(port),
                Security = parsed.GetValue(security),
                UserName = parsed.GetValue(user),
                Password = password,
                FromAddress = parsed.GetValue(from),
                FromName = parsed.GetValue(fromName),
            }, ct).ConfigureAwait(false);
            await output.WriteLineAsync(CliText.Format("MailSaved", Scope(saved.OrganizationId), Server(saved), Sender(saved))).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Show(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var org = Org();
        var json = new Option<bool>("--json") { Description = CliText.Get("JsonOption") };
        var command = new Command("show", CliText.Get("MailShowDescription")) { org, json };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var mail = services.GetRequiredService<MailService>();
            var organizationId = parsed.GetValue(org);
            var own = await mail.FindAsync(services.Caller(), organizationId, ct).ConfigureAwait(false);
            var used = own ?? await mail.ResolveAsync(organizationId, ct).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(Json(organizationId, own, used), CliOutput.Json)).ConfigureAwait(false);
                return 0;
            }

            if (used is null)
            {
                await output.WriteLineAsync(CliText.Get("MailNone")).ConfigureAwait(false);
                return 0;
            }

            if (own is null)
            {
                await output.WriteLineAsync(CliText.Format("MailInherited", organizationId)).ConfigureAwait(false);
            }

            await output.WriteLineAsync(CliText.Format("MailShowTitle", Scope(used.OrganizationId))).ConfigureAwait(false);
            await output.WriteLineAsync(CliText.Format("MailShowServer", Server(used))).ConfigureAwait(false);
            await output.WriteLineAsync(used.UserName is null ? CliText.Get("MailShowNoLogin") : CliText.Format("MailShowLogin", used.UserName)).ConfigureAwait(false);
            await output.WriteLineAsync(CliText.Format("MailShowSender", Sender(used))).ConfigureAwait(false);
            await output.WriteLineAsync(CliText.Format("MailShowUpdated", used.UpdatedAt.ToLocalTime().ToString("g", CultureInfo.CurrentCulture))).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Test(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var to = new Argument<string>("TO") { Description = CliText.Get("MailToArgument") };
        var org = Org();
        var command = new Command("test", CliText.Get("MailTestDescription")) { to, org };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var sent = await services.GetRequiredService<MailService>().SendTestAsync(services.Caller(), parsed.GetValue(org), parsed.GetValue(to)!, ct).ConfigureAwait(false);
            await output.WriteLineAsync(CliText.Format("MailTestSent", sent.To, Server(sent.Profile), Scope(sent.Profile.OrganizationId), sent.Reference)).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// The password from its file ("-": standard input): one line, its final line break dropped.
    /// Read before anything else, so that a missing file costs no connection.
    /// </summary>
    internal static async Task<string> ReadPasswordAsync(string file, CancellationToken ct)
    {
        string text;
        try
        {
            text = file == "-" ? await Console.In.ReadToEndAsync(ct).ConfigureAwait(false) : await File.ReadAllTextAsync(file, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new AppRequestException("password", CliText.Format("MailPasswordFileUnreadable", file));
        }

        return text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2]
            : text.EndsWith('\n') ? text[..^1]
            : text;
    }

    private static object Json(string? organizationId, MailProfile? own, MailProfile? used) => used is null
        ? new { configured = false, organization = organizationId }
        : new
        {
            configured = true,
            organization = organizationId,
            profileOf = used.OrganizationId is null ? "panel" : "organization",
            inherited = own is null && organizationId is not null,
            host = used.Host,
            port = used.Port,
            security = MailSecurityWords.Of(used.Security),
            user = used.UserName,
            from = used.FromAddress,
            fromName = used.FromName,
            updatedAt = used.UpdatedAt,
        };

    private static string Scope(string? organizationId) =>
        organizationId is null ? CliText.Get("MailScopePanel") : CliText.Format("MailScopeOrg", organizationId);

    private static string Server(MailProfile profile) => $"{profile.Host}:{profile.Port} ({MailSecurityWords.Of(profile.Security)})";

    private static string Sender(MailProfile profile) => profile.FromName is null ? profile.FromAddress : $"{profile.FromName} <{profile.FromAddress}>";
}
