using System.Diagnostics;
using HostPanel.Core.Apps;
using HostPanel.Core.Operations;

namespace HostPanel.Integration.Tests.Apps;

/// <summary>The Docker engine restarts in the middle of an update.</summary>
[Collection(nameof(EngineRestartTests))]
public sealed class EngineRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnUpdateCutByAnEngineRestartEndsCleanlyAndTheAppRuns()
    {
        await using var scratch = new Scratch();
        var name = scratch.Name("restart");
        await using (var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct))
        {
            var install = await life.Apps.InstallAsync(new InstallRequest("notes", Callers.Root) { Name = name, Domain = $"{name}.velo-lyon.fr" }, Ct);
            Assert.True(install.State == OperationState.Succeeded, install.Outcome);
            Assert.Contains("added", await life.GetAsync(name, "/cgi-bin/add?chambre-a-air", Ct), StringComparison.Ordinal);
        }

        Operation update;
        await using (var life = await Lifecycle.StartAsync(scratch.DataDirectory, 2, Ct))
        {
            // Restart the engine while the update waits for the new database to be healthy: the
            // update's calls to the engine fail while it is away.
            Task? restart = null;
            using var watch = life.Events.Subscribe(e =>
            {
                if (e is StepStarted { Undo: false, Description: var d } && d.StartsWith("wait until", StringComparison.Ordinal) && restart is null)
                {
                    restart = Task.Run(RestartEngine);
                }
            });

            update = await life.Apps.UpdateAsync(name, Callers.Root, null, Ct);
            Assert.NotNull(restart);
            await restart.WaitAsync(TimeSpan.FromMinutes(3), Ct);
        }

        await using (var life = await Lifecycle.StartAsync(scratch.DataDirectory, 2, Ct))
        {
            await life.Reconciler.RunAsync(Ct);
            var instance = (await life.Instances.FindAsync(name, Ct))!;

            Assert.Equal(InstanceState.Running, instance.State);
            Assert.Empty(await life.Journal.UnfinishedAsync(Ct));
            Assert.Equal(instance.Version, (await life.GetAsync(name, "/version", Ct)).Trim());
            Assert.Equal("ok", (await life.GetAsync(name, "/health", Ct)).Trim());
            Assert.Contains(instance.Version == "1" ? "\tchambre-a-air" : "\t[v2] chambre-a-air", await life.GetAsync(name, "/cgi-bin/notes", Ct), StringComparison.Ordinal);
            Assert.Equal(
                [$"container hp-{name}-db", $"container hp-{name}-web", $"network hp-{name}-internal", $"volume hp-{name}-data", $"volume hp-{name}-pgdata"],
                (await life.EngineObjectsAsync(name, Ct)).Order(StringComparer.Ordinal));
            TestContext.Current.SendDiagnosticMessage($"update ended {update.State}; after reconcile: version {instance.Version}");
        }
    }

    /// <summary>Stops and starts the test world's engine.</summary>
    private static void RestartEngine()
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryPaths.Root, "scripts", "testworld.sh")) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("restart-engine");
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit(120_000);
        Assert.True(process.ExitCode == 0, error);
    }
}

/// <summary>Restarting the engine disturbs every test using it: these run on their own, after the others.</summary>
[CollectionDefinition(nameof(EngineRestartTests), DisableParallelization = true)]
public sealed class EngineRestartCollection;
