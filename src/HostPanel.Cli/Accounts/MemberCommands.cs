using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HostPanel.Cli.Mail;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Cli.Accounts;

/// <summary>
/// `hostpanel member`, `group`, `app access`, `token`, `admin recover` and `hoster`: the people of
/// an organization, their groups, who may use which app, access tokens, root's way back in, and who
/// runs the whole server.
/// </summary>
internal static class MemberCommands
{
    public static IEnumerable<Command> Build(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var member = new Command("member", CliText.Get("MemberDescription"));
        member.Add(Invite(globals, output, error));
        member.Add(List(globals, output, error));
        member.Add(Suspend("disable", true, globals, output, error));
        member.Add(Suspend("enable", false, globals, output, error));
        member.Add(Role(globals, output, error));
        member.Add(Remove(globals, output, error));
        yield return member;

        var group = new Command("group", CliText.Get("GroupDescription"));
        group.Add(GroupAdd(globals, output, error));
        group.Add(GroupList(globals, output, error));
        group.Add(GroupRemove(globals, output, error));
        group.Add(GroupMembers(globals, output, error));
        yield return group;

        var token = new Command("token", CliText.Get("TokenDescription"));
        token.Add(TokenCreate(globals, output, error));
        token.Add(TokenList(globals, output, error));
        token.Add(TokenRevoke(globals, output, error));
        yield return token;

        var admin = new Command("admin", CliText.Get("AdminDescription"));
        admin.Add(Recover(globals, output, error));
        yield return admin;

        var hoster = new Command("hoster", CliText.Get("HosterDescription"));
        hoster.Add(HosterList(globals, output, error));
        hoster.Add(HosterSet("add", true, globals, output, error));
        hoster.Add(HosterSet("remove", false, globals, output, error));
        yield return hoster;
    }

    private static Command HosterList(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var json = new Option<bool>("--json") { Description = CliText.Get("JsonOption") };
        var command = new Command("list", CliText.Get("HosterListDescription")) { json };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var hosters = await services.GetRequiredService<MemberService>().HostersAsync(services.Caller(), ct).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(
                    hosters.Select(p => new { email = p.Email, name = p.DisplayName, disabled = p.Disabled, twoFactor = p.TwoFactorEnabled }),
                    CliOutput.Json)).ConfigureAwait(false);
                return 0;
            }

            if (hosters.Count == 0)
            {
                await output.WriteLineAsync(CliText.Get("HosterNone")).ConfigureAwait(false);
            }

            foreach (var p in hosters)
            {
                var state = string.Join(", ", new[]
                {
                    p.TwoFactorEnabled ? null : CliText.Get("HosterNoTwoFactor"),
                    p.Disabled ? CliText.Get("HosterDisabled") : null,
                }.OfType<string>());
                await output.WriteLineAsync($"{p.Email,-32} {p.DisplayName,-24} {state}".TrimEnd()).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private static Command HosterSet(string name, bool hosting, GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var email = new Argument<string>("EMAIL") { Description = CliText.Get("HosterEmailArgument") };
        var deleteAccount = new Option<bool>("--delete-account") { Description = CliText.Get("HosterDeleteAccountOption") };
        var command = new Command(name, CliText.Get(hosting ? "HosterAddDescription" : "HosterRemoveDescription")) { email };
        if (!hosting)
        {
            command.Add(deleteAccount);
        }

        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var change = await services.GetRequiredService<MemberService>().SetHostingAsync(
                services.Caller(), parsed.GetValue(email), hosting, deleteAccountWithoutOrganization: !hosting && parsed.GetValue(deleteAccount), ct).ConfigureAwait(false);
            var person = change.Person;
            await output.WriteLineAsync(CliText.Format(hosting ? "HosterAdded" : "HosterRemoved", person.Email)).ConfigureAwait(false);
            if (change.AccountDeleted)
            {
                await output.WriteLineAsync(CliText.Get("HosterRemovedAccountDeleted")).ConfigureAwait(false);
            }

            if (hosting && !person.TwoFactorEnabled)
            {
                await output.WriteLineAsync(CliText.Format("HosterAddedWithoutTwoFactor", person.Email)).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    /// <summary>`hostpanel app access INSTANCE [--groups G1,G2 | --all-members]`, added under `app`.</summary>
    public static Command AppAccess(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var instance = new Argument<string>("INSTANCE") { Description = CliText.Get("AppInstanceArgument") };
        var groups = new Option<string?>("--groups") { Description = CliText.Get("AppAccessGroupsOption"), HelpName = "G1,G2" };
        var all = new Option<bool>("--all-members") { Description = CliText.Get("AppAccessAllOption") };
        var command = new Command("access", CliText.Get("AppAccessDescription")) { instance, groups, all };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var members = services.GetRequiredService<MemberService>();
            var name = parsed.GetValue(instance)!;
            if (parsed.GetValue(all) && parsed.GetValue(groups) is not null)
            {
                throw new AppRequestException("groups", CliText.Get("AppAccessBoth"));
            }

            if (parsed.GetValue(all))
            {
                await members.SetAppAccessAsync(services.Caller(), name, null, ct).ConfigureAwait(false);
            }
            else if (parsed.GetValue(groups) is { } list)
            {
                await members.SetAppAccessAsync(services.Caller(), name, Split(list), ct).ConfigureAwait(false);
            }

            var access = await members.AppAccessAsync(services.Caller(), name, ct).ConfigureAwait(false);
            await output.WriteLineAsync(access is null
                ? CliText.Format("AppAccessEveryone", name)
                : access.Count == 0 ? CliText.Format("AppAccessNobody", name) : CliText.Format("AppAccessGroups", name, string.Join(", ", access))).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Option<string?> Org() => new("--org") { Description = CliText.Get("AppOrgOption") };

    private static Command Invite(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var email = new Argument<string>("EMAIL") { Description = CliText.Get("MemberEmailArgument") };
        var org = Org();
        var role = new Option<string>("--role") { Description = CliText.Get("MemberRoleOption"), DefaultValueFactory = _ => "member" };
        var groups = new Option<string?>("--groups") { Description = CliText.Get("MemberGroupsOption"), HelpName = "G1,G2" };
        var command = new Command("invite", CliText.Get("MemberInviteDescription")) { email, org, role, groups };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var sent = await services.GetRequiredService<MemberService>().InviteAsync(
                services.Caller(), parsed.GetValue(org), parsed.GetValue(email), OrganizationRoles.Parse(parsed.GetValue(role)), Split(parsed.GetValue(groups)), ct).ConfigureAwait(false);
            var until = sent.Invitation.ExpiresAt.ToLocalTime().ToString("g", CultureInfo.CurrentCulture);
            await output.WriteLineAsync(sent.Mailed
                ? CliText.Format("MemberInvitedMailed", sent.Invitation.Email, sent.Invitation.OrganizationId, until)
                : CliText.Format("MemberInvitedShown", sent.Invitation.Email, sent.Invitation.OrganizationId, until)).ConfigureAwait(false);
            if (sent.MailProblem is { } problem)
            {
                await error.WriteLineAsync(CliText.Format("MemberInviteMailFailed", problem)).ConfigureAwait(false);
            }

            await output.WriteLineAsync(sent.Link).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command List(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var org = Org();
        var json = new Option<bool>("--json") { Description = CliText.Get("JsonOption") };
        var command = new Command("list", CliText.Get("MemberListDescription")) { org, json };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var memberService = services.GetRequiredService<MemberService>();
            var members = await memberService.ListAsync(services.Caller(), parsed.GetValue(org), ct).ConfigureAwait(false);
            var invitations = await memberService.InvitationsAsync(services.Caller(), parsed.GetValue(org), ct).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    members = members.Select(m => new
                    {
                        email = m.Person.Email,
                        name = m.Person.DisplayName,
                        role = OrganizationRoles.Word(m.Role),
                        suspended = m.Suspended,
                        twoFactor = m.Person.TwoFactorEnabled,
                        groups = m.Groups,
                        since = m.Since,
                    }),
                    invitations = invitations.Select(i => new { email = i.Email, role = OrganizationRoles.Word(i.Role), groups = i.Groups, expiresAt = i.ExpiresAt }),
                }, CliOutput.Json)).ConfigureAwait(false);
                return 0;
            }

            foreach (var m in members)
            {
                var state = m.Suspended ? CliText.Get("MemberSuspended") : string.Empty;
                await output.WriteLineAsync($"{m.Person.Email,-32} {OrganizationRoles.Word(m.Role),-7} {string.Join(",", m.Groups),-24} {state}".TrimEnd()).ConfigureAwait(false);
            }

            foreach (var i in invitations)
            {
                await output.WriteLineAsync(CliText.Format("MemberInvitationLine", i.Email, OrganizationRoles.Word(i.Role), i.ExpiresAt.ToLocalTime().ToString("g", CultureInfo.CurrentCulture))).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private static Command Suspend(string verb, bool suspended, GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var email = new Argument<string>("EMAIL") { Description = CliText.Get("MemberEmailArgument") };
        var org = Org();
        var command = new Command(verb, CliText.Get(suspended ? "MemberDisableDescription" : "MemberEnableDescription")) { email, org };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            await services.GetRequiredService<MemberService>().SuspendAsync(services.Caller(), parsed.GetValue(org), parsed.GetValue(email), suspended, ct).ConfigureAwait(false);
            await output.WriteLineAsync(CliText.Format(suspended ? "MemberDisabled" : "MemberEnabled", parsed.GetValue(email))).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Role(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var email = new Argument<string>("EMAIL") { Description = CliText.Get("MemberEmailArgument") };
        var role = new Argument<string>("ROLE") { Description = CliText.Get("MemberRoleOption") };
        var org = Org();
        var command = new Command("role", CliText.Get("MemberRoleDescription")) { email, role, org };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var wanted = OrganizationRoles.Parse(parsed.GetValue(role));
            await services.GetRequiredService<MemberService>().SetRoleAsync(services.Caller(), parsed.GetValue(org), parsed.GetValue(email), wanted, ct).ConfigureAwait(false);
            await output.WriteLineAsync(CliText.Format("MemberRoleSet", parsed.GetValue(email), OrganizationRoles.Word(wanted))).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Remove(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var email = new Argument<string>("EMAIL") { Description = CliText.Get("MemberEmailArgument") };
        var org = Org();
        var command = new Command("remove", CliText.Get("MemberRemoveDescription")) { email, org };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            await services.GetRequiredService<MemberService>().RemoveAsync(services.Caller(), parsed.GetValue(org), parsed.GetValue(email), ct).ConfigureAwait(false);
            await output.WriteLineAsync(CliText.Format("MemberRemoved", parsed.GetValue(email))).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command GroupAdd(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var name = new Argument<string>("NAME") { Description = CliText.Get("GroupNameArgument") };
        var org = Org();
        var description = new Option<string?>("--description") { Description = CliText.Get("GroupDescriptionOption") };
        var command = new Command("add", CliText.Get("GroupAddDescription")) { name, org, description };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var added = await services.GetRequiredService<MemberService>().AddGroupAsync(services.Caller(), parsed.GetValue(org), parsed.GetValue(name), parsed.GetValue(description), ct).ConfigureAwait(false);
            await output.WriteLineAsync(CliText.Format("GroupAdded", added.Name, added.OrganizationId)).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command GroupList(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var org = Org();
        var json = new Option<bool>("--json") { Description = CliText.Get("JsonOption") };
        var command = new Command("list", CliText.Get("GroupListDescription")) { org, json };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var groups = await services.GetRequiredService<MemberService>().GroupsAsync(services.Caller(), parsed.GetValue(org), ct).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(groups.Select(g => new { name = g.Group.Name, description = g.Group.Description, members = g.Members }), CliOutput.Json)).ConfigureAwait(false);
                return 0;
            }

            foreach (var (group, members) in groups)
            {
                await output.WriteLineAsync($"{group.Name,-20} {members.Count,3}  {group.Description}".TrimEnd()).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private static Command GroupRemove(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var name = new Argument<string>("NAME") { Description = CliText.Get("GroupNameArgument") };
        var org = Org();
        var command = new Command("remove", CliText.Get("GroupRemoveDescription")) { name, org };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            await services.GetRequiredService<MemberService>().RemoveGroupAsync(services.Caller(), parsed.GetValue(org), parsed.GetValue(name), ct).ConfigureAwait(false);
            await output.WriteLineAsync(CliText.Format("GroupRemoved", parsed.GetValue(name))).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command GroupMembers(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var name = new Argument<string>("NAME") { Description = CliText.Get("GroupNameArgument") };
        var org = Org();
        var add = new Option<string?>("--add") { Description = CliText.Get("GroupMembersAddOption"), HelpName = "EMAIL,EMAIL" };
        var remove = new Option<string?>("--remove") { Description = CliText.Get("GroupMembersRemoveOption"), HelpName = "EMAIL,EMAIL" };
        var command = new Command("members", CliText.Get("GroupMembersDescription")) { name, org, add, remove };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var members = await services.GetRequiredService<MemberService>().ChangeGroupMembersAsync(
                services.Caller(), parsed.GetValue(org), parsed.GetValue(name), Split(parsed.GetValue(add)), Split(parsed.GetValue(remove)), ct).ConfigureAwait(false);
            foreach (var email in members)
            {
                await output.WriteLineAsync(email).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private static Command TokenCreate(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var user = new Option<string>("--user") { Description = CliText.Get("TokenUserOption"), Required = true };
        var org = Org();
        var role = new Option<string>("--role") { Description = CliText.Get("MemberRoleOption"), DefaultValueFactory = _ => "member" };
        var name = new Option<string>("--name") { Description = CliText.Get("TokenNameOption"), Required = true };
        var days = new Option<int?>("--days") { Description = CliText.Get("TokenDaysOption") };
        var command = new Command("create", CliText.Get("TokenCreateDescription")) { user, org, role, name, days };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            // Root makes a token for a person, with no more than that person's rights.
            AccessControl.RequireHoster(services.Caller());
            var person = await services.GetRequiredService<IPeopleDirectory>().FindByEmailAsync(parsed.GetValue(user)!, ct).ConfigureAwait(false);
            var owner = person is null ? null : await services.GetRequiredService<CallerResolver>().ForPersonAsync(person.Id, ct).ConfigureAwait(false);
            if (owner is null)
            {
                throw new AppRequestException("user", HostPanel.Core.Resources.CoreText.Format("NoAccount", parsed.GetValue(user)));
            }

            var lifetime = parsed.GetValue(days) is { } d ? TimeSpan.FromDays(d) : (TimeSpan?)null;
            var (token, secret) = await services.GetRequiredService<MemberService>().CreateTokenAsync(
                owner, services.Organization(parsed.GetValue(org)), OrganizationRoles.Parse(parsed.GetValue(role)), parsed.GetValue(name), lifetime, ct).ConfigureAwait(false);
            await error.WriteLineAsync(CliText.Format("TokenCreated", token.Id, token.OrganizationId, OrganizationRoles.Word(token.Role))).ConfigureAwait(false);
            await output.WriteLineAsync(secret).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command TokenList(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var user = new Option<string>("--user") { Description = CliText.Get("TokenUserOption"), Required = true };
        var command = new Command("list", CliText.Get("TokenListDescription")) { user };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            AccessControl.RequireHoster(services.Caller());
            var person = await services.GetRequiredService<IPeopleDirectory>().FindByEmailAsync(parsed.GetValue(user)!, ct).ConfigureAwait(false)
                ?? throw new AppRequestException("user", HostPanel.Core.Resources.CoreText.Format("NoAccount", parsed.GetValue(user)));
            foreach (var t in await services.GetRequiredService<IAccessTokenStore>().ListAsync(person.Id, null, ct).ConfigureAwait(false))
            {
                var state = t.RevokedAt is not null ? CliText.Get("TokenRevokedWord") : t.ExpiresAt is { } e && e < DateTimeOffset.UtcNow ? CliText.Get("TokenExpiredWord") : string.Empty;
                await output.WriteLineAsync($"{t.Id} {t.OrganizationId,-16} {OrganizationRoles.Word(t.Role),-7} {t.Name} {state}".TrimEnd()).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private static Command TokenRevoke(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var id = new Argument<string>("ID") { Description = CliText.Get("TokenIdArgument") };
        var command = new Command("revoke", CliText.Get("TokenRevokeDescription")) { id };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            await services.GetRequiredService<MemberService>().RevokeTokenAsync(services.Caller(), parsed.GetValue(id), ct).ConfigureAwait(false);
            await output.WriteLineAsync(CliText.Format("TokenRevoked", parsed.GetValue(id))).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Recover(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var email = new Argument<string>("EMAIL") { Description = CliText.Get("MemberEmailArgument") };
        var passwordFile = new Option<string>("--password-file") { Description = CliText.Get("AdminPasswordFileOption"), Required = true, HelpName = "FILE|-" };
        var command = new Command("recover", CliText.Get("AdminRecoverDescription")) { email, passwordFile };
        command.SetAction((parsed, ct) => CliOutput.RefusalsAsync(error, async () =>
        {
            var password = await MailCommands.ReadPasswordAsync(parsed.GetValue(passwordFile)!, ct).ConfigureAwait(false);
            await using var services = await CliHost.BuildWithStateAsync(parsed, globals, ct).ConfigureAwait(false);
            var person = await services.GetRequiredService<MemberService>().RecoverAdministratorAsync(services.Caller(), parsed.GetValue(email), password, ct).ConfigureAwait(false);
            await output.WriteLineAsync(CliText.Format("AdminRecovered", person.Email)).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static List<string> Split(string? list) =>
        [.. (list ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
