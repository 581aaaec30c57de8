using HostPanel.Core.Backups;
using HostPanel.Core.Operations;
using Microsoft.Extensions.Localization;

namespace HostPanel.Web.Components.Panel;

/// <summary>
/// Operations as people read them: what was done (with the versions), how it ended, who asked,
/// and each step in plain words (the steps' own descriptions are technical, for the log).
/// </summary>
public static class OperationWords
{
    public static string Kind(IStringLocalizer<OperationsText> text, OperationKind kind)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text["Kind." + kind];
    }

    /// <summary>"Mise à jour (version 1 → 2)", "Installation (version 1)", "Sauvegarde".</summary>
    public static string What(IStringLocalizer<OperationsText> text, Operation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var kind = Kind(text, operation.Kind);
        if (operation.FromVersion is { } from && operation.ToVersion is { } to && from != to)
        {
            return text["WhatVersions", kind, from, to];
        }

        return operation.Kind == OperationKind.Install && operation.ToVersion is { } version ? text["WhatVersion", kind, version] : kind;
    }

    public static string State(IStringLocalizer<OperationsText> text, OperationState state)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text["State." + state];
    }

    public static StatusTone Tone(OperationState state) => state switch
    {
        OperationState.Succeeded => StatusTone.Success,
        OperationState.Failed => StatusTone.Error,
        OperationState.RolledBack or OperationState.Interrupted => StatusTone.Warning,
        _ => StatusTone.Info,
    };

    /// <summary>Who asked: the person's address, "Planification automatique", "root (ligne de commande)".</summary>
    public static string Actor(IStringLocalizer<OperationsText> text, string actor)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(actor);
        if (actor == "schedule")
        {
            return text["Actor.Schedule"];
        }

        return actor.StartsWith("cli:", StringComparison.Ordinal) ? text["Actor.CommandLine", actor["cli:".Length..]] : actor;
    }

    public static string StepState(IStringLocalizer<OperationsText> text, StepState state, bool undo)
    {
        ArgumentNullException.ThrowIfNull(text);
        return (state, undo) switch
        {
            (Core.Operations.StepState.Running, true) => text["StepState.Undoing"],
            (Core.Operations.StepState.Done, true) => text["StepState.Undone"],
            _ => text["StepState." + state],
        };
    }

    /// <summary>A step in plain words; a step this panel does not know yet keeps its technical description.</summary>
    public static string Step(IStringLocalizer<OperationsText> text, PlanStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return PlainStep(text, step) ?? step.Describe();
    }

    /// <summary>The plain words of a step, or null for a kind of step without any yet.</summary>
    internal static string? PlainStep(IStringLocalizer<OperationsText> text, PlanStep step)
    {
        ArgumentNullException.ThrowIfNull(text);
        return step switch
        {
            EnsureNetworkStep => text["Step.EnsureNetwork"],
            EnsureVolumeStep v => v.ExistedBefore ? text["Step.ReuseVolume", v.Key] : text["Step.EnsureVolume", v.Key],
            PullImageStep p => text["Step.PullImage", p.Image],
            CreateContainerStep c => text["Step.CreateContainer", c.Service, c.Version],
            StartContainerStep s => text["Step.StartContainer", s.Container],
            WaitHealthyStep w => text["Step.WaitHealthy", w.Service],
            RunHookStep h => text["Step.RunHook", h.Moment, h.Index + 1],
            StopContainerStep s => text["Step.StopContainer", s.Container],
            RemoveContainerStep r => text["Step.RemoveContainer", r.Container],
            RenameContainerStep r => text["Step.RenameContainer", r.From, r.To],
            RemoveNetworkStep => text["Step.RemoveNetwork"],
            RemoveVolumeStep r => text["Step.RemoveVolume", r.Volume],
            SetInstanceStateStep => text["Step.SetState"],
            SetDomainStep { Domain: { } domain } => text["Step.SetDomain", domain],
            SetDomainStep => text["Step.RemoveDomain"],
            ForgetInstanceStep => text["Step.ForgetInstance"],
            SnapshotVolumesStep => text["Step.SnapshotVolumes"],
            RestoreVolumeSnapshotStep => text["Step.RestoreVolumeSnapshot"],
            DropVolumeSnapshotStep => text["Step.DropVolumeSnapshot"],
            EnsureSsoClientStep => text["Step.EnsureSsoClient"],
            RemoveSsoClientStep => text["Step.RemoveSsoClient"],
            BackupDatabaseStep b => text["Step.BackupDatabase", b.Name],
            BackupFilesStep => text["Step.BackupFiles"],
            StageBackupStep => text["Step.StageBackup"],
            PlaceVolumeDataStep => text["Step.PlaceVolumeData"],
            RestoreDatabaseStep r => text["Step.RestoreDatabase", r.Name],
            PutVolumeDataBackStep => text["Step.PutVolumeDataBack"],
            DropSetAsideDataStep => text["Step.DropSetAsideData"],
            DrillStep => text["Step.Drill"],

            // Its description is already in plain words, in the person's language.
            SsoNotConfiguredStep => step.Describe(),
            _ => null,
        };
    }
}
