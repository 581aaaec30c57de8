using System.Text.Json.Serialization;
using HostPanel.Core.Apps;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Operations;

/// <summary>
/// One idempotent step of a plan. Steps name what they touch but carry no secret: a container's
/// environment is rendered when the step runs, from the archived manifest and the secret store.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(EnsureNetworkStep), "ensure-network")]
[JsonDerivedType(typeof(EnsureVolumeStep), "ensure-volume")]
[JsonDerivedType(typeof(PullImageStep), "pull-image")]
[JsonDerivedType(typeof(CreateContainerStep), "create-container")]
[JsonDerivedType(typeof(StartContainerStep), "start-container")]
[JsonDerivedType(typeof(WaitHealthyStep), "wait-healthy")]
[JsonDerivedType(typeof(RunHookStep), "run-hook")]
[JsonDerivedType(typeof(StopContainerStep), "stop-container")]
[JsonDerivedType(typeof(RemoveContainerStep), "remove-container")]
[JsonDerivedType(typeof(RenameContainerStep), "rename-container")]
[JsonDerivedType(typeof(RemoveNetworkStep), "remove-network")]
[JsonDerivedType(typeof(RemoveVolumeStep), "remove-volume")]
[JsonDerivedType(typeof(SetInstanceStateStep), "set-state")]
[JsonDerivedType(typeof(SetDomainStep), "set-domain")]
[JsonDerivedType(typeof(ForgetInstanceStep), "forget-instance")]
[JsonDerivedType(typeof(SnapshotVolumesStep), "snapshot-volumes")]
[JsonDerivedType(typeof(RestoreVolumeSnapshotStep), "restore-volume-snapshot")]
[JsonDerivedType(typeof(DropVolumeSnapshotStep), "drop-volume-snapshot")]
[JsonDerivedType(typeof(EnsureSsoClientStep), "ensure-sso-client")]
[JsonDerivedType(typeof(RemoveSsoClientStep), "remove-sso-client")]
[JsonDerivedType(typeof(SsoNotConfiguredStep), "sso-not-configured")]
[JsonDerivedType(typeof(Backups.BackupDatabaseStep), "backup-database")]
[JsonDerivedType(typeof(Backups.BackupFilesStep), "backup-files")]
[JsonDerivedType(typeof(Backups.StageBackupStep), "stage-backup")]
[JsonDerivedType(typeof(Backups.PlaceVolumeDataStep), "place-volume-data")]
[JsonDerivedType(typeof(Backups.RestoreDatabaseStep), "restore-database")]
[JsonDerivedType(typeof(Backups.PutVolumeDataBackStep), "put-volume-data-back")]
[JsonDerivedType(typeof(Backups.DropSetAsideDataStep), "drop-set-aside-data")]
[JsonDerivedType(typeof(Backups.DrillStep), "drill")]
public abstract record PlanStep
{
    /// <summary>
    /// Consecutive steps of one stage run side by side, one lane each (a lane's own steps in
    /// order); the next step waits for the whole stage. Null: the step runs on its own.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Stage { get; init; }

    /// <summary>The lane of the step within its <see cref="Stage"/> (the service it brings up).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Lane { get; init; }

    /// <summary>A short technical description for the operation log.</summary>
    public abstract string Describe();
}

public sealed record EnsureNetworkStep(string Network, bool Internal) : PlanStep
{
    public override string Describe() => $"ensure {(Internal ? "internal" : "egress")} network {Network}";
}

/// <summary><paramref name="ExistedBefore"/>: the volume held data before this operation (a reinstall on kept data); undoing never removes it.</summary>
public sealed record EnsureVolumeStep(string Volume, string Key, bool ExistedBefore = false) : PlanStep
{
    public override string Describe() => ExistedBefore ? $"reuse volume {Volume}" : $"ensure volume {Volume}";
}

public sealed record PullImageStep(string Image) : PlanStep
{
    public override string Describe() => $"pull image {Image}";
}

/// <summary>Creates the container of <paramref name="Service"/> as the manifest of <paramref name="Version"/> describes it.</summary>
public sealed record CreateContainerStep(string Service, string Container, string Version) : PlanStep
{
    public override string Describe() => $"create container {Container} ({Service} {Version})";
}

public sealed record StartContainerStep(string Container) : PlanStep
{
    public override string Describe() => $"start container {Container}";
}

public sealed record WaitHealthyStep(string Service, string Container, string Version, TimeSpan Timeout) : PlanStep
{
    public override string Describe() => $"wait until {Container} is healthy (at most {Timeout.TotalSeconds:0} s)";
}

/// <summary>Runs step <paramref name="Index"/> of hook <paramref name="Moment"/> of the manifest of <paramref name="Version"/>.</summary>
public sealed record RunHookStep(string Moment, int Index, string Version) : PlanStep
{
    public override string Describe() => $"run {Moment} hook {Index + 1} of version {Version}";
}

public sealed record StopContainerStep(string Container, TimeSpan Grace) : PlanStep
{
    public override string Describe() => $"stop container {Container}";
}

/// <summary><paramref name="OnlyIfVersion"/>: remove it only when it belongs to that version (a rollback never removes the old one).</summary>
public sealed record RemoveContainerStep(string Container, string? OnlyIfVersion = null) : PlanStep
{
    public override string Describe() => OnlyIfVersion is null ? $"remove container {Container}" : $"remove container {Container} if it runs version {OnlyIfVersion}";
}

public sealed record RenameContainerStep(string From, string To) : PlanStep
{
    public override string Describe() => $"rename container {From} to {To}";
}

public sealed record RemoveNetworkStep(string Network) : PlanStep
{
    public override string Describe() => $"remove network {Network}";
}

public sealed record RemoveVolumeStep(string Volume) : PlanStep
{
    public override string Describe() => $"remove volume {Volume} and its data";
}

public sealed record SetInstanceStateStep(InstanceState State, string? Version = null) : PlanStep
{
    public override string Describe() => Version is null ? $"mark the app {State}" : $"mark the app {State} at version {Version}";
}

/// <summary>Gives the app its new address (<paramref name="Previous"/> is the one it had, to go back to).</summary>
public sealed record SetDomainStep(string? Domain, string? Previous) : PlanStep
{
    public override string Describe() => Domain is null ? "take the app's address away" : $"give the app the address {Domain}";
}

/// <summary>Forgets the instance and its secrets (end of a purge).</summary>
public sealed record ForgetInstanceStep : PlanStep
{
    public override string Describe() => "forget the app and its secrets";
}

/// <summary>Copies the volumes aside while nothing writes to them, so a failed update can put the data back.</summary>
public sealed record SnapshotVolumesStep(IReadOnlyList<string> Volumes) : PlanStep
{
    public override string Describe() => $"snapshot volumes {string.Join(", ", Volumes)}";
}

/// <summary>Puts the volumes back exactly as the snapshot holds them.</summary>
public sealed record RestoreVolumeSnapshotStep(IReadOnlyList<string> Volumes) : PlanStep
{
    public override string Describe() => $"put volumes {string.Join(", ", Volumes)} back from the snapshot";
}

public sealed record DropVolumeSnapshotStep(IReadOnlyList<string> Volumes) : PlanStep
{
    public override string Describe() => $"drop the snapshot of volumes {string.Join(", ", Volumes)}";
}

/// <summary>
/// Registers (or brings up to date) the app's client at the panel's single sign-on provider, with
/// the redirect addresses of the manifest of <paramref name="Version"/> at the app's address.
/// <paramref name="ExistedBefore"/>: the app already had its client when the operation was planned;
/// undoing the operation then leaves it (an install or update that created it removes it).
/// </summary>
public sealed record EnsureSsoClientStep(string Version, bool ExistedBefore = false) : PlanStep
{
    public override string Describe() => $"register the app at the panel's single sign-on (redirect addresses of version {Version})";
}

/// <summary>Removes the app's client at the panel's single sign-on provider, with its secret and tokens.</summary>
public sealed record RemoveSsoClientStep : PlanStep
{
    public override string Describe() => "remove the app's client from the panel's single sign-on";
}

/// <summary>
/// Does nothing: it records, in the plan and the operation's log, that the app could use the
/// panel's single sign-on but the panel offers none, so its accounts are its own.
/// </summary>
public sealed record SsoNotConfiguredStep : PlanStep
{
    public override string Describe() => CoreText.Get("SsoNotConfigured");
}
