using System.Collections.Concurrent;
using HostPanel.Core.Operations;

namespace HostPanel.Core.Tests.Operations;

/// <summary>
/// The runner's own logic on an in-memory journal and a scripted executor: blocks of a stage run
/// their lanes side by side, a failure stops the other lanes and is undone, plain steps run alone.
/// (On the real engine and SQLite journal, the integration tests install apps with such plans.)
/// </summary>
public class OperationRunnerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PlanStep Step(string container, int? stage = null, string? lane = null) =>
        new StartContainerStep(container) { Stage = stage, Lane = lane };

    [Fact]
    public async Task LanesOfAStageRunSideBySideAndTheNextStepWaitsForThemAll()
    {
        var world = new World();
        // Each lane's first step waits until the other lane has begun: run one after the other, they never finish.
        world.Executor.Meet("a1", "b1");
        var run = await world.RunAsync(
            Step("first"),
            Step("a1", 0, "a"), Step("a2", 0, "a"),
            Step("b1", 0, "b"),
            Step("last"));

        Assert.Equal(OperationState.Succeeded, run.State);
        var order = world.Executor.Started.ToList();
        Assert.Equal("first", order[0]);
        Assert.Equal("last", order[^1]);
        Assert.True(order.IndexOf("a1") < order.IndexOf("a2"), string.Join(" ", order));
        Assert.All(await world.Journal.StepsAsync(run.Id, Ct), s => Assert.Equal(StepState.Done, s.State));
    }

    [Fact]
    public async Task AFailingLaneStopsTheOthersAndTheOperationIsUndoneFromWhatWasDone()
    {
        var world = new World();
        world.Executor.FailOn = "b1";
        world.Executor.HangOn = "a2";
        world.Compensation.Undo = [Step("undo")];
        var run = await world.RunAsync(Step("first"), Step("a1", 0, "a"), Step("a2", 0, "a"), Step("b0", 0, "b"), Step("b1", 0, "b"), Step("last"));

        Assert.Equal(OperationState.Failed, run.State);
        Assert.Contains("b1 broke", run.Outcome, StringComparison.Ordinal);
        var steps = await world.Journal.StepsAsync(run.Id, Ct);
        Assert.Equal(StepState.Failed, steps.Single(s => s.Step is StartContainerStep { Container: "b1" }).State);
        var stopped = steps.Single(s => s.Step is StartContainerStep { Container: "a2" });
        Assert.Equal(StepState.Failed, stopped.State);
        Assert.StartsWith("stopped", stopped.Error, StringComparison.Ordinal);
        Assert.Equal(StepState.Pending, steps.Single(s => s.Step is StartContainerStep { Container: "last" }).State);
        Assert.DoesNotContain("last", world.Executor.Started);
        Assert.Contains("undo", world.Executor.Started);
        Assert.Equal(["b0", "first"], world.Compensation.DoneSeen.Select(s => ((StartContainerStep)s.Step).Container).Where(c => c != "a1").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ConsecutiveStagesAreSeparateBlocks()
    {
        var world = new World();
        world.Executor.Meet("a", "b");
        world.Executor.Meet("c", "d");
        var run = await world.RunAsync(Step("a", 0, "a"), Step("b", 0, "b"), Step("c", 1, "c"), Step("d", 1, "d"));

        Assert.Equal(OperationState.Succeeded, run.State);
        var order = world.Executor.Started.ToList();
        Assert.Equal(["a", "b"], order.Take(2).Order(StringComparer.Ordinal));
        Assert.Equal(["c", "d"], order.Skip(2).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AnInterruptedStageResumesOnlyItsUnfinishedSteps()
    {
        var world = new World();
        world.Compensation.CarryForward = true;
        var operation = world.NewOperation();
        await world.Journal.CreateAsync(operation, [Step("a1", 0, "a"), Step("a2", 0, "a"), Step("b1", 0, "b"), Step("last")], Ct);
        await world.Journal.SetStateAsync(operation.Id, OperationState.Running, null, null, DateTimeOffset.UtcNow, Ct);
        await world.Journal.SetStepStateAsync(operation.Id, 0, StepState.Done, null, DateTimeOffset.UtcNow, Ct);
        await world.Journal.SetStepStateAsync(operation.Id, 2, StepState.Running, null, DateTimeOffset.UtcNow, Ct);

        var run = await world.Runner.RunAsync(operation.Id, Ct);

        Assert.Equal(OperationState.Succeeded, run.State);
        Assert.Equal(["a2", "b1", "last"], world.Executor.Started.Take(2).Order(StringComparer.Ordinal).Append(world.Executor.Started.Last()));
        Assert.DoesNotContain("a1", world.Executor.Started);
    }

    private sealed class World
    {
        public MemoryJournal Journal { get; } = new();
        public ScriptedExecutor Executor { get; } = new();
        public ScriptedCompensation Compensation { get; } = new();

        public OperationRunner Runner => new(Journal, Executor, Compensation, new InstanceLocks(), new OperationEvents(), TimeProvider.System);

        public Operation NewOperation() => new()
        {
            Id = Guid.NewGuid(),
            Instance = "app",
            OrganizationId = "default",
            Kind = OperationKind.Install,
            Actor = "test",
            CreatedAt = DateTimeOffset.UtcNow,
        };

        public async Task<Operation> RunAsync(params PlanStep[] steps)
        {
            var operation = NewOperation();
            await Journal.CreateAsync(operation, steps, Ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            return await Runner.RunAsync(operation.Id, timeout.Token);
        }
    }

    private sealed class ScriptedExecutor : IStepExecutor
    {
        public ConcurrentQueue<string> Started { get; } = new();
        private readonly Dictionary<string, Barrier> _meetings = new(StringComparer.Ordinal);
        public string? FailOn { get; set; }
        public string? HangOn { get; set; }

        /// <summary>These steps must all be running at the same moment (each waits for the others).</summary>
        public void Meet(params string[] steps)
        {
            var barrier = new Barrier(steps.Length);
            foreach (var step in steps)
            {
                _meetings[step] = barrier;
            }
        }

        public async Task ExecuteAsync(Operation operation, PlanStep step, CancellationToken ct)
        {
            var name = ((StartContainerStep)step).Container;
            Started.Enqueue(name);
            if (_meetings.TryGetValue(name, out var barrier))
            {
                // A runner that ran these one after the other would wait here in vain.
                var met = await Task.Run(() => barrier.SignalAndWait(TimeSpan.FromSeconds(10), ct), ct);
                Assert.True(met, $"{name}: the steps meant to run beside it never started");
            }

            if (name == HangOn)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            }

            if (name == FailOn)
            {
                await Task.Delay(100, ct);
                throw new OperationFailedException($"{name} broke", $"{name} detail");
            }
        }
    }

    private sealed class ScriptedCompensation : ICompensationPlanner
    {
        public IReadOnlyList<PlanStep>? Undo { get; set; }
        public bool CarryForward { get; set; }
        public IReadOnlyList<OperationStep> DoneSeen { get; private set; } = [];

        public Task<IReadOnlyList<PlanStep>?> UndoAsync(Operation operation, IReadOnlyList<OperationStep> done, CancellationToken ct)
        {
            DoneSeen = done;
            return Task.FromResult(CarryForward ? null : Undo);
        }
    }

    private sealed class MemoryJournal : IOperationJournal
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<Guid, Operation> _operations = [];
        private readonly Dictionary<Guid, List<OperationStep>> _steps = [];
        private readonly List<OperationLogLine> _log = [];

        public Task CreateAsync(Operation operation, IReadOnlyList<PlanStep> steps, CancellationToken ct = default)
        {
            lock (_gate)
            {
                _operations.Add(operation.Id, operation);
                _steps.Add(operation.Id, [.. steps.Select((s, i) => new OperationStep(operation.Id, i, false, s, StepState.Pending, null, null, null))]);
            }

            return Task.CompletedTask;
        }

        public Task<Operation?> FindAsync(Guid id, CancellationToken ct = default)
        {
            lock (_gate)
            {
                return Task.FromResult(_operations.GetValueOrDefault(id));
            }
        }

        public Task<IReadOnlyList<Operation>> ListAsync(string? instance = null, string? organizationId = null, int limit = 200, CancellationToken ct = default) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<Operation>> UnfinishedAsync(CancellationToken ct = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<OperationStep>> StepsAsync(Guid id, CancellationToken ct = default)
        {
            lock (_gate)
            {
                return Task.FromResult<IReadOnlyList<OperationStep>>([.. _steps[id]]);
            }
        }

        public Task AppendUndoStepsAsync(Guid id, IReadOnlyList<PlanStep> steps, CancellationToken ct = default)
        {
            lock (_gate)
            {
                var list = _steps[id];
                var next = list.Count;
                list.AddRange(steps.Select((s, i) => new OperationStep(id, next + i, true, s, StepState.Pending, null, null, null)));
            }

            return Task.CompletedTask;
        }

        public Task SetStepStateAsync(Guid id, int index, StepState state, string? error, DateTimeOffset at, CancellationToken ct = default)
        {
            lock (_gate)
            {
                var list = _steps[id];
                list[index] = list[index] with { State = state, Error = error };
            }

            return Task.CompletedTask;
        }

        public Task SetStateAsync(Guid id, OperationState state, string? outcome, string? detail, DateTimeOffset at, CancellationToken ct = default)
        {
            lock (_gate)
            {
                _operations[id] = _operations[id] with { State = state, Outcome = outcome, Detail = detail };
            }

            return Task.CompletedTask;
        }

        public Task AppendLogAsync(Guid id, string level, string text, DateTimeOffset at, CancellationToken ct = default)
        {
            lock (_gate)
            {
                _log.Add(new OperationLogLine(id, at, level, text));
            }

            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<OperationLogLine>> LogAsync(Guid id, CancellationToken ct = default)
        {
            lock (_gate)
            {
                return Task.FromResult<IReadOnlyList<OperationLogLine>>([.. _log.Where(l => l.OperationId == id)]);
            }
        }
    }
}
