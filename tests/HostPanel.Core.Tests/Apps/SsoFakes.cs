using HostPanel.Core.Tests.Accounts;
using System.Runtime.CompilerServices;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Apps.Execution;
using HostPanel.Core.Catalog.Loading;
using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Catalog.Planning;
using HostPanel.Core.Catalog.Secrets;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using HostPanel.Core.Tests.Mail;

namespace HostPanel.Core.Tests.Apps;

/// <summary>The panel's OIDC provider, in memory: one client per instance, its secret kept for its life.</summary>
internal sealed class FakeSsoRegistry(string? issuer = "https://panel.velo-lyon.fr/") : ISsoClientRegistry
{
    private readonly Dictionary<string, (SsoClientRequest Request, string Secret)> _clients = new(StringComparer.Ordinal);
    private int _secrets;

    public string? Issuer { get; set; } = issuer;

    /// <summary>Every request EnsureAsync received, in order.</summary>
    public List<SsoClientRequest> Ensured { get; } = [];

    /// <summary>Every instance RemoveAsync was asked to remove, in order.</summary>
    public List<string> Removed { get; } = [];

    public IReadOnlyDictionary<string, (SsoClientRequest Request, string Secret)> Clients => _clients;

    public Task<SsoSettings> EnsureAsync(SsoClientRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var issuer = Issuer ?? throw new InvalidOperationException("No issuer: single sign-on is off.");
        Ensured.Add(request);
        var secret = _clients.TryGetValue(request.Instance, out var existing) ? existing.Secret : $"secret-{request.Instance}-{++_secrets}";
        _clients[request.Instance] = (request, secret);
        return Task.FromResult(new SsoSettings(issuer, request.Instance, secret));
    }

    public Task RemoveAsync(string instance, CancellationToken ct = default)
    {
        Removed.Add(instance);
        _clients.Remove(instance);
        return Task.CompletedTask;
    }

    public Task<bool> ExistsAsync(string instance, CancellationToken ct = default) => Task.FromResult(_clients.ContainsKey(instance));
}

/// <summary>
/// An engine that remembers what it was asked to create and run: containers are created (never
/// found before), commands exit 0. Anything else is not expected by these tests.
/// </summary>
internal sealed class RecordingEngine : IContainerEngine, IEngineContainers
{
    public List<ContainerSpec> Created { get; } = [];

    public List<(string Container, ExecRequest Request)> Executed { get; } = [];

    /// <summary>What a listing of containers answers.</summary>
    public List<ContainerInfo> Listed { get; } = [];

    /// <summary>When set, listing fails with it (an engine that does not answer).</summary>
    public ContainerEngineException? ListFailure { get; set; }

    public IEngineSystem System => throw new NotSupportedException();

    public IEngineImages Images => throw new NotSupportedException();

    public IEngineContainers Containers => this;

    public IEngineNetworks Networks => throw new NotSupportedException();

    public IEngineVolumes Volumes => throw new NotSupportedException();

    public Task<string> CreateAsync(ContainerSpec spec, CancellationToken ct = default)
    {
        Created.Add(spec);
        return Task.FromResult(spec.Name);
    }

    public Task<ContainerInfo?> InspectAsync(string idOrName, CancellationToken ct = default) => Task.FromResult<ContainerInfo?>(null);

    public Task<ExecResult> ExecAsync(string id, ExecRequest request, CancellationToken ct = default)
    {
        Executed.Add((id, request));
        return Task.FromResult(new ExecResult(0, string.Empty, string.Empty));
    }

    public Task StartAsync(string id, CancellationToken ct = default) => throw new NotSupportedException();

    public Task StopAsync(string id, TimeSpan grace, CancellationToken ct = default) => throw new NotSupportedException();

    public Task RestartAsync(string id, TimeSpan grace, CancellationToken ct = default) => throw new NotSupportedException();

    public Task RenameAsync(string id, string newName, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<ContainerInfo>> ListAsync(LabelFilter filter, CancellationToken ct = default) =>
        ListFailure is not null ? Task.FromException<IReadOnlyList<ContainerInfo>>(ListFailure) : Task.FromResult<IReadOnlyList<ContainerInfo>>([.. Listed]);

    public Task<int> WaitAsync(string id, TimeSpan timeout, CancellationToken ct = default) => throw new NotSupportedException();

    public async IAsyncEnumerable<LogLine> LogsAsync(string id, int tail, bool follow, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await Task.CompletedTask;
        yield break;
    }

    public Task<ExecStreamResult> ExecStreamAsync(string id, ExecRequest request, Stream stdout, CancellationToken ct = default) => throw new NotSupportedException();

    public Task RemoveAsync(string id, bool force, CancellationToken ct = default) => throw new NotSupportedException();
}

internal sealed class MemoryPackages : IPackageArchive
{
    private readonly Dictionary<(string, string), AppPackage> _packages = [];

    public void Save(string instance, string version, AppPackage package) => _packages[(instance, version)] = package;

    public Task SaveAsync(string instance, string version, AppPackage package, CancellationToken ct = default)
    {
        _packages[(instance, version)] = package;
        return Task.CompletedTask;
    }

    public Task<AppPackage?> GetAsync(string instance, string version, CancellationToken ct = default) => Task.FromResult(_packages.GetValueOrDefault((instance, version)));

    public Task DeleteAllAsync(string instance, CancellationToken ct = default)
    {
        foreach (var key in _packages.Keys.Where(k => k.Item1 == instance).ToList())
        {
            _packages.Remove(key);
        }

        return Task.CompletedTask;
    }
}

/// <summary>The journal of one operation at a time, with the step states a test sets.</summary>
internal sealed class MemoryJournal : IOperationJournal
{
    private readonly Dictionary<Guid, Operation> _operations = [];
    private readonly Dictionary<Guid, List<OperationStep>> _steps = [];

    public Task CreateAsync(Operation operation, IReadOnlyList<PlanStep> steps, CancellationToken ct = default)
    {
        _operations[operation.Id] = operation;
        _steps[operation.Id] = [.. steps.Select((s, i) => new OperationStep(operation.Id, i, false, s, StepState.Pending, null, null, null))];
        return Task.CompletedTask;
    }

    public Task<Operation?> FindAsync(Guid id, CancellationToken ct = default) => Task.FromResult(_operations.GetValueOrDefault(id));

    public Task<IReadOnlyList<Operation>> ListAsync(string? instance = null, string? organizationId = null, int limit = 200, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<Operation>> UnfinishedAsync(CancellationToken ct = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<OperationStep>> StepsAsync(Guid id, CancellationToken ct = default) => Task.FromResult<IReadOnlyList<OperationStep>>([.. _steps[id]]);

    public Task AppendUndoStepsAsync(Guid id, IReadOnlyList<PlanStep> steps, CancellationToken ct = default) => throw new NotSupportedException();

    public Task SetStepStateAsync(Guid id, int index, StepState state, string? error, DateTimeOffset at, CancellationToken ct = default)
    {
        _steps[id][index] = _steps[id][index] with { State = state, Error = error };
        return Task.CompletedTask;
    }

    public Task SetStateAsync(Guid id, OperationState state, string? outcome, string? detail, DateTimeOffset at, CancellationToken ct = default) => throw new NotSupportedException();

    public Task AppendLogAsync(Guid id, string level, string text, DateTimeOffset at, CancellationToken ct = default) => Task.CompletedTask;

    public Task<IReadOnlyList<OperationLogLine>> LogAsync(Guid id, CancellationToken ct = default) => throw new NotSupportedException();
}

/// <summary>
/// One installed app from the real catalog (its package archived, its secrets generated, its
/// answers given as an administrator would) and the executor that runs its steps, with or
/// without the panel's single sign-on.
/// </summary>
internal sealed class SsoWorld
{
    public const string AdminPassword = "Velo-Lyon-Atelier-2026!";

    public SsoWorld(string appId, string instance, string domain, FakeSsoRegistry? registry)
    {
        var catalog = new DirectoryAppCatalog(RepositoryPaths.AppCatalog);
        var app = catalog.Load().Apps.Single(a => a.Manifest.Id == appId);
        Manifest = app.Manifest;
        Registry = registry;
        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var question in Manifest.Questions ?? [])
        {
            var answer = question.Default ?? question.Type switch
            {
                QuestionType.Email => "marie@velo-lyon.fr",
                QuestionType.Username => "marie",
                QuestionType.Password => AdminPassword,
                QuestionType.Url => "https://visio.velo-lyon.fr/bigbluebutton/",
                _ => "Atelier vélo",
            };
            if (question.Type == QuestionType.Password)
            {
                stored[$"q.{question.Id}"] = answer;
            }
            else
            {
                answers[question.Id] = answer;
            }
        }

        foreach (var (name, spec) in Manifest.Secrets ?? [])
        {
            var secret = SecretGenerator.Generate(spec);
            if (secret.IsPair)
            {
                stored[$"secrets.{name}.private"] = secret.Private!;
                stored[$"secrets.{name}.public"] = secret.Public!;
            }
            else
            {
                stored[$"secrets.{name}"] = secret.Value!;
            }
        }

        Instance = new AppInstance
        {
            Name = instance,
            OrganizationId = "velo-lyon",
            AppId = appId,
            Version = Manifest.Version,
            Domain = domain,
            State = InstanceState.Installing,
            Answers = answers,
        };
        Instances.Rows[instance] = Instance;
        Secrets.Owners[instance] = stored;
        Packages.Save(instance, Manifest.Version, catalog.Package(app));
        Executor = new StepExecutor(Engine, Instances, Packages, Secrets, new NoSnapshots(), new NoProbe(), new OperationEvents(), TimeProvider.System, registry);
    }

    public AppManifest Manifest { get; }

    public AppInstance Instance { get; }

    public FakeSsoRegistry? Registry { get; }

    public RecordingEngine Engine { get; } = new();

    public MemoryInstances Instances { get; } = new();

    public MemoryPackages Packages { get; } = new();

    public MemorySecrets Secrets { get; } = new();

    public MemoryJournal Journal { get; } = new();

    public StepExecutor Executor { get; }

    public AppCompensation Compensation => new(Instances, Packages, Journal);

    public Operation Operation(OperationKind kind = OperationKind.Install) => new()
    {
        Id = Guid.NewGuid(),
        Instance = Instance.Name,
        OrganizationId = Instance.OrganizationId,
        Kind = kind,
        Actor = "marie",
        FromVersion = kind == OperationKind.Install ? null : Manifest.Version,
        ToVersion = Manifest.Version,
        CreatedAt = DateTimeOffset.UtcNow,
    };

    public async Task RunAsync(params PlanStep[] steps)
    {
        var operation = Operation();
        foreach (var step in steps)
        {
            await Executor.ExecuteAsync(operation, step, TestContext.Current.CancellationToken);
        }
    }

    private sealed class NoSnapshots : IVolumeSnapshots
    {
        public Task SnapshotAsync(AppInstance instance, IReadOnlyList<string> volumes, CancellationToken ct = default) => throw new NotSupportedException();

        public Task RestoreAsync(AppInstance instance, IReadOnlyList<string> volumes, CancellationToken ct = default) => throw new NotSupportedException();

        public Task DropAsync(AppInstance instance, IReadOnlyList<string> volumes, CancellationToken ct = default) => throw new NotSupportedException();
    }

    private sealed class NoProbe : IHttpProbe
    {
        public Task<(int Status, string Body)?> GetAsync(Uri url, TimeSpan timeout, CancellationToken ct = default) => throw new NotSupportedException();
    }
}
