using HostPanel.Core.Apps;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using HostPanel.Integration.Tests.Cli;

namespace HostPanel.Integration.Tests.Apps;

/// <summary>
/// The `hostpanel` process is killed (SIGKILL) as each step of an install and of an update
/// starts; after the reconciler runs, the app is either as before or fully at the new version,
/// with nothing left over and no data lost.
/// </summary>
public sealed class CrashSafetyTests
{
    private const int InstallSteps = 14;
    private const int UpdateSteps = 21;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Cases run side by side in rounds (each on its own app) to keep the suite short.</summary>
    private const int Parallel = 4;

    [Fact]
    public async Task AnInstallKilledAtAnyStepEndsRunningOrLeavesNothing()
    {
        await using var scratch = new Scratch();
        var outcomes = new List<string>();
        foreach (var round in Enumerable.Range(1, InstallSteps).Chunk(Parallel))
        {
            var names = round.ToDictionary(step => step, step => scratch.Name($"ci{step}"));
            await Task.WhenAll(round.Select(step => RunAndKillAtAsync(scratch.DataDirectory, 1, step, InstallSteps, "app", "install", "notes", "--name", names[step], "--domain", $"{names[step]}.velo-lyon.fr")));

            await using var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct);
            await life.Reconciler.RunAsync(Ct);

            foreach (var step in round)
            {
                var name = names[step];
                var instance = await life.Instances.FindAsync(name, Ct);
                var objects = (await life.EngineObjectsAsync(name, Ct)).Order(StringComparer.Ordinal).ToList();
                if (instance is null)
                {
                    Assert.True(objects.Count == 0, $"step {step}: the undone install left {string.Join(", ", objects)}");
                    outcomes.Add($"{step}:undone");
                }
                else
                {
                    Assert.True(instance.State == InstanceState.Running, $"step {step}: {instance.State}");
                    Assert.Equal([$"container hp-{name}-db", $"container hp-{name}-web", $"network hp-{name}-internal", $"volume hp-{name}-data", $"volume hp-{name}-pgdata"], objects);
                    Assert.Equal("ok", (await life.GetAsync(name, "/health", Ct)).Trim());
                    outcomes.Add($"{step}:running");
                    await life.Apps.RemoveAsync(name, Callers.Root, purge: true, confirmed: true, Ct);
                }
            }

            Assert.Empty(await life.Journal.UnfinishedAsync(Ct));
        }

        TestContext.Current.SendDiagnosticMessage(string.Join(" ", outcomes));
    }

    [Fact]
    public async Task AnUpdateKilledAtAnyStepEndsAtOneVersionWithItsData()
    {
        await using var scratch = new Scratch();
        var lanes = Enumerable.Range(0, Parallel).Select(i => scratch.Name($"cu{i}")).ToList();
        await Task.WhenAll(lanes.Select(name => InstallV1Async(scratch, name)));
        var outcomes = new List<string>();
        foreach (var round in Enumerable.Range(1, UpdateSteps).Chunk(Parallel))
        {
            var cases = round.Select((step, lane) => (Step: step, Name: lanes[lane])).ToList();
            await Task.WhenAll(cases.Select(c => RunAndKillAtAsync(scratch.DataDirectory, 2, c.Step, UpdateSteps, "app", "update", c.Name)));

            var reinstall = new List<string>();
            await using (var life = await Lifecycle.StartAsync(scratch.DataDirectory, 2, Ct))
            {
                await life.Reconciler.RunAsync(Ct);
                foreach (var (step, name) in cases)
                {
                    var instance = (await life.Instances.FindAsync(name, Ct))!;
                    var last = (await life.Journal.ListAsync(name, null, 1, Ct))[0];
                    Assert.True(instance.State == InstanceState.Running, $"step {step}: {instance.State}; last operation {last.Kind} {last.State}: {last.Outcome} / {last.Detail}");
                    Assert.Equal(
                        [$"container hp-{name}-db", $"container hp-{name}-web", $"network hp-{name}-internal", $"volume hp-{name}-data", $"volume hp-{name}-pgdata"],
                        (await life.EngineObjectsAsync(name, Ct)).Order(StringComparer.Ordinal));
                    Assert.Equal(instance.Version, (await life.GetAsync(name, "/version", Ct)).Trim());
                    var notes = await life.GetAsync(name, "/cgi-bin/notes", Ct);
                    Assert.Contains(instance.Version == "1" ? "\tcadenas" : "\t[v2] cadenas", notes, StringComparison.Ordinal);
                    outcomes.Add($"{step}:v{instance.Version}");
                    if (instance.Version == "2")
                    {
                        await life.Apps.RemoveAsync(name, Callers.Root, purge: true, confirmed: true, Ct);
                        reinstall.Add(name);
                    }
                }

                Assert.Empty(await life.Journal.UnfinishedAsync(Ct));
            }

            await Task.WhenAll(reinstall.Select(name => InstallV1Async(scratch, name)));
        }

        TestContext.Current.SendDiagnosticMessage(string.Join(" ", outcomes));
    }

    private static async Task InstallV1Async(Scratch scratch, string name)
    {
        await using var life = await Lifecycle.StartAsync(scratch.DataDirectory, 1, Ct);
        var install = await life.Apps.InstallAsync(new InstallRequest("notes", Callers.Root) { Name = name, Domain = $"{name}.velo-lyon.fr" }, Ct);
        Assert.True(install.State == OperationState.Succeeded, install.Outcome);
        Assert.Contains("added", await life.GetAsync(name, "/cgi-bin/add?cadenas", Ct), StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs `hostpanel ARGS` and kills it with SIGKILL as soon as it announces step
    /// <paramref name="step"/> of the operation of <paramref name="count"/> steps (an update
    /// first runs its backup, whose steps are not counted). Returns false when the command
    /// finished before reaching it.
    /// </summary>
    private static Task<bool> RunAndKillAtAsync(string dataDirectory, int catalog, int step, int count, params string[] args) =>
        HostPanelProcess.RunAndKillWhenAsync(
            dataDirectory,
            catalog,
            line => line.StartsWith($"[{step}/{count}]", StringComparison.Ordinal) && !line.Contains('↩', StringComparison.Ordinal),
            TimeSpan.Zero,
            Ct,
            args);
}
