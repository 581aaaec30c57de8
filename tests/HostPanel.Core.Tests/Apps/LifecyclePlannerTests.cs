using HostPanel.Core.Apps;
using HostPanel.Core.Apps.Planning;
using HostPanel.Core.Catalog.Loading;
using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Operations;

namespace HostPanel.Core.Tests.Apps;

public class LifecyclePlannerTests
{
    private static readonly AppInstance Instance = new()
    {
        Name = "notes-asso",
        OrganizationId = "default",
        AppId = "notes",
        Version = "1",
        Domain = "notes.velo-lyon.fr",
    };

    private static AppManifest Notes(int version) =>
        CatalogLoader.LoadDirectory(RepositoryPaths.TestCatalog(version)).Apps.Single(a => a.Manifest.Id == "notes").Manifest;

    private static AppManifest Real(string id) =>
        CatalogLoader.LoadDirectory(RepositoryPaths.AppCatalog).Apps.Single(a => a.Manifest.Id == id).Manifest;

    private static string[] Describe(IEnumerable<PlanStep> steps) => [.. steps.Select(s => s.Describe())];

    [Fact]
    public void InstallBuildsInfrastructureThenEachServiceHealthyInOrderThenHooks()
    {
        var steps = LifecyclePlanner.Install(Notes(1), Instance);

        Assert.Equal(
            [
                "mark the app Installing at version 1",
                "ensure internal network hp-notes-asso-internal",
                "ensure volume hp-notes-asso-pgdata",
                "ensure volume hp-notes-asso-data",
                "pull image 127.0.0.1:5000/hostpanel-test/postgres:15",
                "pull image 127.0.0.1:5000/hostpanel-test/app:1",
                "create container hp-notes-asso-db (db 1)",
                "start container hp-notes-asso-db",
                "wait until hp-notes-asso-db is healthy (at most 247 s)",
                "create container hp-notes-asso-web (web 1)",
                "start container hp-notes-asso-web",
                "wait until hp-notes-asso-web is healthy (at most 154 s)",
                "run install hook 1 of version 1",
                "mark the app Running at version 1",
            ],
            Describe(steps));
    }

    [Fact]
    public void EgressNetworkOnlyWhenTheManifestAsksForIt()
    {
        Assert.DoesNotContain(LifecyclePlanner.Install(Notes(1), Instance), s => s is EnsureNetworkStep { Internal: false });
        Assert.Contains(LifecyclePlanner.Install(Real("mastodon"), Instance), s => s is EnsureNetworkStep { Internal: false, Network: "hp-notes-asso-egress" });
    }

    [Fact]
    public void EachImageIsPulledOnce()
    {
        var pulls = LifecyclePlanner.Install(Real("mastodon"), Instance).OfType<PullImageStep>().Select(p => p.Image).ToList();

        Assert.Equal(pulls.Distinct().Count(), pulls.Count);
        Assert.Equal(4, pulls.Count);
    }

    [Fact]
    public void AReinstallOnKeptDataReusesItsVolumes()
    {
        var steps = LifecyclePlanner.Install(Notes(1), Instance, new HashSet<string> { "hp-notes-asso-pgdata" });

        Assert.Equal([true, false], steps.OfType<EnsureVolumeStep>().Select(v => v.ExistedBefore));
    }

    [Fact]
    public void AFailedInstallKeepsVolumesThatHeldDataBefore()
    {
        var fresh = LifecyclePlanner.UndoInstall(Notes(1), Instance, new HashSet<string>());
        var onKeptData = LifecyclePlanner.UndoInstall(Notes(1), Instance, new HashSet<string> { "hp-notes-asso-pgdata", "hp-notes-asso-data" });

        Assert.Equal(["hp-notes-asso-pgdata", "hp-notes-asso-data"], fresh.OfType<RemoveVolumeStep>().Select(s => s.Volume));
        Assert.Empty(onKeptData.OfType<RemoveVolumeStep>());
        Assert.Equal(["hp-notes-asso-web", "hp-notes-asso-db"], fresh.OfType<RemoveContainerStep>().Select(s => s.Container));
        Assert.Contains(fresh, s => s is RemoveNetworkStep { Network: "hp-notes-asso-internal" });
        Assert.IsType<ForgetInstanceStep>(fresh[^1]);
        Assert.Equal(new SetInstanceStateStep(InstanceState.Removed), onKeptData[^1]);
    }

    [Fact]
    public void RemoveKeepsDataUnlessPurged()
    {
        var keep = LifecyclePlanner.Remove(Notes(1), Instance, purge: false);
        var purge = LifecyclePlanner.Remove(Notes(1), Instance, purge: true);

        Assert.Empty(keep.OfType<RemoveVolumeStep>());
        Assert.Equal(new SetInstanceStateStep(InstanceState.Removed), keep[^1]);
        Assert.Equal(2, purge.OfType<RemoveVolumeStep>().Count());
        Assert.IsType<ForgetInstanceStep>(purge[^1]);
        Assert.Equal(["stop container hp-notes-asso-web", "remove container hp-notes-asso-web", "stop container hp-notes-asso-db"], Describe(keep.Take(3)));
    }

    [Fact]
    public void APurgeAlsoDeletesTheAppsOtherVolumes()
    {
        var steps = LifecyclePlanner.Remove(Notes(1), Instance, purge: true, ["hp-notes-asso-pgdata", "hp-notes-asso-old", "hp-notes-asso-data-snapshot"]);

        Assert.Equal(
            ["hp-notes-asso-pgdata", "hp-notes-asso-data", "hp-notes-asso-data-snapshot", "hp-notes-asso-old"],
            steps.OfType<RemoveVolumeStep>().Select(s => s.Volume));
    }

    [Fact]
    public void ARollbackRemovesTheEgressNetworkOnlyTheFailedVersionAdded()
    {
        var steps = LifecyclePlanner.Rollback(Notes(2), Real("mastodon"), Instance with { Name = "notes-asso" }, new HashSet<string>(), snapshotTaken: false);

        Assert.Contains(steps, s => s is RemoveNetworkStep { Network: "hp-notes-asso-egress" });
        Assert.DoesNotContain(LifecyclePlanner.Rollback(Notes(2), Notes(3), Instance, new HashSet<string>(), false), s => s is RemoveNetworkStep);
    }

    [Fact]
    public void StopGoesInReverseOrderAndStartWaitsForHealth()
    {
        var stop = LifecyclePlanner.Stop(Notes(1), Instance);
        var start = LifecyclePlanner.Start(Notes(1), Instance);

        Assert.Equal(["hp-notes-asso-web", "hp-notes-asso-db"], stop.OfType<StopContainerStep>().Select(s => s.Container));
        Assert.Equal(TimeSpan.FromSeconds(30), stop.OfType<StopContainerStep>().Last().Grace);
        Assert.Equal(
            ["start container hp-notes-asso-db", "wait until hp-notes-asso-db is healthy (at most 247 s)", "start container hp-notes-asso-web"],
            Describe(start.Take(3)));
        Assert.Equal(Describe(stop.Take(2)), Describe(LifecyclePlanner.Restart(Notes(1), Instance).Take(2)));
    }

    [Fact]
    public void UpdatePullsFirstSetsTheOldContainersAsideAndSnapshotsBeforeTheNewStart()
    {
        var steps = LifecyclePlanner.Update(Notes(1), Notes(2), Instance).ToList();

        int At<T>(Func<T, bool>? match = null) where T : PlanStep => steps.FindIndex(s => s is T t && (match?.Invoke(t) ?? true));
        var pull = At<PullImageStep>();
        var stop = At<StopContainerStep>();
        var aside = At<RenameContainerStep>(r => r.To == "hp-notes-asso-db-previous");
        var snapshot = At<SnapshotVolumesStep>();
        var create = At<CreateContainerStep>(c => c.Version == "2");
        var dropOld = At<RemoveContainerStep>(r => r.Container.EndsWith("-previous", StringComparison.Ordinal));

        Assert.True(pull < stop && stop < aside && aside < snapshot && snapshot < create && create < dropOld);
        Assert.Empty(steps.OfType<RemoveVolumeStep>());
        Assert.Equal(new SetInstanceStateStep(InstanceState.Running, "2"), steps[^1]);
        Assert.Equal(["hp-notes-asso-pgdata", "hp-notes-asso-data"], steps.OfType<SnapshotVolumesStep>().Single().Volumes);
    }

    [Fact]
    public void RollbackReplacesOnlyWhatWasSetAsideAndPutsTheDataBack()
    {
        var all = LifecyclePlanner.Rollback(Notes(2), Notes(3), Instance, new HashSet<string> { "db", "web" }, snapshotTaken: true);
        var beforeAnyRename = LifecyclePlanner.Rollback(Notes(2), Notes(3), Instance, new HashSet<string>(), snapshotTaken: false);

        Assert.Equal(["hp-notes-asso-web", "hp-notes-asso-db"], all.OfType<RemoveContainerStep>().Select(s => s.Container));
        Assert.Contains(all, s => s is RestoreVolumeSnapshotStep);
        Assert.True(all.ToList().FindIndex(s => s is RestoreVolumeSnapshotStep) < all.ToList().FindIndex(s => s is StartContainerStep));
        Assert.Equal(new SetInstanceStateStep(InstanceState.Running, "2"), all[^1]);

        // Nothing was set aside: the containers under the usual names are the old ones — never removed.
        Assert.Empty(beforeAnyRename.OfType<RemoveContainerStep>());
        Assert.Empty(beforeAnyRename.OfType<RenameContainerStep>());
        Assert.Equal(["hp-notes-asso-db", "hp-notes-asso-web"], beforeAnyRename.OfType<StartContainerStep>().Select(s => s.Container));
    }

    [Fact]
    public void HealthWaitFollowsTheManifestWithinBounds()
    {
        var service = new ServiceDefinition { Image = "a:1", Health = new HealthCheck { Cmd = ["true"], Interval = new Duration(TimeSpan.FromSeconds(2)), Timeout = new Duration(TimeSpan.FromSeconds(1)), Retries = 4, StartPeriod = new Duration(TimeSpan.FromSeconds(10)) } };
        var slow = new ServiceDefinition { Image = "a:1", Health = new HealthCheck { Cmd = ["true"], StartPeriod = new Duration(TimeSpan.FromHours(5)) } };

        Assert.Equal(TimeSpan.FromSeconds(10 + (3 * 5)), LifecyclePlanner.HealthWait(service));
        Assert.Equal(LifecyclePlanner.MaxHealthWait, LifecyclePlanner.HealthWait(slow));
        Assert.Equal(TimeSpan.Zero, LifecyclePlanner.HealthWait(new ServiceDefinition { Image = "a:1" }));
    }

    [Fact]
    public void EveryPlanSurvivesTheJournal()
    {
        var options = new System.Text.Json.JsonSerializerOptions();
        var steps = LifecyclePlanner.Update(Real("mastodon"), Real("mastodon"), Instance)
            .Concat(LifecyclePlanner.Rollback(Notes(2), Notes(3), Instance, new HashSet<string> { "db" }, true))
            .Concat(LifecyclePlanner.Remove(Notes(1), Instance, purge: true))
            .Concat(LifecyclePlanner.UndoInstall(Notes(1), Instance, new HashSet<string>()))
            .Concat(LifecyclePlanner.Install(Gallery(), Instance));

        foreach (var step in steps)
        {
            var json = System.Text.Json.JsonSerializer.Serialize(step, options);
            var back = System.Text.Json.JsonSerializer.Deserialize<PlanStep>(json, options);
            Assert.Equal(step.Describe(), back!.Describe());
            Assert.Equal(step.GetType(), back.GetType());
            Assert.Equal((step.Stage, step.Lane), (back.Stage, back.Lane));
        }
    }

    private static AppManifest Gallery() =>
        CatalogLoader.LoadDirectory(RepositoryPaths.TestCatalog(1)).Apps.Single(a => a.Manifest.Id == "gallery").Manifest;

    [Fact]
    public void ServicesThatNeedNothingFromEachOtherComeUpSideBySide()
    {
        var steps = LifecyclePlanner.Install(Gallery(), Instance);

        // The database and the media server share stage 0, one lane each; the web app, which
        // needs the database, comes after them on its own.
        var bringUp = steps.Where(s => s is CreateContainerStep or StartContainerStep or WaitHealthyStep)
            .Select(s => $"{s.Stage?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} {s.Lane ?? "-"} {s.Describe()}");
        Assert.Equal(
            [
                "0 db create container hp-notes-asso-db (db 1)",
                "0 db start container hp-notes-asso-db",
                "0 db wait until hp-notes-asso-db is healthy (at most 247 s)",
                "0 media create container hp-notes-asso-media (media 1)",
                "0 media start container hp-notes-asso-media",
                "0 media wait until hp-notes-asso-media is healthy (at most 94 s)",
                "- - create container hp-notes-asso-web (web 1)",
                "- - start container hp-notes-asso-web",
                "- - wait until hp-notes-asso-web is healthy (at most 154 s)",
            ],
            bringUp);
        Assert.All(steps.Except(steps.Where(s => s is CreateContainerStep or StartContainerStep or WaitHealthyStep)), s => Assert.Null(s.Stage));

        var start = LifecyclePlanner.Start(Gallery(), Instance);
        Assert.Equal(["db", "db", "media", "media", null, null, null], start.Select(s => s.Lane));
    }

    [Fact]
    public void WavesFollowTheDependencies()
    {
        var yaml = """
            schema: hostpanel/app@1
            id: waves
            name: Waves
            version: "1"
            revision: 1
            description: { fr: Des vagues, en: Waves }
            categories: [other]
            upstream: { license: MIT, website: https://example.org }
            resources: { ram_min: 16M, disk_min: 10M, cpu_min: 0.1 }
            domain: { required: false, changeable: true }
            services:
              front: { image: "example.org/front:1", depends_on: { api: started, cache: started } }
              api: { image: "example.org/api:1", depends_on: { db: started } }
              db: { image: "example.org/db:1" }
              cache: { image: "example.org/cache:1" }
              worker: { image: "example.org/worker:1", depends_on: { db: started } }
            upgrade: { policy: any }
            backup: {}
            sso: { mode: none }
            """;
        var errors = new List<CatalogError>();
        var manifest = CatalogLoader.Parse(yaml, "waves/manifest.yaml", errors, "waves");
        Assert.Empty(errors);

        Assert.Equal([["db", "cache"], ["api", "worker"], ["front"]], HostPanel.Core.Catalog.Planning.ServiceOrder.StartWaves(manifest!));
    }
}
