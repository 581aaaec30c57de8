using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Catalog.Loading;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using HostPanel.Core.Tests.Accounts;
using HostPanel.Core.Tests.Mail;
using HostPanel.Core.Tests.Operations;

namespace HostPanel.Core.Tests.Apps;

public sealed class AppOverviewTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    private readonly MemoryInstances _instances = new();
    private readonly RecordingEngine _engine = new();
    private readonly ListingJournal _journal = new();
    private readonly AppOverview _overview;

    public AppOverviewTests()
    {
        var access = new AccessControl(new MemoryOrganizations("default", "velo", "edition"), _instances, new MemoryGroups());
        _overview = new AppOverview(access, new DirectoryAppCatalog(RepositoryPaths.TestCatalog(2)), _engine, _journal);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Caller Administrator(string organization) => new()
    {
        Id = "alice",
        Name = "alice@example.org",
        Roles = new Dictionary<string, OrganizationRole> { [organization] = OrganizationRole.Administrator },
    };

    private void Install(string name, string organization, string appId = "notes", string version = "1")
    {
        _instances.With(name, organization);
        _instances.Rows[name] = _instances.Rows[name] with { AppId = appId, Version = version, Domain = name + ".example.org" };
    }

    private static ContainerInfo Container(string instance, string service, ContainerState state, ContainerHealth health = ContainerHealth.None, bool job = false) =>
        new($"{instance}-{service}", $"{instance}-{service}", "img", state, new Dictionary<string, string>
        {
            [HostPanelLabels.Managed] = "true",
            [HostPanelLabels.Instance] = instance,
            [HostPanelLabels.Service] = service,
        }.Concat(job ? [new KeyValuePair<string, string>("hostpanel.job", "backup")] : []).ToDictionary(), null)
        { Health = health };

    private Operation Record(string instance, string organization, OperationKind kind, OperationState state, TimeSpan ago)
    {
        var operation = new Operation
        {
            Id = Guid.NewGuid(),
            Instance = instance,
            OrganizationId = organization,
            Kind = kind,
            State = state,
            Actor = "schedule",
            CreatedAt = Now - ago,
            FinishedAt = state is OperationState.Running or OperationState.Pending ? null : Now - ago + TimeSpan.FromMinutes(1),
            Outcome = state == OperationState.RolledBack ? "rolled back: the new version never became healthy" : null,
        };
        _journal.Operations.Add(operation);
        return operation;
    }

    [Fact]
    public async Task Shows_only_the_apps_of_the_organizations_the_caller_may_see()
    {
        Install("notes-velo", "velo");
        Install("notes-edition", "edition");

        var tiles = await _overview.ListAsync(Administrator("velo"), null, Ct);

        Assert.Equal(["notes-velo"], tiles.Select(t => t.Instance));
        await Assert.ThrowsAsync<AppRequestException>(() => _overview.ListAsync(Administrator("velo"), "edition", Ct));
    }

    [Fact]
    public async Task Reads_health_from_the_containers_leaving_out_jobs_and_kept_previous_versions()
    {
        Install("a", "velo");
        Install("b", "velo");
        Install("c", "velo");
        Install("d", "velo");
        _engine.Listed.AddRange(
        [
            Container("a", "web", ContainerState.Running, ContainerHealth.Healthy),
            Container("a", "backup", ContainerState.Exited, job: true),
            Container("a", "web-previous", ContainerState.Exited),
            Container("b", "web", ContainerState.Running, ContainerHealth.Unhealthy),
            Container("b", "db", ContainerState.Running),
            Container("c", "web", ContainerState.Exited),
        ]);

        var tiles = (await _overview.ListAsync(Administrator("velo"), "velo", Ct)).ToDictionary(t => t.Instance);

        Assert.Equal(AppHealth.Healthy, tiles["a"].Health);
        Assert.Equal(AppHealth.Degraded, tiles["b"].Health);
        Assert.Equal(AppHealth.Stopped, tiles["c"].Health);
        Assert.Equal(AppHealth.None, tiles["d"].Health);
    }

    [Fact]
    public async Task An_engine_that_does_not_answer_gives_unknown_health_not_an_error()
    {
        Install("a", "velo");
        _engine.ListFailure = new ContainerEngineException("no engine socket");

        var tile = Assert.Single(await _overview.ListAsync(Administrator("velo"), "velo", Ct));

        Assert.Equal(AppHealth.Unknown, tile.Health);
    }

    [Fact]
    public async Task Offers_a_newer_catalog_version_and_names_the_app()
    {
        Install("old", "velo", version: "1");
        Install("current", "velo", version: "2");
        Install("gone", "velo", appId: "not-in-catalog");

        var tiles = (await _overview.ListAsync(Administrator("velo"), "velo", Ct)).ToDictionary(t => t.Instance);

        Assert.Equal("2", tiles["old"].AvailableVersion);
        Assert.Null(tiles["current"].AvailableVersion);
        Assert.Equal("Notes", tiles["old"].AppName);
        Assert.Equal("not-in-catalog", tiles["gone"].AppName);
        Assert.Null(tiles["gone"].AvailableVersion);
    }

    [Fact]
    public async Task Last_backup_and_last_proven_restore_come_from_succeeded_operations_only()
    {
        Install("a", "velo");
        var backup = Record("a", "velo", OperationKind.Backup, OperationState.Succeeded, TimeSpan.FromDays(2));
        Record("a", "velo", OperationKind.Backup, OperationState.Failed, TimeSpan.FromHours(1));
        var drill = Record("a", "velo", OperationKind.Drill, OperationState.Succeeded, TimeSpan.FromDays(9));
        Record("a", "velo", OperationKind.Drill, OperationState.Failed, TimeSpan.FromDays(1));

        var tile = Assert.Single(await _overview.ListAsync(Administrator("velo"), "velo", Ct));

        Assert.Equal(backup.FinishedAt, tile.LastBackup);
        Assert.Equal(drill.FinishedAt, tile.LastProvenRestore);
    }

    [Fact]
    public async Task Points_at_the_running_operation_and_at_a_last_failure()
    {
        Install("a", "velo");
        Install("b", "velo");
        var rolledBack = Record("a", "velo", OperationKind.Update, OperationState.RolledBack, TimeSpan.FromHours(3));
        Record("b", "velo", OperationKind.Update, OperationState.RolledBack, TimeSpan.FromHours(3));
        Record("b", "velo", OperationKind.Backup, OperationState.Succeeded, TimeSpan.FromHours(2));
        var running = Record("b", "velo", OperationKind.Backup, OperationState.Running, TimeSpan.FromMinutes(1));

        var tiles = (await _overview.ListAsync(Administrator("velo"), "velo", Ct)).ToDictionary(t => t.Instance);

        Assert.Equal(rolledBack.Id, tiles["a"].LastFailure?.Id);
        Assert.Null(tiles["a"].RunningOperation);
        Assert.Null(tiles["b"].LastFailure);
        Assert.Equal(running.Id, tiles["b"].RunningOperation);
    }
}
