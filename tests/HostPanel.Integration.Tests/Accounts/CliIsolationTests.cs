using System.Text.Json;
using HostPanel.Cli;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Configuration;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using HostPanel.Infrastructure.Accounts;
using HostPanel.Integration.Tests.Apps;
using HostPanel.Integration.Tests.TestWorld;

namespace HostPanel.Integration.Tests.Accounts;

/// <summary>
/// The wall between organizations, through the CLI: every command that names an object of another
/// organization — an app, its backups, its domain, its people, its groups, its settings — is
/// run with the access token of an organization administrator and of a member of another
/// organization. None succeeds, nothing of the other organization changes, and no answer names
/// anything of it that the command did not already name.
/// </summary>
public sealed class CliIsolationTests : IAsyncDisposable
{
    private const string Password = "a long enough password";

    private readonly Scratch _scratch = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _scratch.DisposeAsync();

    [Fact]
    public async Task NoCommandReachesAnotherOrganization()
    {
        var app = _scratch.Name("edi");
        var domain = $"{app}.editions-du-lac.example.org";
        await using var life = await Lifecycle.StartAsync(_scratch.DataDirectory, 1, Ct, null, services => services.AddHostPanelAccounts(new HostPanelOptions { DataDirectory = _scratch.DataDirectory }));
        var root = Callers.Root;
        var organizations = life.Get<OrganizationService>();
        await organizations.AddAsync(root, "velo", "Atelier vélo", Ct);
        await organizations.AddAsync(root, "edition", "Éditions du Lac", Ct);

        // The other organization: an app with a backup, a member, a group that may use the app, an invitation.
        Assert.Equal(OperationState.Succeeded, (await life.Apps.InstallAsync(new InstallRequest("hello", root) { Name = app, Domain = domain, OrganizationId = "edition" }, Ct)).State);
        var backup = await life.Backups.BackupAsync(app, root, Ct);
        Assert.Equal(OperationState.Succeeded, backup.State);
        var snapshot = Assert.Single(await life.Backups.ListAsync(root, "edition", app, Ct)).SnapshotId;
        var people = life.Get<IPeopleDirectory>();
        var memberships = life.Get<IMembershipStore>();
        var members = life.Get<MemberService>();
        var eve = await people.CreateAsync("eve@editions-du-lac.example.org", "Ève", Password, Ct);
        await memberships.SaveAsync(new Membership(eve.Id, "edition", OrganizationRole.Administrator, DateTimeOffset.UtcNow), Ct);
        await members.AddGroupAsync(root, "edition", "comite-lecture", null, Ct);
        await members.ChangeGroupMembersAsync(root, "edition", "comite-lecture", [eve.Email], [], Ct);
        await members.SetAppAccessAsync(root, app, ["comite-lecture"], Ct);
        await members.InviteAsync(root, "edition", "pending@editions-du-lac.example.org", OrganizationRole.Member, [], Ct);
        var eveCaller = (await life.Get<CallerResolver>().ForPersonAsync(eve.Id, Ct))!;
        var (eveToken, eveSecret) = await members.CreateTokenAsync(eveCaller, "edition", OrganizationRole.Administrator, "eve's", null, Ct);

        // This organization: an administrator and a member, each with a token.
        var alice = await people.CreateAsync("alice@velo.example.org", "Alice", Password, Ct);
        var bob = await people.CreateAsync("bob@velo.example.org", "Bob", Password, Ct);
        await memberships.SaveAsync(new Membership(alice.Id, "velo", OrganizationRole.Administrator, DateTimeOffset.UtcNow), Ct);
        await memberships.SaveAsync(new Membership(bob.Id, "velo", OrganizationRole.Member, DateTimeOffset.UtcNow), Ct);
        var resolver = life.Get<CallerResolver>();
        var (_, adminToken) = await members.CreateTokenAsync((await resolver.ForPersonAsync(alice.Id, Ct))!, "velo", OrganizationRole.Administrator, "admin", null, Ct);
        var (_, memberToken) = await members.CreateTokenAsync((await resolver.ForPersonAsync(bob.Id, Ct))!, "velo", OrganizationRole.Member, "member", null, Ct);

        await File.WriteAllTextAsync(Path.Combine(_scratch.DataDirectory, "appsettings.json"), JsonSerializer.Serialize(new
        {
            DockerEndpoint = World.DockerHost,
            UtilityImage = World.WebImage,
            DnsServers = World.Dns,
            PublicAddresses = "127.0.0.1",
            CatalogDirectory = HostPanel.Tests.RepositoryPaths.TestCatalog(1),
        }), Ct);
        var passwordFile = Path.Combine(_scratch.DataDirectory, "password.txt");
        await File.WriteAllTextAsync(passwordFile, Password, Ct);

        // Everything of the other organization that must never show unless the command named it.
        string[] secrets = ["edition", "Éditions du Lac", app, domain, eve.Email, "comite-lecture", "pending@editions-du-lac.example.org", snapshot[..8], eveToken.Id];
        string[][] commands =
        [
            ["app", "start", app], ["app", "stop", app], ["app", "restart", app], ["app", "update", app],
            ["app", "set-domain", app, "ailleurs.velo.example.org"], ["app", "remove", app], ["app", "remove", app, "--purge", "--yes"],
            ["app", "logs", app], ["app", "access", app], ["app", "access", app, "--all-members"], ["app", "access", app, "--groups", "comite-lecture"],
            ["app", "install", "hello", "--org", "edition", "--name", _scratch.Name("new"), "--domain", "new.editions-du-lac.example.org"],
            ["app", "install", "hello", "--name", app, "--domain", domain],
            ["app", "list", "--org", "edition"], ["app", "list", "--json"],
            ["operations", "--instance", app], ["operations", "--json"], ["reconcile"], ["engine", "status"],
            ["backup", "now", app], ["backup", "now", "--org", "edition"], ["backup", "list", "--org", "edition"], ["backup", "list", "--json"],
            ["backup", "restore", snapshot], ["backup", "restore", snapshot, "--to", _scratch.Name("copy"), "--org", "velo"],
            ["backup", "drill", app], ["backup", "check", "--org", "edition"], ["backup", "target", "set", "/tmp/elsewhere", "--org", "edition"],
            ["backup", "export-key", "--org", "edition"], ["restore", "--from", Path.Combine(_scratch.DataDirectory, "backups"), "--password-file", passwordFile],
            ["domain", "add", "autre.editions-du-lac.example.org", "--org", "edition"], ["domain", "add", domain], ["domain", "list", "--org", "edition"], ["domain", "list", "--json"],
            ["cert", "list", "--json"], ["cert", "renew", domain], ["proxy", "show"],
            ["mail", "set", "--org", "edition", "--host", "127.0.0.1", "--port", "25", "--security", "none", "--from", "x@velo.example.org"],
            ["mail", "show", "--org", "edition"], ["mail", "test", "x@velo.example.org", "--org", "edition"],
            ["org", "add", "nouvelle", "--name", "Nouvelle"], ["org", "list", "--json"], ["org", "quota", "edition"], ["org", "quota", "edition", "--apps", "9"],
            ["member", "invite", "x@velo.example.org", "--org", "edition"], ["member", "list", "--org", "edition"],
            ["member", "disable", eve.Email, "--org", "edition"], ["member", "disable", eve.Email], ["member", "enable", eve.Email, "--org", "edition"],
            ["member", "role", eve.Email, "member", "--org", "edition"], ["member", "remove", eve.Email, "--org", "edition"], ["member", "remove", eve.Email],
            ["group", "add", "intrus", "--org", "edition"], ["group", "list", "--org", "edition"], ["group", "remove", "comite-lecture", "--org", "edition"],
            ["group", "members", "comite-lecture", "--org", "edition", "--add", alice.Email], ["group", "members", "comite-lecture"],
            ["token", "create", "--user", eve.Email, "--org", "edition", "--name", "x"], ["token", "list", "--user", eve.Email], ["token", "revoke", eveToken.Id],
            ["admin", "recover", eve.Email, "--password-file", passwordFile],
        ];

        // Listings may answer (with the caller's own objects); everything else must be refused.
        static bool IsListing(string[] c) => c is ["app", "list", "--json"] or ["operations", "--json"] or ["backup", "list", "--json"] or ["domain", "list", "--json"] or ["cert", "list", ..] or ["org", "list", ..];

        var failures = new List<string>();
        foreach (var (role, token) in new[] { ("admin", adminToken), ("member", memberToken) })
        {
            foreach (var command in commands)
            {
                using var output = new StringWriter();
                using var error = new StringWriter();
                var code = await HostPanelCli.RunAsync(["--data-dir", _scratch.DataDirectory, "--token", token, .. command], output, error, Ct);
                var said = output + "\n" + error;
                var line = $"{role}: hostpanel {string.Join(' ', command)} → {code}: {said.Trim()}";
                if (IsListing(command) ? code is not (0 or 1) : code == 0)
                {
                    failures.Add("not refused: " + line);
                }

                foreach (var secret in secrets.Where(s => !command.Any(a => a.Contains(s, StringComparison.Ordinal))))
                {
                    if (said.Contains(secret, StringComparison.OrdinalIgnoreCase))
                    {
                        failures.Add($"leaks '{secret}': " + line);
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // Nothing of the other organization changed.
        var still = await life.Instances.FindAsync(app, Ct);
        Assert.Equal(InstanceState.Running, still!.State);
        Assert.Equal(domain, still.Domain);
        Assert.Equal(OrganizationRole.Administrator, (await memberships.FindAsync(eve.Id, "edition", Ct))!.Role);
        Assert.False((await memberships.FindAsync(eve.Id, "edition", Ct))!.Suspended);
        Assert.Equal(["comite-lecture"], await life.Get<IGroupStore>().AppAccessAsync(app, Ct));
        Assert.Equal([eve.Id], await life.Get<IGroupStore>().MembersAsync("edition", "comite-lecture", Ct));
        Assert.NotNull(await resolver.ForTokenAsync(eveSecret, Ct));
        Assert.Null(await life.Get<HostPanel.Core.Domains.IDomainStore>().FindAsync("autre.editions-du-lac.example.org", Ct));
        Assert.Single(await life.Backups.ListAsync(root, "edition", app, Ct));
        Assert.Equal(2, (await organizations.ListAsync(root, Ct)).Count(o => o.Id is "velo" or "edition"));
        Assert.DoesNotContain(await organizations.ListAsync(root, Ct), o => o.Id == "nouvelle");
        Assert.Equal("Éditions du Lac", (await organizations.ListAsync(root, Ct)).Single(o => o.Id == "edition").Name);
        Assert.Null((await organizations.QuotaAsync(root, "edition", Ct)).MaxApps);

        Assert.Equal(OperationState.Succeeded, (await life.Apps.RemoveAsync(app, root, purge: true, confirmed: true, Ct)).State);
    }
}
