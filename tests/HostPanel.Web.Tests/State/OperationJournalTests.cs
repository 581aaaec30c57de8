using System.Collections;
using System.Reflection;
using System.Text.Json.Serialization;
using HostPanel.Core.Apps;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.State;

public sealed class OperationJournalTests : StateTestBase
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    private IOperationJournal Journal => Get<IOperationJournal>();

    private static Operation NewOperation(string instance = "cloud", DateTimeOffset? createdAt = null, string organization = Organization.DefaultId) => new()
    {
        Id = Guid.NewGuid(),
        Instance = instance,
        OrganizationId = organization,
        Kind = OperationKind.Update,
        Actor = "user:alice@example.org",
        FromVersion = "30.0.1",
        ToVersion = "31.0.0",
        CreatedAt = createdAt ?? T0,
    };

    private static readonly PlanStep[] ThreeSteps =
    [
        new PullImageStep("nextcloud:31.0.0"),
        new StopContainerStep("hp-cloud-app", TimeSpan.FromSeconds(30)),
        new StartContainerStep("hp-cloud-app"),
    ];

    [Fact]
    public async Task AnOperationAndItsStepsAreRecordedPending()
    {
        var operation = NewOperation();

        await Journal.CreateAsync(operation, ThreeSteps, Ct);

        Assert.Equal(operation, await Journal.FindAsync(operation.Id, Ct));
        Assert.Null(await Journal.FindAsync(Guid.NewGuid(), Ct));
        var steps = await Journal.StepsAsync(operation.Id, Ct);
        Assert.Equal([0, 1, 2], steps.Select(s => s.Index));
        Assert.Equal(ThreeSteps, steps.Select(s => s.Step));
        Assert.All(steps, s =>
        {
            Assert.Equal(operation.Id, s.OperationId);
            Assert.False(s.Undo);
            Assert.Equal(StepState.Pending, s.State);
            Assert.Null(s.StartedAt);
            Assert.Null(s.FinishedAt);
            Assert.Null(s.Error);
        });
    }

    [Fact]
    public async Task StepStatesCarryWhenTheyStartedAndFinished()
    {
        var operation = NewOperation();
        await Journal.CreateAsync(operation, ThreeSteps, Ct);

        await Journal.SetStepStateAsync(operation.Id, 0, StepState.Running, null, T0.AddSeconds(1), Ct);
        var running = (await Journal.StepsAsync(operation.Id, Ct))[0];
        await Journal.SetStepStateAsync(operation.Id, 0, StepState.Done, null, T0.AddSeconds(5), Ct);
        await Journal.SetStepStateAsync(operation.Id, 1, StepState.Running, null, T0.AddSeconds(6), Ct);
        await Journal.SetStepStateAsync(operation.Id, 1, StepState.Failed, "the container did not stop in time", T0.AddSeconds(40), Ct);
        await Journal.SetStepStateAsync(operation.Id, 2, StepState.Skipped, null, T0.AddSeconds(41), Ct);

        Assert.Equal((StepState.Running, T0.AddSeconds(1), (DateTimeOffset?)null), (running.State, running.StartedAt, running.FinishedAt));
        var steps = await Journal.StepsAsync(operation.Id, Ct);
        Assert.Equal(
            [
                (StepState.Done, T0.AddSeconds(1), T0.AddSeconds(5), null),
                (StepState.Failed, T0.AddSeconds(6), T0.AddSeconds(40), "the container did not stop in time"),
                (StepState.Skipped, (DateTimeOffset?)null, (DateTimeOffset?)T0.AddSeconds(41), (string?)null),
            ],
            steps.Select(s => (s.State, s.StartedAt, s.FinishedAt, s.Error)));
    }

    [Fact]
    public async Task ARetriedStepStartsAgainAndPendingClearsItsTimes()
    {
        var operation = NewOperation();
        await Journal.CreateAsync(operation, ThreeSteps, Ct);
        await Journal.SetStepStateAsync(operation.Id, 0, StepState.Running, null, T0, Ct);
        await Journal.SetStepStateAsync(operation.Id, 0, StepState.Failed, "network", T0.AddSeconds(1), Ct);

        await Journal.SetStepStateAsync(operation.Id, 0, StepState.Running, null, T0.AddSeconds(10), Ct);
        var retried = (await Journal.StepsAsync(operation.Id, Ct))[0];
        await Journal.SetStepStateAsync(operation.Id, 0, StepState.Pending, null, T0.AddSeconds(11), Ct);
        var reset = (await Journal.StepsAsync(operation.Id, Ct))[0];

        Assert.Equal((T0.AddSeconds(10), (DateTimeOffset?)null, (string?)null), (retried.StartedAt, retried.FinishedAt, retried.Error));
        Assert.Equal(((DateTimeOffset?)null, (DateTimeOffset?)null), (reset.StartedAt, reset.FinishedAt));
    }

    [Fact]
    public async Task UndoStepsAreNumberedOnFromTheLastStep()
    {
        var operation = NewOperation();
        await Journal.CreateAsync(operation, ThreeSteps, Ct);

        await Journal.AppendUndoStepsAsync(operation.Id, [new RemoveContainerStep("hp-cloud-app-new"), new RenameContainerStep("hp-cloud-app-old", "hp-cloud-app")], Ct);
        await Journal.AppendUndoStepsAsync(operation.Id, [new StartContainerStep("hp-cloud-app")], Ct);
        await Journal.AppendUndoStepsAsync(operation.Id, [], Ct);

        var steps = await Journal.StepsAsync(operation.Id, Ct);
        Assert.Equal([0, 1, 2, 3, 4, 5], steps.Select(s => s.Index));
        Assert.Equal([false, false, false, true, true, true], steps.Select(s => s.Undo));
        Assert.Equal(new RenameContainerStep("hp-cloud-app-old", "hp-cloud-app"), steps[4].Step);
        Assert.All(steps.Skip(3), s => Assert.Equal(StepState.Pending, s.State));
    }

    [Fact]
    public async Task UnknownOperationsAndStepsAreRefused()
    {
        var operation = NewOperation();
        await Journal.CreateAsync(operation, ThreeSteps, Ct);
        var unknown = Guid.NewGuid();

        await Assert.ThrowsAsync<InvalidOperationException>(() => Journal.SetStepStateAsync(operation.Id, 3, StepState.Running, null, T0, Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Journal.SetStepStateAsync(unknown, 0, StepState.Running, null, T0, Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Journal.SetStateAsync(unknown, OperationState.Running, null, null, T0, Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Journal.AppendUndoStepsAsync(unknown, ThreeSteps, Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Journal.AppendLogAsync(unknown, "info", "hello", T0, Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Journal.CreateAsync(operation, [], Ct));
    }

    [Fact]
    public async Task AFinishedStateStampsTheEndAndAnUnfinishedOneClearsIt()
    {
        var operation = NewOperation();
        await Journal.CreateAsync(operation, ThreeSteps, Ct);

        await Journal.SetStateAsync(operation.Id, OperationState.Running, null, null, T0.AddSeconds(1), Ct);
        var running = await Journal.FindAsync(operation.Id, Ct);
        await Journal.SetStateAsync(operation.Id, OperationState.RolledBack, "The update failed; version 30.0.1 runs again.", "exit code 1 from occ upgrade", T0.AddMinutes(2), Ct);
        var rolledBack = await Journal.FindAsync(operation.Id, Ct);

        Assert.Equal(operation with { State = OperationState.Running }, running);
        Assert.Equal(
            operation with
            {
                State = OperationState.RolledBack,
                FinishedAt = T0.AddMinutes(2),
                Outcome = "The update failed; version 30.0.1 runs again.",
                Detail = "exit code 1 from occ upgrade",
            },
            rolledBack);
        Assert.True(rolledBack!.IsFinished);
    }

    [Fact]
    public async Task LogLinesComeBackInTheOrderTheyWereWritten()
    {
        var operation = NewOperation();
        var other = NewOperation("wiki");
        await Journal.CreateAsync(operation, ThreeSteps, Ct);
        await Journal.CreateAsync(other, ThreeSteps, Ct);

        await Journal.AppendLogAsync(operation.Id, "info", "pull image nextcloud:31.0.0", T0, Ct);
        await Journal.AppendLogAsync(other.Id, "info", "elsewhere", T0, Ct);
        await Journal.AppendLogAsync(operation.Id, "warning", "slow registry", T0, Ct);
        await Journal.AppendLogAsync(operation.Id, "error", "the clock went back", T0.AddSeconds(-5), Ct);

        var log = await Journal.LogAsync(operation.Id, Ct);

        Assert.Equal(["pull image nextcloud:31.0.0", "slow registry", "the clock went back"], log.Select(l => l.Text));
        Assert.Equal(["info", "warning", "error"], log.Select(l => l.Level));
        Assert.Equal(new OperationLogLine(operation.Id, T0.AddSeconds(-5), "error", "the clock went back"), log[2]);
    }

    [Fact]
    public async Task ListingGivesTheNewestFirstFilteredAndLimited()
    {
        await Get<IOrganizationStore>().AddAsync(new Organization("club", "Club", T0), Ct);
        var first = NewOperation("cloud", T0);
        var second = NewOperation("wiki", T0.AddMinutes(1), "club");
        var third = NewOperation("cloud", T0.AddMinutes(2));

        // Written out of order, and with offsets: the instant decides.
        await Journal.CreateAsync(third with { CreatedAt = third.CreatedAt.ToOffset(TimeSpan.FromHours(-5)) }, [], Ct);
        await Journal.CreateAsync(first with { CreatedAt = first.CreatedAt.ToOffset(TimeSpan.FromHours(9)) }, [], Ct);
        await Journal.CreateAsync(second, [], Ct);

        Assert.Equal([third.Id, second.Id, first.Id], (await Journal.ListAsync(ct: Ct)).Select(o => o.Id));
        Assert.Equal([third.Id, first.Id], (await Journal.ListAsync("cloud", ct: Ct)).Select(o => o.Id));
        Assert.Equal([second.Id], (await Journal.ListAsync(organizationId: "club", ct: Ct)).Select(o => o.Id));
        Assert.Equal([third.Id, second.Id], (await Journal.ListAsync(limit: 2, ct: Ct)).Select(o => o.Id));
        Assert.Empty(await Journal.ListAsync("cloud", "club", ct: Ct));
    }

    [Fact]
    public async Task UnfinishedOperationsArePendingRunningOrInterruptedOldestFirst()
    {
        var byState = new Dictionary<OperationState, Operation>();
        var minute = 0;
        foreach (var state in Enum.GetValues<OperationState>())
        {
            var operation = NewOperation(createdAt: T0.AddMinutes(minute++));
            await Journal.CreateAsync(operation, ThreeSteps, Ct);
            if (state != OperationState.Pending)
            {
                await Journal.SetStateAsync(operation.Id, state, null, null, T0.AddHours(1), Ct);
            }

            byState[state] = operation;
        }

        var unfinished = await Journal.UnfinishedAsync(Ct);

        Assert.Equal(
            [byState[OperationState.Pending].Id, byState[OperationState.Running].Id, byState[OperationState.Interrupted].Id],
            unfinished.Select(o => o.Id));
    }

    [Fact]
    public async Task EachWriteIsDurableAtOnceForAnotherProcess()
    {
        var operation = NewOperation();
        await Journal.CreateAsync(operation, ThreeSteps, Ct);
        await Journal.SetStateAsync(operation.Id, OperationState.Running, null, null, T0, Ct);
        await Journal.SetStepStateAsync(operation.Id, 0, StepState.Running, null, T0, Ct);

        // What a panel restarted after a crash would see.
        var restarted = (await StartServicesAsync()).GetRequiredService<IOperationJournal>();

        Assert.Equal([operation.Id], (await restarted.UnfinishedAsync(Ct)).Select(o => o.Id));
        Assert.Equal(StepState.Running, (await restarted.StepsAsync(operation.Id, Ct))[0].State);
    }

    [Fact]
    public async Task EveryKindOfPlanStepComesBackFromTheJournalAsItWasWritten()
    {
        var samples = PlanStepKinds().Select(kind => Sample(kind.DerivedType)).ToList();
        var operation = NewOperation();

        await Journal.CreateAsync(operation, samples, Ct);
        await Journal.AppendUndoStepsAsync(operation.Id, samples, Ct);

        var steps = await Journal.StepsAsync(operation.Id, Ct);
        Assert.Equal(samples.Count * 2, steps.Count);
        foreach (var (step, written) in steps.Zip(samples.Concat(samples)))
        {
            AssertSameStep(written, step.Step);
        }
    }

    [Fact]
    public async Task StepsAreStoredWithTheirKindAndEnumsByName()
    {
        var operation = NewOperation();
        await Journal.CreateAsync(operation, [new SetInstanceStateStep(InstanceState.Updating, "31.0.0")], Ct);

        var json = (string?)await ScalarAsync($"SELECT StepJson FROM OperationSteps WHERE [Index] = 0 AND OperationId = '{operation.Id.ToString().ToUpperInvariant()}';");

        Assert.NotNull(json);
        Assert.StartsWith("{\"kind\":\"set-state\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Updating\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwentyOperationsJournaledAtOnceFromSeveralThreadsAndTwoProcessesAllLand()
    {
        var journals = new[] { Journal, (await StartServicesAsync()).GetRequiredService<IOperationJournal>() };
        var operations = Enumerable.Range(0, 20).Select(i => NewOperation($"app-{i:00}", T0.AddSeconds(i))).ToList();

        await Task.WhenAll(operations.Select((operation, i) => Task.Run(
            async () =>
            {
                var journal = journals[i % 2];
                await journal.CreateAsync(operation, ThreeSteps, Ct);
                await journal.SetStateAsync(operation.Id, OperationState.Running, null, null, T0, Ct);
                for (var step = 0; step < ThreeSteps.Length; step++)
                {
                    await journal.SetStepStateAsync(operation.Id, step, StepState.Running, null, T0, Ct);
                    await journal.AppendLogAsync(operation.Id, "info", $"step {step}", T0, Ct);
                    await journal.SetStepStateAsync(operation.Id, step, StepState.Done, null, T0.AddSeconds(1), Ct);
                }

                await journal.AppendUndoStepsAsync(operation.Id, [new RemoveContainerStep("x")], Ct);
                await journal.SetStateAsync(operation.Id, OperationState.Succeeded, "done", null, T0.AddSeconds(2), Ct);
            },
            Ct)));

        Assert.Empty(await Journal.UnfinishedAsync(Ct));
        Assert.Equal(20, (await Journal.ListAsync(ct: Ct)).Count(o => o.State == OperationState.Succeeded));
        foreach (var operation in operations)
        {
            Assert.Equal(4, (await Journal.StepsAsync(operation.Id, Ct)).Count);
            Assert.Equal(["step 0", "step 1", "step 2"], (await Journal.LogAsync(operation.Id, Ct)).Select(l => l.Text));
        }
    }

    /// <summary>Every plan step kind <see cref="PlanStep"/> declares, so that a new one is covered without editing this test.</summary>
    private static IEnumerable<JsonDerivedTypeAttribute> PlanStepKinds() =>
        typeof(PlanStep).GetCustomAttributes<JsonDerivedTypeAttribute>();

    /// <summary>A step of <paramref name="type"/> with a distinctive, non-default value in every field.</summary>
    private static PlanStep Sample(Type type)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select(p => SampleValue(p.ParameterType, p.Name!)).ToArray();
        return (PlanStep)constructor.Invoke(arguments);
    }

    private static object SampleValue(Type type, string name) => type switch
    {
        _ when type == typeof(string) => $"{name}-sample",
        _ when type == typeof(bool) => true,
        _ when type == typeof(int) => 7,
        _ when type == typeof(TimeSpan) => TimeSpan.FromSeconds(95),
        _ when type == typeof(InstanceState) || type == typeof(InstanceState?) => InstanceState.Updating,
        _ when type == typeof(IReadOnlyDictionary<string, string>) => new Dictionary<string, string> { [$"{name}-key"] = $"{name}-value" },
        _ when type == typeof(IReadOnlyList<string>) => new[] { $"{name}-a", $"{name}-b" },
        _ => throw new InvalidOperationException($"No sample value for a {type} ({name}): add one to this test."),
    };

    private static void AssertSameStep(PlanStep expected, PlanStep actual)
    {
        Assert.IsType(expected.GetType(), actual);
        foreach (var property in expected.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var (want, got) = (property.GetValue(expected), property.GetValue(actual));
            if (want is IEnumerable sequence and not string)
            {
                Assert.Equal(sequence.Cast<object>(), ((IEnumerable)got!).Cast<object>());
            }
            else
            {
                Assert.Equal(want, got);
            }
        }
    }
}
