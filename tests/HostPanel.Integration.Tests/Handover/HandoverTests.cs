using System.Text.Json;
using HostPanel.Cli;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Backups;
using HostPanel.Core.Configuration;
using HostPanel.Core.Handover;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using HostPanel.Infrastructure.Accounts;
using HostPanel.Infrastructure.Backups;
using HostPanel.Infrastructure.Data;
using HostPanel.Integration.Tests.Apps;
using HostPanel.Integration.Tests.TestWorld;
using HostPanel.Tests;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Integration.Tests.Handover;

/// <summary>An administrator leaves and a successor takes over, through the commands a person types, on the test world.</summary>
public sealed class HandoverTests : IAsyncDisposable
{
    private const string Password = "Une phrase de passe assez longue 42";
    private readonly Scratch _scratch = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _scratch.DisposeAsync();

    [Fact]
    public async Task AfterTheHandoverTheDepartingAdministratorIsGoneWithTheirTokensAndTheOldBackupKey()
    {
        await using var life = await StartAsync();
        var root = Callers.Root;
        var (app, claire, malik, authenticatorKey, passwordFile) = await SceneAsync(life, "atelier", "hand");
        var people = life.Get<IPeopleDirectory>();
        var memberships = life.Get<IMembershipStore>();
        var members = life.Get<MemberService>();
        var resolver = life.Get<CallerResolver>();
        var (_, claireToken) = await members.CreateTokenAsync((await resolver.ForPersonAsync(claire.Id, Ct))!, "atelier", OrganizationRole.Administrator, "scripts de Claire", null, Ct);
        var oldRepository = await life.Get<BackupRepositories>().DescribeAsync("atelier", Ct);

        var start = await HostPanelAsync(null, "handover", "start", "--from", claire.Email, "--to", malik.Email, "--org", "atelier");
        Assert.True(start.Code == HostPanelCli.ExitUnhealthy, start.ToString());
        Assert.Contains("[x]", start.Output, StringComparison.Ordinal); // the successor is administrator now
        Assert.Equal(OrganizationRole.Administrator, (await memberships.FindAsync(malik.Id, "atelier", Ct))!.Role);

        // Not yet: both proofs are missing, and they are named.
        var early = await HostPanelAsync(null, "handover", "complete", "--org", "atelier");
        Assert.Equal(1, early.Code);
        Assert.Contains(malik.Email, early.Error, StringComparison.Ordinal);

        var wrongCode = await HostPanelAsync(null, "handover", "prove-sign-in", "--org", "atelier", "--password-file", passwordFile, "--code", "000000");
        Assert.Equal(1, wrongCode.Code);
        var proven = await HostPanelAsync(null, "handover", "prove-sign-in", "--org", "atelier", "--password-file", passwordFile, "--code", Totp.Code(authenticatorKey, Totp.StepAt(DateTimeOffset.UtcNow)));
        Assert.True(proven.Code == HostPanelCli.ExitUnhealthy, proven.ToString()); // the drill is still missing

        // The successor proves they can decrypt a backup: a restore drill under their own account.
        var (_, malikToken) = await members.CreateTokenAsync((await resolver.ForPersonAsync(malik.Id, Ct))!, "atelier", OrganizationRole.Administrator, "portable de Malik", null, Ct);
        var drill = await HostPanelAsync(malikToken, "backup", "drill", app);
        Assert.True(drill.Code == 0, drill.ToString());
        var ready = await HostPanelAsync(null, "handover", "status", "--org", "atelier");
        Assert.True(ready.Code == 0, ready.ToString());

        // The person leaving cannot complete it themselves.
        var byClaire = await HostPanelAsync(claireToken, "handover", "complete", "--org", "atelier");
        Assert.Equal(1, byClaire.Code);

        var complete = await HostPanelAsync(malikToken, "handover", "complete", "--org", "atelier");
        Assert.True(complete.Code == 0, complete.ToString());

        // Claire can no longer sign in (her account belonged to this organization only) nor use her token.
        Assert.Null(await people.FindByEmailAsync(claire.Email, Ct));
        Assert.False(await people.VerifySignInAsync(claire.Id, Password, "000000", Ct));
        var claireAfter = await HostPanelAsync(claireToken, "app", "list");
        Assert.Equal(1, claireAfter.Code);

        // The old backup password no longer opens the repository; the new one does, and Malik's token still works.
        var restic = new ResticCli(cacheDirectory: Path.Combine(_scratch.DataDirectory, "cache", "restic-test"));
        var refused = await Assert.ThrowsAsync<ResticException>(() => restic.SnapshotsAsync(oldRepository, null, Ct));
        Assert.Equal(ResticFailure.WrongPassword, refused.Failure);
        var newRepository = await life.Get<BackupRepositories>().DescribeAsync("atelier", Ct);
        Assert.NotEqual(oldRepository.Password, newRepository.Password);
        Assert.NotEmpty(await restic.SnapshotsAsync(newRepository, [BackupTags.MainPart], Ct));
        Assert.Single(await restic.KeysAsync(newRepository, Ct));
        var key = await HostPanelAsync(malikToken, "backup", "export-key", "--json");
        using (var json = JsonDocument.Parse(key.Output))
        {
            Assert.Equal(newRepository.Password, json.RootElement.GetProperty("password").GetString());
        }

        var after = await HostPanelAsync(malikToken, "handover", "status");
        Assert.Contains(claire.Email, after.Output, StringComparison.Ordinal);
        Assert.Equal(0, after.Code);
        var done = Assert.Single(await life.Get<IHandoverStore>().ListAsync("atelier", Ct));
        Assert.NotNull(done.CompletedAt);
        Assert.Equal(malik.Email, done.CompletedBy);

        // The whole handover is in the audit log, in order, and the log is intact.
        var audit = life.Get<AuditService>();
        var story = (await audit.ListAsync(root, "atelier", null, 200, Ct)).Select(l => l.Entry).Reverse().ToList();
        var handoverSteps = story.Where(e => e.Action.StartsWith("handover.", StringComparison.Ordinal)).Select(e => (e.Action, e.Result)).ToList();
        Assert.Equal(
            [(AuditActions.HandoverStart, AuditResult.Succeeded), (AuditActions.HandoverComplete, AuditResult.Refused), (AuditActions.HandoverSignInProven, AuditResult.Succeeded), (AuditActions.HandoverComplete, AuditResult.Succeeded)],
            handoverSteps);
        Assert.Contains(story, e => e.Action == "app.drill" && e.Actor == malik.Email && e.Result == AuditResult.Succeeded);
        Assert.Contains(story, e => e.Action == AuditActions.MemberRemove && e.Subject == claire.Email);
        Assert.True((await audit.VerifyAsync(root, Ct)).Verdict.IsIntact);
    }

    [Fact]
    public async Task AHosterHandingOverTheDefaultOrganizationPassesOnTheHostingRoleAHosterGaveTheSuccessor()
    {
        await using var life = await StartAsync();
        var root = Callers.Root;
        var (app, claire, malik, authenticatorKey, passwordFile) = await SceneAsync(life, Organization.DefaultId, "host");
        var people = life.Get<IPeopleDirectory>();
        var members = life.Get<MemberService>();
        var resolver = life.Get<CallerResolver>();

        // Root makes Claire the server's hoster; as the only one, she cannot lose the role.
        var added = await HostPanelAsync(null, "hoster", "add", claire.Email);
        Assert.True(added.Code == 0, added.ToString());
        Assert.Equal([claire.Email], HosterEmails(await HostPanelAsync(null, "hoster", "list", "--json")));
        var lastOne = await HostPanelAsync(null, "hoster", "remove", claire.Email);
        Assert.Equal(1, lastOne.Code);
        Assert.Contains(claire.Email, lastOne.Error, StringComparison.Ordinal);

        // A hoster who belongs to no organization: taking the role would leave an account with no
        // use, so the command asks for --delete-account, then deletes it with the role.
        var host = await people.CreateAsync("host@hebergeur.example.org", "Hébergeur", "une phrase de passe assez longue", Ct);
        Assert.Equal(0, (await HostPanelAsync(null, "hoster", "add", host.Email)).Code);
        var useless = await HostPanelAsync(null, "hoster", "remove", host.Email);
        Assert.Equal(1, useless.Code);
        Assert.Contains("--delete-account", useless.Error, StringComparison.Ordinal);
        Assert.True((await people.FindAsync(host.Id, Ct))!.IsHosterAdministrator);
        var gone = await HostPanelAsync(null, "hoster", "remove", host.Email, "--delete-account");
        Assert.True(gone.Code == 0, gone.ToString());
        Assert.Contains(CliText.Get("HosterRemovedAccountDeleted"), gone.Output, StringComparison.Ordinal);
        Assert.Null(await people.FindAsync(host.Id, Ct));

        // A token never acts as a hoster, even Claire's.
        var (_, claireToken) = await members.CreateTokenAsync((await resolver.ForPersonAsync(claire.Id, Ct))!, Organization.DefaultId, OrganizationRole.Administrator, "scripts de Claire", null, Ct);
        Assert.Equal(1, (await HostPanelAsync(claireToken, "hoster", "add", malik.Email)).Code);
        Assert.False((await people.FindAsync(malik.Id, Ct))!.IsHosterAdministrator);

        Assert.Equal(HostPanelCli.ExitUnhealthy, (await HostPanelAsync(null, "handover", "start", "--from", claire.Email, "--to", malik.Email)).Code);
        var proven = await HostPanelAsync(null, "handover", "prove-sign-in", "--password-file", passwordFile, "--code", Totp.Code(authenticatorKey, Totp.StepAt(DateTimeOffset.UtcNow)));
        Assert.True(proven.Code == HostPanelCli.ExitUnhealthy, proven.ToString());
        var (_, malikToken) = await members.CreateTokenAsync((await resolver.ForPersonAsync(malik.Id, Ct))!, Organization.DefaultId, OrganizationRole.Administrator, "portable de Malik", null, Ct);
        var drill = await HostPanelAsync(malikToken, "backup", "drill", app);
        Assert.True(drill.Code == 0, drill.ToString());

        // Root gives Malik the hosting role too: it goes with the handover, and Claire's with her.
        Assert.Equal(0, (await HostPanelAsync(null, "hoster", "add", malik.Email)).Code);
        var complete = await HostPanelAsync(malikToken, "handover", "complete");
        Assert.True(complete.Code == 0, complete.ToString());

        Assert.Null(await people.FindByEmailAsync(claire.Email, Ct)); // no other organization, no hosting role: the account is gone
        Assert.Equal([malik.Email], (await people.HosterAdministratorsAsync(Ct)).Select(p => p.Email));
        var done = Assert.Single(await life.Get<IHandoverStore>().ListAsync(Organization.DefaultId, Ct));
        Assert.Contains(Core.Resources.CoreText.Format("HandoverHostingMoved", claire.Email, malik.Email), done.Summary, StringComparison.Ordinal);

        var audit = life.Get<AuditService>();
        var story = (await audit.ListAsync(root, null, null, 200, Ct)).Select(l => l.Entry).Reverse().ToList();
        var cliRoot = $"cli:{Environment.UserName}";
        Assert.Equal(
            [
                (AuditActions.HostingGrant, cliRoot, claire.Email),
                (AuditActions.HostingGrant, cliRoot, "host@hebergeur.example.org"),
                (AuditActions.HostingRevoke, cliRoot, "host@hebergeur.example.org"),
                (AuditActions.HostingGrant, cliRoot, malik.Email),
                (AuditActions.HostingRevoke, malik.Email, claire.Email),
            ],
            story.Where(e => e.Action.StartsWith("hosting.", StringComparison.Ordinal) && e.Result == AuditResult.Succeeded).Select(e => (e.Action, e.Actor, e.Subject)));
        Assert.Contains(story, e => e.Action == AuditActions.AccessRefused && e.Actor == claire.Email && e.Subject!.StartsWith(AuditActions.HostingGrant, StringComparison.Ordinal));
        Assert.True((await audit.VerifyAsync(root, Ct)).Verdict.IsIntact);
    }

    private static List<string> HosterEmails((int Code, string Output, string Error) list)
    {
        Assert.True(list.Code == 0, list.ToString());
        using var json = JsonDocument.Parse(list.Output);
        return [.. json.RootElement.EnumerateArray().Select(e => e.GetProperty("email").GetString()!)];
    }

    private Task<Lifecycle> StartAsync() =>
        Lifecycle.StartAsync(_scratch.DataDirectory, 1, Ct, null, services => services.AddHostPanelAccounts(new HostPanelOptions { DataDirectory = _scratch.DataDirectory }));

    /// <summary>
    /// The notes app installed in <paramref name="organization"/> and backed up; Claire administers
    /// the organization and leaves, Malik is a member with an authenticator and takes over (his
    /// password in a file, for the flow's own sign-in check); the command line's settings written.
    /// </summary>
    private async Task<(string App, Person Claire, Person Malik, string AuthenticatorKey, string PasswordFile)> SceneAsync(Lifecycle life, string organization, string prefix)
    {
        var app = _scratch.Name(prefix);
        var root = Callers.Root;
        if (organization != Organization.DefaultId)
        {
            await life.Get<OrganizationService>().AddAsync(root, organization, "Atelier vélo", Ct);
        }

        var install = await life.Apps.InstallAsync(new InstallRequest("notes", root) { Name = app, Domain = $"{app}.velo-lyon.fr", OrganizationId = organization }, Ct);
        Assert.True(install.State == OperationState.Succeeded, $"{install.State}: {install.Outcome} {install.Detail}");
        Assert.Equal(OperationState.Succeeded, (await life.Backups.BackupAsync(app, root, Ct)).State);

        var people = life.Get<IPeopleDirectory>();
        var memberships = life.Get<IMembershipStore>();
        var claire = await people.CreateAsync("claire@velo-lyon.fr", "Claire", Password, Ct);
        var malik = await people.CreateAsync("malik@velo-lyon.fr", "Malik", Password, Ct);
        await memberships.SaveAsync(new Membership(claire.Id, organization, OrganizationRole.Administrator, DateTimeOffset.UtcNow), Ct);
        await memberships.SaveAsync(new Membership(malik.Id, organization, OrganizationRole.Member, DateTimeOffset.UtcNow), Ct);
        var authenticatorKey = await EnrolAuthenticatorAsync(life, malik.Id);

        await WorldApps.WriteSettingsAsync(_scratch.DataDirectory, Ct);
        var passwordFile = Path.Combine(_scratch.DataDirectory, "malik-password");
        await File.WriteAllTextAsync(passwordFile, Password, Ct);
        return (app, claire, malik, authenticatorKey, passwordFile);
    }

    private async Task<string> EnrolAuthenticatorAsync(Lifecycle life, string userId)
    {
        await using var scope = life.Get<IServiceScopeFactory>().CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>();
        var user = (await users.FindByIdAsync(userId))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return (await users.GetAuthenticatorKeyAsync(user))!;
    }

    private async Task<(int Code, string Output, string Error)> HostPanelAsync(string? token, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] full = token is null ? ["--data-dir", _scratch.DataDirectory, .. args] : ["--data-dir", _scratch.DataDirectory, "--token", token, .. args];
        var code = await HostPanelCli.RunAsync(full, output, error, Ct);
        return (code, output.ToString(), error.ToString());
    }
}
