using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Catalog.Planning;
using HostPanel.Core.Operations;

namespace HostPanel.Core.Apps.Planning;

/// <summary>
/// Turns (manifest, installed app, what already exists) into plans of idempotent steps. Pure:
/// no I/O, so every plan is unit-tested.
/// </summary>
public static class LifecyclePlanner
{
    public static readonly TimeSpan DefaultStopGrace = TimeSpan.FromSeconds(30);

    /// <summary>Health waits never exceed this, whatever a manifest asks.</summary>
    public static readonly TimeSpan MaxHealthWait = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Networks, volumes, images, then the services created, started and healthy in dependency
    /// waves, then the install hooks. An app that uses the panel's single sign-on gets its client
    /// registered just before its services are created (an oidc-env app finds the values in its
    /// environment from its first start), and its <c>sso</c> steps run after the install hooks
    /// (an oidc-command app is configured once it is fully installed).
    /// </summary>
    /// <param name="manifest">The app's manifest.</param>
    /// <param name="instance">The app being installed.</param>
    /// <param name="existingVolumes">Volumes that already exist (data kept from a removed install); they are reused, never removed by an undo.</param>
    /// <param name="sso">Whether the panel offers single sign-on (and whether the app already has its client).</param>
    public static IReadOnlyList<PlanStep> Install(AppManifest manifest, AppInstance instance, IReadOnlySet<string>? existingVolumes = null, SsoAvailability sso = SsoAvailability.None)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(instance);
        var steps = new List<PlanStep> { new SetInstanceStateStep(InstanceState.Installing, manifest.Version) };
        steps.AddRange(Infrastructure(manifest, instance.Name, existingVolumes));
        steps.AddRange(Pulls(manifest));
        steps.AddRange(RegisterSso(manifest, sso));
        steps.AddRange(BringUpAll(manifest, instance.Name));
        steps.AddRange(Hooks(manifest, "install", manifest.Hooks?.Install));
        steps.AddRange(SsoHooks(manifest, sso));
        steps.Add(new SetInstanceStateStep(InstanceState.Running, manifest.Version));
        return steps;
    }

    /// <summary>
    /// Undoes a failed install: containers and networks go; only the volumes this install created
    /// go with them — volumes that held data before (a reinstall on kept data) stay. A single
    /// sign-on client the install registered goes too.
    /// </summary>
    /// <param name="manifest">The manifest of the version that was being installed.</param>
    /// <param name="instance">The app.</param>
    /// <param name="volumesThatExistedBefore">Volumes that held data before the install.</param>
    /// <param name="removeSsoClient">The install registered the app's client at the panel's single sign-on.</param>
    public static IReadOnlyList<PlanStep> UndoInstall(AppManifest manifest, AppInstance instance, IReadOnlySet<string> volumesThatExistedBefore, bool removeSsoClient = false)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(volumesThatExistedBefore);
        var steps = new List<PlanStep>();
        steps.AddRange(TearDown(manifest, instance.Name));
        if (removeSsoClient)
        {
            steps.Add(new RemoveSsoClientStep());
        }

        foreach (var volume in (manifest.Volumes?.Keys ?? Enumerable.Empty<string>()).Select(v => ResourceNames.Volume(instance.Name, v)))
        {
            if (!volumesThatExistedBefore.Contains(volume))
            {
                steps.Add(new RemoveVolumeStep(volume));
            }
        }

        // On kept data the app goes back to "removed" (reinstallable); a fresh one leaves no trace
        // but its operation in the journal, and its name is free again.
        steps.Add(volumesThatExistedBefore.Count > 0 ? new SetInstanceStateStep(InstanceState.Removed) : new ForgetInstanceStep());
        return steps;
    }

    public static IReadOnlyList<PlanStep> Start(AppManifest manifest, AppInstance instance)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var steps = new List<PlanStep>(InWaves(manifest, service => StartAgain(manifest, instance.Name, service)))
        {
            new SetInstanceStateStep(InstanceState.Running),
        };
        return steps;
    }

    public static IReadOnlyList<PlanStep> Stop(AppManifest manifest, AppInstance instance)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var steps = new List<PlanStep>(StopAll(manifest, instance.Name)) { new SetInstanceStateStep(InstanceState.Stopped) };
        return steps;
    }

    public static IReadOnlyList<PlanStep> Restart(AppManifest manifest, AppInstance instance) =>
        [.. StopAll(manifest, instance.Name), .. Start(manifest, instance)];

    /// <summary>
    /// Removes the app. Without purge its volumes and secrets stay and it can be reinstalled on
    /// them; with purge they are deleted and the app forgotten. Either way an app that uses the
    /// panel's single sign-on loses its client there once its containers are gone (a reinstall
    /// registers a new one): the step is planned whatever the panel offers today, since the
    /// client may date from when it offered single sign-on, and removing a missing one does nothing.
    /// </summary>
    /// <param name="manifest">The manifest of the installed version.</param>
    /// <param name="instance">The installed app.</param>
    /// <param name="purge">Delete the data too.</param>
    /// <param name="otherVolumes">The app's volumes the manifest does not name (left by an older version or a snapshot); a purge deletes them too.</param>
    public static IReadOnlyList<PlanStep> Remove(AppManifest manifest, AppInstance instance, bool purge, IReadOnlyCollection<string>? otherVolumes = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(instance);
        var steps = new List<PlanStep>(TearDown(manifest, instance.Name));
        if (SsoPlanning.UsesPanelProvider(manifest))
        {
            steps.Add(new RemoveSsoClientStep());
        }

        if (!purge)
        {
            steps.Add(new SetInstanceStateStep(InstanceState.Removed));
            return steps;
        }

        var named = (manifest.Volumes?.Keys ?? Enumerable.Empty<string>()).Select(v => ResourceNames.Volume(instance.Name, v)).ToList();
        steps.AddRange(named.Concat((otherVolumes ?? []).Except(named, StringComparer.Ordinal).Order(StringComparer.Ordinal)).Select(v => new RemoveVolumeStep(v)));
        steps.Add(new ForgetInstanceStep());
        return steps;
    }

    /// <summary>
    /// Update from <paramref name="current"/> to <paramref name="target"/>: the new images are
    /// pulled while the app still runs; pre-upgrade hooks; the old containers are stopped and
    /// kept aside (renamed); the volumes are snapshotted while nothing writes to them; the new
    /// containers start, each after what it depends on is healthy; post-upgrade hooks; only then are the old
    /// containers and the snapshot removed.
    /// </summary>
    /// <remarks>
    /// Single sign-on: the new containers get an environment computed again, so the app's client
    /// is registered (or brought up to date: its redirect addresses follow the new version's
    /// manifest) before they are created. The <c>sso</c> steps are treated like the install hooks,
    /// which an update does not run again: the client id and secret do not change with an update
    /// (the registry returns the same secret), so what the steps wrote in the app's data at
    /// install still holds, and what a new version needs after its upgrade belongs in its
    /// <c>post_upgrade</c> hooks. They run (after <c>post_upgrade</c>) only when the app has never
    /// been configured by them: it had no client yet (single sign-on came to the panel after the
    /// app), or the version it leaves did not configure itself by command.
    /// </remarks>
    /// <param name="current">The manifest of the installed version.</param>
    /// <param name="target">The manifest of the version to update to.</param>
    /// <param name="instance">The installed app.</param>
    /// <param name="sso">Whether the panel offers single sign-on and whether the app already has its client.</param>
    public static IReadOnlyList<PlanStep> Update(AppManifest current, AppManifest target, AppInstance instance, SsoAvailability sso = SsoAvailability.None)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(instance);
        var configured = sso == SsoAvailability.Registered && current.Sso.Mode == SsoMode.OidcCommand;
        return UpdateCore(current, target, instance, sso, runSsoSteps: !configured);
    }

    /// <summary>
    /// Moves the app to <paramref name="domain"/>: its new address is recorded, then its containers
    /// are made again as in an update to the same version (<see cref="Update"/>). Its single
    /// sign-on client is registered again with redirect addresses at the new address, and the
    /// <c>sso</c> steps run again so that the app points to the right place.
    /// </summary>
    /// <param name="manifest">The manifest of the installed version.</param>
    /// <param name="instance">The installed app, at its current address.</param>
    /// <param name="domain">The new address (null: none).</param>
    /// <param name="sso">Whether the panel offers single sign-on and whether the app already has its client.</param>
    public static IReadOnlyList<PlanStep> ChangeDomain(AppManifest manifest, AppInstance instance, string? domain, SsoAvailability sso = SsoAvailability.None)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(instance);
        return [new SetDomainStep(domain, instance.Domain), .. UpdateCore(manifest, manifest, instance, sso, runSsoSteps: true)];
    }

    private static List<PlanStep> UpdateCore(AppManifest current, AppManifest target, AppInstance instance, SsoAvailability sso, bool runSsoSteps)
    {
        var name = instance.Name;
        var steps = new List<PlanStep> { new SetInstanceStateStep(InstanceState.Updating) };
        steps.AddRange(Pulls(target));
        steps.AddRange(Hooks(target, "pre_upgrade", target.Hooks?.PreUpgrade));
        steps.AddRange(StopAll(current, name));
        foreach (var service in ServiceOrder.StopOrder(current))
        {
            steps.Add(new RenameContainerStep(ResourceNames.Container(name, service), ResourceNames.PreviousContainer(name, service)));
        }

        var volumes = VolumeNames(current, name);
        if (volumes.Count > 0)
        {
            steps.Add(new SnapshotVolumesStep(volumes));
        }

        steps.AddRange(Infrastructure(target, name));
        steps.AddRange(RegisterSso(target, sso));
        steps.AddRange(BringUpAll(target, name));

        steps.AddRange(Hooks(target, "post_upgrade", target.Hooks?.PostUpgrade));
        if (runSsoSteps)
        {
            steps.AddRange(SsoHooks(target, sso));
        }

        steps.AddRange(ServiceOrder.StopOrder(current).Select(s => new RemoveContainerStep(ResourceNames.PreviousContainer(name, s))));
        foreach (var network in NetworksNoLongerUsed(current, target, name))
        {
            steps.Add(new RemoveNetworkStep(network));
        }

        if (volumes.Count > 0)
        {
            steps.Add(new DropVolumeSnapshotStep(volumes));
        }

        steps.Add(new SetInstanceStateStep(InstanceState.Running, target.Version));
        return steps;
    }

    /// <summary>
    /// Puts the previous version back after a failed update. <paramref name="setAside"/> lists the
    /// services whose old container was renamed aside before the failure: only for those can a
    /// container under the usual name be a new one, so only those are replaced; the others are
    /// the old containers and are simply started again. When the volumes were snapshotted, they
    /// are put back exactly as they were before the new version touched them.
    /// </summary>
    /// <param name="current">The manifest of the version to go back to.</param>
    /// <param name="target">The manifest of the version that failed.</param>
    /// <param name="instance">The installed app.</param>
    /// <param name="setAside">Services whose old container was renamed aside.</param>
    /// <param name="snapshotTaken">The snapshot is complete: the volumes are put back from it.</param>
    /// <param name="snapshotStarted">A snapshot was begun (complete or not): its copies are dropped at the end.</param>
    /// <param name="ssoClient">
    /// The update's own single sign-on registration, when it planned one (it may have run): a
    /// client the app had before gets its redirect addresses of <paramref name="current"/> back; one
    /// the update created is removed (the previous containers never used it).
    /// </param>
    public static IReadOnlyList<PlanStep> Rollback(AppManifest current, AppManifest target, AppInstance instance, IReadOnlySet<string> setAside, bool snapshotTaken, bool snapshotStarted = false, EnsureSsoClientStep? ssoClient = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(setAside);
        var name = instance.Name;
        var steps = new List<PlanStep>();
        foreach (var service in ServiceOrder.StopOrder(target))
        {
            // A service the target adds, or one whose old container is safely aside.
            if (setAside.Contains(service) || !current.Services.ContainsKey(service))
            {
                steps.Add(new StopContainerStep(ResourceNames.Container(name, service), StopGrace(target.Services[service])));
                steps.Add(new RemoveContainerStep(ResourceNames.Container(name, service), OnlyIfVersion: target.Version));
            }
        }

        foreach (var network in NetworksNoLongerUsed(target, current, name))
        {
            steps.Add(new RemoveNetworkStep(network));
        }

        var volumes = VolumeNames(current, name);
        if (snapshotTaken && volumes.Count > 0)
        {
            steps.Add(new RestoreVolumeSnapshotStep(volumes));
        }

        steps.AddRange(Infrastructure(current, name));
        foreach (var service in ServiceOrder.StartOrder(current))
        {
            var container = ResourceNames.Container(name, service);
            if (setAside.Contains(service))
            {
                steps.Add(new RenameContainerStep(ResourceNames.PreviousContainer(name, service), container));
            }

            steps.Add(new StartContainerStep(container));
            if (current.Services[service].Health is not null)
            {
                steps.Add(new WaitHealthyStep(service, container, current.Version, HealthWait(current.Services[service])));
            }
        }

        if ((snapshotTaken || snapshotStarted) && volumes.Count > 0)
        {
            steps.Add(new DropVolumeSnapshotStep(volumes));
        }

        if (ssoClient is not null)
        {
            steps.Add(ssoClient.ExistedBefore && SsoPlanning.UsesPanelProvider(current)
                ? new EnsureSsoClientStep(current.Version, ExistedBefore: true)
                : new RemoveSsoClientStep());
        }

        steps.Add(new SetInstanceStateStep(InstanceState.Running, current.Version));
        return steps;
    }

    private static List<string> VolumeNames(AppManifest manifest, string instance) =>
        [.. (manifest.Volumes ?? []).Where(v => v.Value.Backup != BackupClass.Cache).Select(v => ResourceNames.Volume(instance, v.Key))];

    /// <summary>The longest a service may take to become healthy, from its manifest, within bounds.</summary>
    public static TimeSpan HealthWait(ServiceDefinition service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var health = service.Health;
        if (health is null)
        {
            return TimeSpan.Zero;
        }

        var interval = health.Interval?.Value ?? TimeSpan.FromSeconds(10);
        var timeout = health.Timeout?.Value ?? TimeSpan.FromSeconds(5);
        var retries = health.Retries ?? 6;
        var start = health.StartPeriod?.Value ?? TimeSpan.FromSeconds(30);
        var wait = start + ((interval + timeout) * (retries + 1));
        return wait < MaxHealthWait ? wait : MaxHealthWait;
    }

    public static TimeSpan StopGrace(ServiceDefinition service) => service?.StopGrace?.Value ?? DefaultStopGrace;

    internal static IEnumerable<PlanStep> Infrastructure(AppManifest manifest, string instance, IReadOnlySet<string>? existingVolumes = null)
    {
        yield return new EnsureNetworkStep(ResourceNames.InternalNetwork(instance), Internal: true);
        if (manifest.Networks?.Egress is { Count: > 0 })
        {
            yield return new EnsureNetworkStep(ResourceNames.EgressNetwork(instance), Internal: false);
        }

        foreach (var volume in manifest.Volumes?.Keys ?? Enumerable.Empty<string>())
        {
            var name = ResourceNames.Volume(instance, volume);
            yield return new EnsureVolumeStep(name, volume, existingVolumes?.Contains(name) == true);
        }
    }

    internal static IEnumerable<PlanStep> Pulls(AppManifest manifest) =>
        manifest.Services.Values.Select(Execution.ContainerSpecBuilder.Image).Distinct(StringComparer.Ordinal).Select(image => new PullImageStep(image));

    /// <summary>Every service created, started and healthy, wave after wave (<see cref="InWaves"/>).</summary>
    private static IEnumerable<PlanStep> BringUpAll(AppManifest manifest, string instance) =>
        InWaves(manifest, service => [new CreateContainerStep(service, ResourceNames.Container(instance, service), manifest.Version), .. StartAgain(manifest, instance, service)]);

    internal static IEnumerable<PlanStep> StartAgain(AppManifest manifest, string instance, string service)
    {
        var container = ResourceNames.Container(instance, service);
        yield return new StartContainerStep(container);
        if (manifest.Services[service].Health is not null)
        {
            yield return new WaitHealthyStep(service, container, manifest.Version, HealthWait(manifest.Services[service]));
        }
    }

    /// <summary>
    /// The steps of each service, in dependency waves: the services of a wave come up side by
    /// side (one lane each, the wave's number as stage); a wave of one service has no stage.
    /// </summary>
    internal static IEnumerable<PlanStep> InWaves(AppManifest manifest, Func<string, IEnumerable<PlanStep>> stepsOf)
    {
        var waves = ServiceOrder.StartWaves(manifest);
        for (var wave = 0; wave < waves.Count; wave++)
        {
            foreach (var service in waves[wave])
            {
                foreach (var step in stepsOf(service))
                {
                    yield return waves[wave].Count > 1 ? step with { Stage = wave, Lane = service } : step;
                }
            }
        }
    }

    internal static IEnumerable<PlanStep> Hooks(AppManifest manifest, string moment, List<HookStep>? hooks) =>
        (hooks ?? []).Select((_, i) => new RunHookStep(moment, i, manifest.Version));

    /// <summary>
    /// Before the services are created: the app's client registered at the panel's single sign-on
    /// when the manifest wires it and the panel offers it; when the panel does not, a step that
    /// only records it (the app's accounts are its own). Nothing for an app without OIDC.
    /// </summary>
    internal static IEnumerable<PlanStep> RegisterSso(AppManifest manifest, SsoAvailability sso)
    {
        if (!SsoPlanning.UsesPanelProvider(manifest))
        {
            return [];
        }

        return sso == SsoAvailability.None
            ? [new SsoNotConfiguredStep()]
            : [new EnsureSsoClientStep(manifest.Version, ExistedBefore: sso == SsoAvailability.Registered)];
    }

    /// <summary>The <c>sso</c> steps of an oidc-command app, when the panel offers single sign-on.</summary>
    internal static IEnumerable<PlanStep> SsoHooks(AppManifest manifest, SsoAvailability sso) =>
        sso != SsoAvailability.None && manifest.Sso.Mode == SsoMode.OidcCommand ? Hooks(manifest, "sso", manifest.Sso.Steps) : [];

    internal static IEnumerable<PlanStep> StopAll(AppManifest manifest, string instance) =>
        ServiceOrder.StopOrder(manifest).Select(s => new StopContainerStep(ResourceNames.Container(instance, s), StopGrace(manifest.Services[s])));

    internal static IEnumerable<PlanStep> TearDown(AppManifest manifest, string instance)
    {
        foreach (var service in ServiceOrder.StopOrder(manifest))
        {
            yield return new StopContainerStep(ResourceNames.Container(instance, service), StopGrace(manifest.Services[service]));
            yield return new RemoveContainerStep(ResourceNames.Container(instance, service));
        }

        yield return new RemoveNetworkStep(ResourceNames.InternalNetwork(instance));
        if (manifest.Networks?.Egress is { Count: > 0 })
        {
            yield return new RemoveNetworkStep(ResourceNames.EgressNetwork(instance));
        }
    }

    private static IEnumerable<string> NetworksNoLongerUsed(AppManifest current, AppManifest target, string instance)
    {
        if (current.Networks?.Egress is { Count: > 0 } && target.Networks?.Egress is not { Count: > 0 })
        {
            yield return ResourceNames.EgressNetwork(instance);
        }
    }
}
