using System.Text.Json;
using HostPanel.Integration.Tests.Apps;

namespace HostPanel.Integration.Tests.Cli;

/// <summary>`hostpanel backup …` as a person types it, on the test world's engine.</summary>
public sealed class BackupCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BackUpListExportTheKeyDrillAndRefuseWhatCannotBeDone()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("cbk");
        Task<HostPanelProcess.Run> HostPanelAsync(params string[] args) => HostPanelProcess.RunAsync(scratch.DataDirectory, 1, Ct, args);
        Assert.Equal(0, (await HostPanelAsync("app", "install", "notes", "--name", name, "--domain", $"{name}.velo-lyon.fr")).Code);

        var backup = await HostPanelAsync("backup", "now", name);
        var list = await HostPanelAsync("backup", "list", "--instance", name, "--json");
        var key = await HostPanelAsync("backup", "export-key", "--json");
        var drill = await HostPanelAsync("backup", "drill", name);
        var nothing = await HostPanelAsync("backup", "now");
        var unknown = await HostPanelAsync("backup", "restore", "deadbeef");
        var notAnId = await HostPanelAsync("backup", "restore", "../etc");
        var badTarget = await HostPanelAsync("backup", "target", "set", "ftp://example.org/x");

        Assert.True(backup.Code == 0, backup.ToString());
        Assert.True(list.Code == 0, list.ToString());
        using (var json = JsonDocument.Parse(list.Stdout))
        {
            var entry = Assert.Single(json.RootElement.EnumerateArray());
            Assert.Equal(name, entry.GetProperty("instance").GetString());
            Assert.Equal("notes", entry.GetProperty("app").GetString());
        }

        using (var json = JsonDocument.Parse(key.Stdout))
        {
            Assert.Equal(Path.Combine(scratch.DataDirectory, "backups", "default"), json.RootElement.GetProperty("repository").GetString());
            Assert.Equal(40, json.RootElement.GetProperty("password").GetString()!.Length);
        }

        Assert.True(drill.Code == 0, drill.ToString());
        Assert.Equal(1, nothing.Code);
        Assert.Equal(1, unknown.Code);
        Assert.Contains("deadbeef", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, notAnId.Code);
        Assert.Equal(1, badTarget.Code);
        Assert.Contains("ftp://example.org/x", badTarget.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerIsRebuiltFromItsRepositoryAndPassword()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("cfrom");
        var fresh = Directory.CreateTempSubdirectory("hp-fresh-").FullName;
        try
        {
            Task<HostPanelProcess.Run> OldServerAsync(params string[] args) => HostPanelProcess.RunAsync(scratch.DataDirectory, 1, Ct, args);
            Assert.Equal(0, (await OldServerAsync("app", "install", "notes", "--name", name, "--domain", $"{name}.velo-lyon.fr", "--set", "first_note=avant la panne")).Code);
            Assert.Equal(0, (await OldServerAsync("backup", "now", name)).Code);
            var key = await OldServerAsync("backup", "export-key", "--json");
            using var json = JsonDocument.Parse(key.Stdout);
            var passwordFile = Path.Combine(fresh, "password");
            await File.WriteAllTextAsync(passwordFile, json.RootElement.GetProperty("password").GetString(), Ct);

            // The old server is gone (its apps with it); a fresh panel is pointed at the backups.
            Assert.Equal(0, (await OldServerAsync("app", "remove", name, "--purge", "--yes")).Code);
            var newServer = Path.Combine(fresh, "data");
            var wrong = Path.Combine(fresh, "wrong");
            await File.WriteAllTextAsync(wrong, "not-the-password", Ct);
            var refused = await HostPanelProcess.RunAsync(newServer, 1, Ct, "restore", "--from", json.RootElement.GetProperty("repository").GetString()!, "--password-file", wrong);
            var restore = await HostPanelProcess.RunAsync(newServer, 1, Ct, "restore", "--from", json.RootElement.GetProperty("repository").GetString()!, "--password-file", passwordFile);

            Assert.Equal(1, refused.Code);
            Assert.True(restore.Code == 0, restore.ToString());
            await using var life = await Lifecycle.StartAsync(newServer, 1, Ct);
            Assert.Equal(HostPanel.Core.Apps.InstanceState.Running, (await life.Instances.FindAsync(name, Ct))!.State);
            Assert.Contains("\tavant la panne", await life.GetAsync(name, "/cgi-bin/notes", Ct), StringComparison.Ordinal);

            // And it goes on backing up into the same repository.
            Assert.Equal(HostPanel.Core.Operations.OperationState.Succeeded, (await life.Backups.BackupAsync(name, Callers.Root, Ct)).State);
            Assert.Equal(json.RootElement.GetProperty("repository").GetString(), (await life.Get<HostPanel.Core.Backups.BackupRepositories>().DescribeAsync("default", Ct)).Location);
        }
        finally
        {
            Directory.Delete(fresh, recursive: true);
        }
    }
}
