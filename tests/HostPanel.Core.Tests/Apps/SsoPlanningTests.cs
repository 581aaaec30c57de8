using System.Globalization;
using HostPanel.Core.Apps;
using HostPanel.Core.Apps.Planning;
using HostPanel.Core.Backups;
using HostPanel.Core.Catalog.Loading;
using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Operations;

namespace HostPanel.Core.Tests.Apps;

/// <summary>Where single sign-on sits in each plan: registered before the services, configured after the install.</summary>
public class SsoPlanningTests
{
    private static readonly Lazy<IReadOnlyList<CatalogApp>> Catalog = new(() => CatalogLoader.LoadDirectory(RepositoryPaths.AppCatalog).Apps);

    private static AppManifest Real(string id) => Catalog.Value.Single(a => a.Manifest.Id == id).Manifest;

    private static AppManifest Notes() =>
        CatalogLoader.LoadDirectory(RepositoryPaths.TestCatalog(1)).Apps.Single(a => a.Manifest.Id == "notes").Manifest;

    private static AppInstance Instance(string app) => new()
    {
        Name = $"{app}-asso",
        OrganizationId = "velo-lyon",
        AppId = app,
        Version = Real(app).Version,
        Domain = "cloud.velo-lyon.fr",
        State = InstanceState.Running,
    };

    private static int At<T>(IReadOnlyList<PlanStep> steps, Func<T, bool>? match = null) where T : PlanStep =>
        steps.ToList().FindIndex(s => s is T t && (match?.Invoke(t) ?? true));

    private static int LastAt<T>(IReadOnlyList<PlanStep> steps, Func<T, bool>? match = null) where T : PlanStep =>
        steps.ToList().FindLastIndex(s => s is T t && (match?.Invoke(t) ?? true));

    private static List<RunHookStep> SsoHooks(IEnumerable<PlanStep> steps) => [.. steps.OfType<RunHookStep>().Where(h => h.Moment == "sso")];

    [Theory]
    [InlineData("mastodon")]
    [InlineData("bigbluebutton")]
    [InlineData("nextcloud")]
    [InlineData("peertube")]
    public void WithSingleSignOnTheClientIsRegisteredBeforeAnyServiceIsCreated(string app)
    {
        var manifest = Real(app);

        var steps = LifecyclePlanner.Install(manifest, Instance(app), sso: SsoAvailability.Available);

        var register = At<EnsureSsoClientStep>(steps);
        Assert.True(register >= 0, "no registration step");
        Assert.Equal(new EnsureSsoClientStep(manifest.Version, ExistedBefore: false), steps[register]);
        Assert.True(register < At<CreateContainerStep>(steps), "the client must exist when the first container is created");
        Assert.Single(steps.OfType<EnsureSsoClientStep>());
        Assert.DoesNotContain(steps, s => s is SsoNotConfiguredStep);
    }

    [Theory]
    [InlineData("nextcloud")]
    [InlineData("peertube")]
    public void AnAppConfiguredByCommandRunsItsSsoStepsAfterItsInstallHooks(string app)
    {
        var manifest = Real(app);

        var steps = LifecyclePlanner.Install(manifest, Instance(app), sso: SsoAvailability.Available);

        var sso = SsoHooks(steps);
        Assert.Equal(manifest.Sso.Steps!.Count, sso.Count);
        Assert.Equal(Enumerable.Range(0, sso.Count), sso.Select(h => h.Index));
        Assert.All(sso, h => Assert.Equal(manifest.Version, h.Version));
        var firstSso = At<RunHookStep>(steps, h => h.Moment == "sso");
        Assert.True(LastAt<RunHookStep>(steps, h => h.Moment == "install") < firstSso, "the sso steps come after the install hooks");
        Assert.True(LastAt<WaitHealthyStep>(steps) < firstSso, "the sso steps need the app up");
        Assert.Equal(new SetInstanceStateStep(InstanceState.Running, manifest.Version), steps[^1]);
    }

    [Theory]
    [InlineData("mastodon")]
    [InlineData("bigbluebutton")]
    public void AnAppConfiguredByEnvironmentHasNoSsoSteps(string app)
    {
        var steps = LifecyclePlanner.Install(Real(app), Instance(app), sso: SsoAvailability.Available);

        Assert.Empty(SsoHooks(steps));
    }

    [Theory]
    [InlineData("nextcloud")]
    [InlineData("mastodon")]
    [InlineData("peertube")]
    [InlineData("bigbluebutton")]
    public void WithoutSingleSignOnNothingIsRegisteredNorRunAndThePlanSaysSo(string app)
    {
        var manifest = Real(app);

        var steps = LifecyclePlanner.Install(manifest, Instance(app));

        Assert.DoesNotContain(steps, s => s is EnsureSsoClientStep or RemoveSsoClientStep);
        Assert.Empty(SsoHooks(steps));
        var note = Assert.Single(steps.OfType<SsoNotConfiguredStep>());
        Assert.True(steps.ToList().IndexOf(note) < At<CreateContainerStep>(steps));

        // The single sign-on steps are all that differs from the plan with single sign-on.
        Assert.Equal(
            LifecyclePlanner.Install(manifest, Instance(app), sso: SsoAvailability.Available).Where(s => s is not (EnsureSsoClientStep or RunHookStep { Moment: "sso" })).Select(s => s.Describe()),
            steps.Where(s => s is not SsoNotConfiguredStep).Select(s => s.Describe()));
    }

    [Fact]
    public void ThePlanSaysInFrenchAndEnglishThatAccountsAreSeparate()
    {
        var saved = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fr-FR");
            var french = new SsoNotConfiguredStep().Describe();
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-GB");
            var english = new SsoNotConfiguredStep().Describe();

            Assert.Contains("authentification unique", french, StringComparison.Ordinal);
            Assert.Contains("séparés", french, StringComparison.Ordinal);
            Assert.StartsWith("Single sign-on is not configured on this panel", english, StringComparison.Ordinal);
            Assert.Contains("separate", english, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentUICulture = saved;
        }
    }

    [Theory]
    [InlineData(SsoAvailability.None)]
    [InlineData(SsoAvailability.Available)]
    public void AppsThatDoNotUseThePanelsProviderPlanNothingAboutIt(SsoAvailability sso)
    {
        var wordpress = Real("wordpress");
        var notes = Notes();
        var notesInstance = new AppInstance { Name = "notes-asso", OrganizationId = "default", AppId = "notes", Version = "1", Domain = "notes.velo-lyon.fr" };

        IEnumerable<PlanStep> steps =
        [
            .. LifecyclePlanner.Install(wordpress, Instance("wordpress"), sso: sso),
            .. LifecyclePlanner.Update(wordpress, wordpress, Instance("wordpress"), sso),
            .. LifecyclePlanner.Remove(wordpress, Instance("wordpress"), purge: true),
            .. LifecyclePlanner.Install(notes, notesInstance, sso: sso),
            .. LifecyclePlanner.ChangeDomain(notes, notesInstance, "notes2.velo-lyon.fr", sso),
            .. LifecyclePlanner.Remove(notes, notesInstance, purge: false),
        ];

        Assert.DoesNotContain(steps, s => s is EnsureSsoClientStep or RemoveSsoClientStep or SsoNotConfiguredStep || s is RunHookStep { Moment: "sso" });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RemovalRemovesTheClientOnceTheContainersAreGoneWhetherTheDataIsKeptOrNot(bool purge)
    {
        var steps = LifecyclePlanner.Remove(Real("nextcloud"), Instance("nextcloud"), purge);

        var remove = At<RemoveSsoClientStep>(steps);
        Assert.True(remove > LastAt<RemoveContainerStep>(steps), "the app stops using its client before it goes");
        Assert.Single(steps.OfType<RemoveSsoClientStep>());
        Assert.True(remove < (purge ? At<RemoveVolumeStep>(steps) : steps.Count - 1));
        Assert.IsType(purge ? typeof(ForgetInstanceStep) : typeof(SetInstanceStateStep), steps[^1]);
    }

    [Fact]
    public void AChangeOfDomainRegistersTheNewAddressesAndRunsTheSsoStepsAgain()
    {
        var manifest = Real("nextcloud");
        var instance = Instance("nextcloud");

        var steps = LifecyclePlanner.ChangeDomain(manifest, instance, "nuage.velo-lyon.fr", SsoAvailability.Registered);

        Assert.Equal(new SetDomainStep("nuage.velo-lyon.fr", "cloud.velo-lyon.fr"), steps[0]);
        var register = At<EnsureSsoClientStep>(steps);
        Assert.Equal(new EnsureSsoClientStep(manifest.Version, ExistedBefore: true), steps[register]);
        Assert.True(register < At<CreateContainerStep>(steps));
        var sso = SsoHooks(steps);
        Assert.Equal(manifest.Sso.Steps!.Count, sso.Count);
        Assert.True(LastAt<RunHookStep>(steps, h => h.Moment == "post_upgrade") < At<RunHookStep>(steps, h => h.Moment == "sso"));
        Assert.True(LastAt<RunHookStep>(steps, h => h.Moment == "sso") < At<RemoveContainerStep>(steps, r => r.Container.EndsWith("-previous", StringComparison.Ordinal)), "configured before the point of no return");

        // Everything else is the update to the same version the move always was.
        Assert.Equal(
            LifecyclePlanner.Update(manifest, manifest, instance).Where(s => s is not SsoNotConfiguredStep).Select(s => s.Describe()),
            steps.Skip(1).Where(s => s is not (EnsureSsoClientStep or RunHookStep { Moment: "sso" })).Select(s => s.Describe()));
    }

    [Fact]
    public void AChangeOfDomainWithoutSingleSignOnOnlySaysSo()
    {
        var steps = LifecyclePlanner.ChangeDomain(Real("nextcloud"), Instance("nextcloud"), "nuage.velo-lyon.fr");

        Assert.DoesNotContain(steps, s => s is EnsureSsoClientStep);
        Assert.Empty(SsoHooks(steps));
        Assert.Single(steps.OfType<SsoNotConfiguredStep>());
    }

    [Fact]
    public void AnUpdateBringsTheClientUpToDateBeforeTheNewContainersButDoesNotConfigureTheAppAgain()
    {
        var manifest = Real("nextcloud");

        var steps = LifecyclePlanner.Update(manifest, manifest, Instance("nextcloud"), SsoAvailability.Registered);

        var register = At<EnsureSsoClientStep>(steps);
        Assert.Equal(new EnsureSsoClientStep(manifest.Version, ExistedBefore: true), steps[register]);
        Assert.True(At<SnapshotVolumesStep>(steps) < register && register < At<CreateContainerStep>(steps));
        Assert.Empty(SsoHooks(steps));
    }

    [Fact]
    public void AnUpdateConfiguresAnAppThatHadNoClientYet()
    {
        var manifest = Real("peertube");

        var steps = LifecyclePlanner.Update(manifest, manifest, Instance("peertube"), SsoAvailability.Available);

        Assert.Equal(new EnsureSsoClientStep(manifest.Version, ExistedBefore: false), steps[At<EnsureSsoClientStep>(steps)]);
        Assert.Equal(manifest.Sso.Steps!.Count, SsoHooks(steps).Count);
        Assert.True(At<RunHookStep>(steps, h => h.Moment == "sso") > LastAt<WaitHealthyStep>(steps));
    }

    [Fact]
    public void AnUpdateConfiguresAnAppWhoseVersionBeforeDidNotConfigureItselfByCommand()
    {
        // The same app, whose previous version left single sign-on to the administrator.
        var after = Real("nextcloud");
        var manual = CatalogLoader.LoadDirectory(RepositoryPaths.AppCatalog).Apps.Single(a => a.Manifest.Id == "nextcloud").Manifest;
        manual.Sso = new SsoRules { Mode = SsoMode.Manual, Instructions = new Translated { ["fr"] = "À la main", ["en"] = "By hand" } };

        var steps = LifecyclePlanner.Update(manual, after, Instance("nextcloud"), SsoAvailability.Registered);

        Assert.Equal(after.Sso.Steps!.Count, SsoHooks(steps).Count);
        Assert.Empty(SsoHooks(LifecyclePlanner.Update(after, after, Instance("nextcloud"), SsoAvailability.Registered)));
    }

    [Fact]
    public void AnUpdateWithoutSingleSignOnOnlySaysSo()
    {
        var manifest = Real("mastodon");

        var steps = LifecyclePlanner.Update(manifest, manifest, Instance("mastodon"));

        Assert.DoesNotContain(steps, s => s is EnsureSsoClientStep);
        Assert.Single(steps.OfType<SsoNotConfiguredStep>());
    }

    [Fact]
    public void AFailedInstallRemovesTheClientOnlyWhenItRegisteredOne()
    {
        var manifest = Real("mastodon");

        var registered = LifecyclePlanner.UndoInstall(manifest, Instance("mastodon"), new HashSet<string>(), removeSsoClient: true);
        var not = LifecyclePlanner.UndoInstall(manifest, Instance("mastodon"), new HashSet<string>());

        Assert.True(At<RemoveSsoClientStep>(registered) > LastAt<RemoveContainerStep>(registered));
        Assert.IsType<ForgetInstanceStep>(registered[^1]);
        Assert.DoesNotContain(not, s => s is RemoveSsoClientStep);
    }

    [Fact]
    public void ARollbackGivesAClientItsPreviousAddressesOrRemovesTheOneTheUpdateCreated()
    {
        var manifest = Real("mastodon");
        var instance = Instance("mastodon");

        var kept = LifecyclePlanner.Rollback(manifest, manifest, instance, new HashSet<string>(), false, false, new EnsureSsoClientStep(manifest.Version, ExistedBefore: true));
        var created = LifecyclePlanner.Rollback(manifest, manifest, instance, new HashSet<string>(), false, false, new EnsureSsoClientStep(manifest.Version, ExistedBefore: false));
        var none = LifecyclePlanner.Rollback(manifest, manifest, instance, new HashSet<string>(), false);

        Assert.Equal(new EnsureSsoClientStep(manifest.Version, ExistedBefore: true), kept[^2]);
        Assert.Equal(new RemoveSsoClientStep(), created[^2]);
        Assert.DoesNotContain(none, s => s is EnsureSsoClientStep or RemoveSsoClientStep);
    }

    [Fact]
    public void ARestoreIntoANewAppRegistersItsOwnClientAndConfiguresItAfterThePostRestoreHooks()
    {
        var manifest = Real("nextcloud");
        var instance = Instance("nextcloud") with { Name = "nextcloud-copie", State = InstanceState.Restoring };
        var record = new BackupRecord
        {
            CreatedAt = DateTimeOffset.UnixEpoch,
            Organization = "velo-lyon",
            Instance = "nextcloud-asso",
            App = "nextcloud",
            Version = manifest.Version,
            ManifestYaml = "",
            Volumes = [],
            Databases = [new BackedUpDatabase("main", "db", "abcdef0123456789", "/nextcloud-asso-main.dump")],
        };

        var fresh = BackupPlanner.Restore(manifest, instance, record, "abcdef", "/records/hostpanel-backup.json", null, null, SsoAvailability.Available);
        var inPlace = BackupPlanner.Restore(manifest, instance, record, "abcdef", "/records/hostpanel-backup.json", InstanceState.Running, null, SsoAvailability.Registered);
        var withoutSso = BackupPlanner.Restore(manifest, instance, record, "abcdef", "/records/hostpanel-backup.json", null);

        var register = At<EnsureSsoClientStep>(fresh);
        Assert.Equal(new EnsureSsoClientStep(manifest.Version, ExistedBefore: false), fresh[register]);
        Assert.True(register < At<CreateContainerStep>(fresh));
        Assert.Equal(manifest.Sso.Steps!.Count, SsoHooks(fresh).Count);
        Assert.True(LastAt<RunHookStep>(fresh, h => h.Moment == "post_restore") < At<RunHookStep>(fresh, h => h.Moment == "sso"));
        Assert.True(LastAt<RunHookStep>(fresh, h => h.Moment == "sso") < At<DropSetAsideDataStep>(fresh));

        Assert.DoesNotContain(inPlace, s => s is EnsureSsoClientStep or SsoNotConfiguredStep || s is RunHookStep { Moment: "sso" });
        Assert.DoesNotContain(withoutSso, s => s is EnsureSsoClientStep || s is RunHookStep { Moment: "sso" });
        Assert.Single(withoutSso.OfType<SsoNotConfiguredStep>());

        var undo = BackupPlanner.UndoRestore(manifest, instance, null, new HashSet<string>(), removeSsoClient: true);
        Assert.True(At<RemoveSsoClientStep>(undo) >= 0);
    }

    [Fact]
    public void TheSingleSignOnStepsSurviveTheJournal()
    {
        var options = new System.Text.Json.JsonSerializerOptions();
        PlanStep[] steps = [new EnsureSsoClientStep("34.0.2", ExistedBefore: true), new RemoveSsoClientStep(), new SsoNotConfiguredStep(), new RunHookStep("sso", 2, "34.0.2")];

        foreach (var step in steps)
        {
            var json = System.Text.Json.JsonSerializer.Serialize<PlanStep>(step, options);
            var back = System.Text.Json.JsonSerializer.Deserialize<PlanStep>(json, options);
            Assert.Equal(step, back);
        }

        Assert.Contains("\"kind\":\"ensure-sso-client\"", System.Text.Json.JsonSerializer.Serialize<PlanStep>(steps[0], options), StringComparison.Ordinal);
    }
}
