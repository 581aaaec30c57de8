using System.Text.Json;
using HostPanel.Core.Apps;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using HostPanel.Integration.Tests.Apps;
using HostPanel.Integration.Tests.TestWorld;

namespace HostPanel.Integration.Tests.Cli;

/// <summary>
/// The `hostpanel app …` commands as a person types them: the built program run as a process on
/// the test world's engine, its exit codes (0 done, 1 refused, 2 failed) and what it prints.
/// </summary>
public sealed class AppCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InstallListStopStartLogsAndPurgeFromTheCommandLine()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("cli");

        var install = await HostPanelAsync(scratch, "app", "install", "notes", "--name", name, "--domain", $"{name}.velo-lyon.fr", "--set", "first_note=Atelier du jeudi");
        Assert.True(install.Code == 0, install.ToString());

        var list = await HostPanelAsync(scratch, "app", "list", "--json");
        Assert.Equal(0, list.Code);
        using (var json = JsonDocument.Parse(list.Stdout))
        {
            var row = json.RootElement.EnumerateArray().Single(r => r.GetProperty("instance").GetString() == name);
            Assert.Equal("default", row.GetProperty("org").GetString());
            Assert.Equal("notes", row.GetProperty("app").GetString());
            Assert.Equal("1", row.GetProperty("version").GetString());
            Assert.Equal("Running", row.GetProperty("state").GetString(), ignoreCase: true);
            Assert.True(row.TryGetProperty("health", out _), list.Stdout);
        }

        // The database password the app really received appears in none of the outputs.
        await using (var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct))
        {
            var password = (await life.Engine.Containers.ExecAsync(ResourceNames.Container(name, "web"), new ExecRequest { Command = ["printenv", "DB_PASSWORD"] }, Ct)).Stdout.Trim();
            Assert.Equal(24, password.Length);
            var operations = await HostPanelAsync(scratch, "operations", "--json", "--instance", name);
            Assert.Equal(0, operations.Code);
            foreach (var output in new[] { install, list, operations })
            {
                Assert.DoesNotContain(password, output.Stdout + output.Stderr, StringComparison.Ordinal);
            }
        }

        Assert.Equal(0, (await HostPanelAsync(scratch, "app", "stop", name)).Code);
        Assert.Equal(0, (await HostPanelAsync(scratch, "app", "start", name)).Code);
        var logs = await HostPanelAsync(scratch, "app", "logs", name, "--service", "web", "--tail", "5");
        Assert.Equal(0, logs.Code);
        // The engine is shared with other tests: their apps are drift to this data directory
        // (exit 2, "not repaired"); this app must not be.
        var reconciled = await HostPanelAsync(scratch, "reconcile");
        Assert.True(reconciled.Code is 0 or 2, reconciled.ToString());
        Assert.DoesNotContain(name, reconciled.Stdout + reconciled.Stderr, StringComparison.Ordinal);

        var unconfirmed = await HostPanelAsync(scratch, "app", "remove", name, "--purge");
        Assert.True(unconfirmed.Code == 1, unconfirmed.ToString());
        var purge = await HostPanelAsync(scratch, "app", "remove", name, "--purge", "--yes");
        Assert.True(purge.Code == 0, purge.ToString());
        await using (var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct))
        {
            Assert.Empty(await life.EngineObjectsAsync(name, Ct));
        }
    }

    [Fact]
    public async Task BadInputIsRefusedWithExitOneAClearMessageAndNothingCreated()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("cbad");
        var taken = scratch.Name("ctaken");
        Assert.Equal(0, (await HostPanelAsync(scratch, "app", "install", "hello", "--name", taken, "--domain", $"{taken}.velo-lyon.fr")).Code);

        (string[] Args, string Says)[] cases =
        [
            (["app", "install", "jitsi", "--name", name, "--domain", "j.velo-lyon.fr"], "jitsi"),
            (["app", "install", "notes", "--name", name, "--domain", "n.velo-lyon.fr", "--set", $"first_note={new string('x', 201)}"], "first_note"),
            (["app", "install", "notes", "--name", name, "--domain", "n.velo-lyon.fr", "--set", "colour=red"], "colour"),
            (["app", "install", "notes", "--name", name, "--domain", "n.velo-lyon.fr", "--set", "nothing"], "nothing"),
            (["app", "install", "hello", "--name", taken, "--domain", "other.velo-lyon.fr"], taken),
            (["app", "install", "hello", "--name", name, "--domain", $"{taken}.velo-lyon.fr"], taken),
            (["app", "update", taken, "--to", "9"], "9"),
            (["app", "stop", name], name),
        ];
        foreach (var (args, says) in cases)
        {
            var run = await HostPanelAsync(scratch, args);
            Assert.True(run.Code == 1, $"{string.Join(' ', args)} → {run}");
            Assert.Contains(says, run.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        }

        await using var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct);
        Assert.Empty(await life.EngineObjectsAsync(name, Ct));
        Assert.Null(await life.Instances.FindAsync(name, Ct));
        Assert.Single(await life.Journal.ListAsync(taken, null, 10, Ct));
    }

    [Fact]
    public async Task AnAppBusyInAnotherProcessIsRefusedNotRunTwice()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("cbusy");
        Assert.Equal(0, (await HostPanelAsync(scratch, "app", "install", "hello", "--name", name, "--domain", $"{name}.velo-lyon.fr")).Code);

        // This test process holds the app's lock, as the panel would while it updates the app.
        var locks = new InstanceLocks(Path.Combine(scratch.DataDirectory, "locks"));
        var inside = new TaskCompletionSource();
        var leave = new TaskCompletionSource();
        var holding = locks.RunAsync(name, LockWait.Fail, async () =>
        {
            inside.SetResult();
            await leave.Task;
        }, Ct);
        await inside.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        var refused = await HostPanelAsync(scratch, "app", "restart", name);
        var reconcile = await HostPanelAsync(scratch, "reconcile");
        leave.SetResult();
        await holding;

        Assert.True(refused.Code == 1, refused.ToString());
        Assert.Contains(name, refused.Stderr, StringComparison.Ordinal);
        // Not its to touch while another process holds it (exit 2: other tests' apps are drift here).
        Assert.True(reconcile.Code is 0 or 2, reconcile.ToString());
        await using var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct);
        Assert.DoesNotContain((await life.Journal.ListAsync(name, null, 10, Ct)), o => o.Kind == OperationKind.Restart);
        Assert.Equal(0, (await HostPanelAsync(scratch, "app", "restart", name)).Code);
    }

    private static Task<HostPanelProcess.Run> HostPanelAsync(Scratch scratch, params string[] args) =>
        HostPanelProcess.RunAsync(scratch.DataDirectory, 1, Ct, args);
}
