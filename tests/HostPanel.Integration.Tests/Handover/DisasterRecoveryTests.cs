using System.Text.Json;
using HostPanel.Cli;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Configuration;
using HostPanel.Core.Engine;
using HostPanel.Core.Handover;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using HostPanel.Infrastructure.Accounts;
using HostPanel.Integration.Tests.Apps;
using HostPanel.Integration.Tests.TestWorld;
using HostPanel.Tests;

namespace HostPanel.Integration.Tests.Handover;

/// <summary>
/// The server is lost — its data directory, the apps' containers and volumes — and a new one is
/// rebuilt from two of the three recovery-kit shares and the backups on the SFTP server.
/// </summary>
public sealed class DisasterRecoveryTests : IAsyncDisposable
{
    private const string Password = "Une phrase de passe assez longue 42";
    private readonly Scratch _scratch = new();
    private readonly DirectoryInfo _elsewhere = Directory.CreateTempSubdirectory("hp-kit-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        _elsewhere.Delete(recursive: true);
        await _scratch.DisposeAsync();
    }

    [Fact]
    public async Task TwoSharesBringBackThePanelAndEveryAppWithItsDataAndOneShareRevealsNothing()
    {
        var app = _scratch.Name("dis");
        var oldServer = Path.Combine(_elsewhere.FullName, "old");
        var newServer = Path.Combine(_elsewhere.FullName, "new");
        var kitFolder = Path.Combine(_elsewhere.FullName, "kit");
        await WorldApps.WriteSettingsAsync(oldServer, Ct);

        string notesBefore, filesBefore, startsBefore, claireId;
        await using (var life = await Lifecycle.StartAsync(oldServer, 1, Ct, null, services => services.AddHostPanelAccounts(new HostPanelOptions { DataDirectory = oldServer })))
        {
            var root = Callers.Root;
            await life.Get<OrganizationService>().AddAsync(root, "atelier", "Atelier vélo", Ct);
            foreach (var org in new[] { "default", "atelier" })
            {
                var location = $"sftp://{World.SftpUser}@{World.SftpHost}:{World.SftpPort}/{World.SftpPath}/{app}-{org}";
                await life.Backups.SetTargetAsync(root, org, location, World.SftpKey, World.SftpKnownHosts, Ct);
            }

            var install = await life.Apps.InstallAsync(new InstallRequest("notes", root) { Name = app, Domain = $"{app}.velo-lyon.fr", OrganizationId = "atelier", Answers = new Dictionary<string, string> { ["first_note"] = "avant la panne" } }, Ct);
            Assert.True(install.State == OperationState.Succeeded, $"{install.State}: {install.Outcome} {install.Detail}");
            var written = await WorldApps.ExecAsync(life, app, "web", "head -c 300000 /dev/urandom > /data/photo.bin && mkdir -p /data/albums && echo 'sortie du 12' > /data/albums/liste.txt", Ct);
            Assert.Equal(0, written.ExitCode);
            notesBefore = await life.GetAsync(app, "/cgi-bin/notes", Ct);
            filesBefore = await WorldApps.DataChecksumsAsync(life, app, "photo.bin", Ct);
            startsBefore = await StartLogAsync(life, app);

            // The panel's own state: a person, a group, an external account.
            var claire = await life.Get<IPeopleDirectory>().CreateAsync("claire@velo-lyon.fr", "Claire", Password, Ct);
            claireId = claire.Id;
            await life.Get<IMembershipStore>().SaveAsync(new Membership(claire.Id, "atelier", OrganizationRole.Administrator, DateTimeOffset.UtcNow), Ct);
            await life.Get<MemberService>().AddGroupAsync(root, "atelier", "benevoles", null, Ct);
            await life.Get<ExternalAccountService>().AddAsync(root, "atelier", new ExternalAccountInput("Nom de domaine velo-lyon.fr", "Gandi", "https://admin.gandi.net", ["Claire", "Malik"], null), Ct);
            Assert.Equal(OperationState.Succeeded, (await life.Backups.BackupAsync(app, root, Ct)).State);
        }

        var kit = await HostPanelAsync(oldServer, "recovery-kit", "create", "--threshold", "2", "--holder", "Claire", "--holder", "Malik", "--holder", "Sofia", "-o", kitFolder);
        Assert.True(kit.Code == 0, kit.ToString());
        var shares = Directory.GetFiles(kitFolder, "share-*.txt").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(3, shares.Length);

        // The disaster: the apps' containers, volumes and networks, and the panel's data directory, are gone.
        await using (var life = await Lifecycle.StartAsync(oldServer, 1, Ct))
        {
            foreach (var container in await life.Engine.Containers.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, app), Ct))
            {
                await life.Engine.Containers.RemoveAsync(container.Id, force: true, Ct);
            }

            foreach (var volume in await life.Engine.Volumes.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, app), Ct))
            {
                await life.Engine.Volumes.RemoveAsync(volume.Name, Ct);
            }

            foreach (var network in await life.Engine.Networks.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, app), Ct))
            {
                await life.Engine.Networks.RemoveAsync(network.Id, Ct);
            }

            Assert.Empty(await life.EngineObjectsAsync(app, Ct));
        }

        Directory.Delete(oldServer, recursive: true);

        // One share is not enough, and nothing is written.
        var alone = await HostPanelAsync(newServer, "recover", "--share", shares[0]);
        Assert.Equal(1, alone.Code);
        Assert.Contains("2", alone.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(newServer) && Directory.EnumerateFileSystemEntries(newServer).Any(), "a refused recovery wrote into the data directory");

        var recover = await HostPanelAsync(newServer, "recover", "--share", shares[0], "--share", shares[2]);
        Assert.True(recover.Code == 0, recover.ToString());

        await using (var life = await Lifecycle.StartAsync(newServer, 1, Ct, null, services => services.AddHostPanelAccounts(new HostPanelOptions { DataDirectory = newServer })))
        {
            var instance = await life.Instances.FindAsync(app, Ct);
            Assert.Equal(InstanceState.Running, instance!.State);
            Assert.Equal("atelier", instance.OrganizationId);
            Assert.Equal(notesBefore, await life.GetAsync(app, "/cgi-bin/notes", Ct));
            Assert.Contains("avant la panne", notesBefore, StringComparison.Ordinal);
            Assert.Equal(filesBefore, await WorldApps.DataChecksumsAsync(life, app, "photo.bin", Ct));
            Assert.StartsWith(startsBefore, await StartLogAsync(life, app), StringComparison.Ordinal);

            // The panel's state came back with it: the person, the group, the external account, the audit log intact.
            var root = Callers.Root;
            Assert.Equal(OrganizationRole.Administrator, (await life.Get<IMembershipStore>().FindAsync(claireId, "atelier", Ct))!.Role);
            Assert.Contains(await life.Get<MemberService>().GroupsAsync(root, "atelier", Ct), g => g.Group.Name == "benevoles");
            Assert.Contains(await life.Get<ExternalAccountService>().ListAsync(root, "atelier", Ct), a => a.Provider == "Gandi");
            var audit = life.Get<AuditService>();
            Assert.True((await audit.VerifyAsync(root, Ct)).Verdict.IsIntact);
            Assert.Contains(await audit.ListAsync(root, null, null, 50, Ct), l => l.Entry.Action == AuditActions.PanelRecovered && l.Entry.Result == AuditResult.Succeeded);

            // And it goes on backing up where it did.
            Assert.StartsWith("sftp://", (await life.Backups.TargetAsync(root, "atelier", Ct)).Location, StringComparison.Ordinal);
            Assert.Equal(OperationState.Succeeded, (await life.Backups.BackupAsync(app, root, Ct)).State);
        }
    }

    private static async Task<string> StartLogAsync(Lifecycle life, string app)
    {
        var log = await WorldApps.ExecAsync(life, app, "web", "cat /data/starts.log", Ct);
        Assert.Equal(0, log.ExitCode);
        Assert.NotEmpty(log.Stdout);
        return log.Stdout;
    }

    private static async Task<(int Code, string Output, string Error)> HostPanelAsync(string dataDirectory, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await HostPanelCli.RunAsync(["--data-dir", dataDirectory, .. args], output, error, Ct);
        return (code, output.ToString(), error.ToString());
    }
}
