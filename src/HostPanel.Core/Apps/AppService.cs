using HostPanel.Core.Accounts;
using System.Globalization;
using System.Text.RegularExpressions;
using HostPanel.Core.Apps.Planning;
using HostPanel.Core.Catalog.Loading;
using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Catalog.Secrets;
using HostPanel.Core.Catalog.Validation;
using HostPanel.Core.Domains;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using HostPanel.Core.Resources;
using HostPanel.Core.Secrets;

namespace HostPanel.Core.Apps;

/// <summary>What a person asks for when installing an app.</summary>
public sealed record InstallRequest(string AppId, Caller Caller)
{
    public string? OrganizationId { get; init; }
    public string? Name { get; init; }
    public string? Domain { get; init; }
    public IReadOnlyDictionary<string, string> Answers { get; init; } = new Dictionary<string, string>();

    /// <summary>The administrator read and accepted a host-stack app's warning.</summary>
    public bool ConfirmHostStack { get; init; }
}

/// <summary>
/// The one application service behind the panel, the CLI and the API for an app's life:
/// validates the request, records the plan in the journal and runs it.
/// </summary>
public sealed partial class AppService(
    IAppCatalog catalog,
    IInstanceStore instances,
    IPackageArchive packages,
    ISecretStore secrets,
    IOperationJournal journal,
    IContainerEngine engine,
    OperationRunner runner,
    InstanceLocks locks,
    TimeProvider time,
    AccessControl access,
    Backups.IPreUpdateBackup? preUpdateBackup = null,
    DomainService? domainService = null,
    OrganizationService? organizationService = null,
    ISsoClientRegistry? sso = null)
{
    /// <summary>Validates, records and runs an install; returns the finished operation.</summary>
    public Task<Operation> InstallAsync(InstallRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ExclusiveAsync(request.Name ?? request.AppId, async () =>
        {
            var (operation, _) = await PrepareInstallHeldAsync(request, ct).ConfigureAwait(false);
            return await runner.RunAsync(operation.Id, ct).ConfigureAwait(false);
        }, ct);
    }

    /// <summary>Validates and records an install without running it (the panel runs it in the background).</summary>
    public Task<(Operation Operation, AppInstance Instance)> PrepareInstallAsync(InstallRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ExclusiveAsync(request.Name ?? request.AppId, () => PrepareInstallHeldAsync(request, ct), ct);
    }

    private async Task<(Operation Operation, AppInstance Instance)> PrepareInstallHeldAsync(InstallRequest request, CancellationToken ct)
    {
        var loaded = catalog.Load();
        var app = loaded.Apps.FirstOrDefault(a => a.Manifest.Id == request.AppId);
        if (app is null)
        {
            var broken = loaded.ErrorsOf(request.AppId);
            throw broken.Count > 0
                ? new AppRequestException("app", CoreText.Format("CatalogHasErrors", request.AppId, broken[0]))
                : new AppRequestException("app", CoreText.Format("UnknownApp", request.AppId, string.Join(", ", loaded.Apps.Select(a => a.Manifest.Id))));
        }

        var manifest = app.Manifest;
        var organization = await access.OrganizationAsync(request.Caller, request.OrganizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        var name = request.Name ?? manifest.Id;
        if (!InstanceNameRegex().IsMatch(name))
        {
            throw new AppRequestException("name", CoreText.Format("BadInstanceName", name));
        }

        var previous = await instances.FindAsync(name, ct).ConfigureAwait(false);
        if (previous is not null && previous.State != InstanceState.Removed)
        {
            throw new AppRequestException("name", CoreText.Format("InstanceNameTaken", name));
        }

        if (previous is not null && previous.OrganizationId != organization.Id)
        {
            // Kept data of another organization: say only that the name is taken.
            throw new AppRequestException("name", CoreText.Format("InstanceNameTaken", name));
        }

        if (previous is not null && previous.AppId != manifest.Id)
        {
            throw new AppRequestException("name", CoreText.Format("InstanceNameTakenOtherApp", name, previous.AppId));
        }

        if (organizationService is not null)
        {
            await organizationService.EnsureWithinQuotaAsync(organization.Id, manifest, previous?.Name, ct).ConfigureAwait(false);
        }

        var domain = await ValidateDomainAsync(manifest, request.Domain, name, organization.Id, ct).ConfigureAwait(false);
        var (answers, secretAnswers) = ValidateAnswers(manifest, request.Answers);
        if (manifest.EffectiveKind == AppKind.HostStack && !request.ConfirmHostStack)
        {
            var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
            throw new AppRequestException("confirm", CoreText.Format("HostStackNeedsConfirmation", manifest.Name, manifest.HostStack!.Confirmation.In(language)));
        }

        var now = time.GetUtcNow();
        var instance = new AppInstance
        {
            Name = name,
            OrganizationId = organization.Id,
            AppId = manifest.Id,
            Version = manifest.Version,
            Revision = manifest.Revision,
            Domain = domain,
            State = InstanceState.Installing,
            Answers = answers,
            CreatedAt = previous?.CreatedAt ?? now,
            UpdatedAt = now,
        };
        // The domain is taken now, under the registry's lock: no other organization can take it
        // while this install runs.
        if (domain is not null && domainService is not null)
        {
            await domainService.AttachAsync(domain, name, organization.Id, ct).ConfigureAwait(false);
        }

        if (previous is null)
        {
            await instances.AddAsync(instance, ct).ConfigureAwait(false);
        }
        else
        {
            await instances.UpdateAsync(instance, ct).ConfigureAwait(false);
        }

        await packages.SaveAsync(name, manifest.Version, catalog.Package(app), ct).ConfigureAwait(false);

        // Generated once: a reinstall on kept data finds its secrets and keeps them.
        var generated = Generate(manifest.Secrets ?? []);
        foreach (var (question, value) in secretAnswers)
        {
            generated[$"q.{question}"] = value;
        }

        await secrets.AddMissingAsync(name, generated, ct).ConfigureAwait(false);

        var existing = (await engine.Volumes.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, name), ct).ConfigureAwait(false))
            .Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        var plan = LifecyclePlanner.Install(manifest, instance, existing, await SsoPlanning.AvailabilityAsync(sso, name, ct).ConfigureAwait(false));
        var operation = NewOperation(instance, OperationKind.Install, request.Caller.Name, null, manifest.Version);
        await journal.CreateAsync(operation, plan, ct).ConfigureAwait(false);
        return (operation, instance);
    }

    public Task<Operation> StartAsync(string name, Caller caller, CancellationToken ct = default) =>
        SimpleAsync(name, caller, OperationKind.Start, (m, i) => LifecyclePlanner.Start(m, i), ct);

    public Task<Operation> StopAsync(string name, Caller caller, CancellationToken ct = default) =>
        SimpleAsync(name, caller, OperationKind.Stop, (m, i) => LifecyclePlanner.Stop(m, i), ct);

    public Task<Operation> RestartAsync(string name, Caller caller, CancellationToken ct = default) =>
        SimpleAsync(name, caller, OperationKind.Restart, (m, i) => LifecyclePlanner.Restart(m, i), ct);

    /// <summary>Removes the app; keeps its data unless <paramref name="purge"/> is confirmed.</summary>
    public async Task<Operation> RemoveAsync(string name, Caller caller, bool purge, bool confirmed, CancellationToken ct = default)
    {
        await access.AppAsync(caller, name, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        if (purge && !confirmed)
        {
            throw new AppRequestException("purge", CoreText.Format("PurgeNeedsConfirmation", name));
        }

        return await ExclusiveAsync(name, () => RemoveHeldAsync(name, caller.Name, purge, ct), ct).ConfigureAwait(false);
    }

    private async Task<Operation> RemoveHeldAsync(string name, string actor, bool purge, CancellationToken ct)
    {
        var instance = await LoadAsync(name, allowRemoved: purge, ct).ConfigureAwait(false);
        var manifest = await ManifestAsync(instance, instance.Version, ct).ConfigureAwait(false);
        var plan = await AppRemoval.PlanAsync(engine, manifest, instance, purge, ct).ConfigureAwait(false);
        var operation = NewOperation(instance, purge ? OperationKind.Purge : OperationKind.Remove, actor, instance.Version, null);
        await journal.CreateAsync(operation, plan, ct).ConfigureAwait(false);
        return await runner.RunAsync(operation.Id, ct).ConfigureAwait(false);
    }

    /// <summary>Updates to the catalog's version (or <paramref name="toVersion"/>, which must be it).</summary>
    public async Task<Operation> UpdateAsync(string name, Caller caller, string? toVersion, CancellationToken ct = default)
    {
        await access.AppAsync(caller, name, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        return await ExclusiveAsync(name, () => UpdateHeldAsync(name, caller.Name, toVersion, ct), ct).ConfigureAwait(false);
    }

    private async Task<Operation> UpdateHeldAsync(string name, string actor, string? toVersion, CancellationToken ct)
    {
        var instance = await LoadAsync(name, allowRemoved: false, ct).ConfigureAwait(false);
        var app = catalog.Load().Apps.FirstOrDefault(a => a.Manifest.Id == instance.AppId)
            ?? throw new AppRequestException("app", CoreText.Format("UnknownApp", instance.AppId, string.Empty));
        var target = app.Manifest;
        if (toVersion is not null && toVersion != target.Version)
        {
            throw new AppRequestException("version", CoreText.Format("VersionNotInCatalog", name, toVersion, target.Version));
        }

        if (!AppVersion.TryParse(target.Version, out var targetVersion) || !AppVersion.TryParse(instance.Version, out var currentVersion) || targetVersion.CompareTo(currentVersion) <= 0)
        {
            throw new AppRequestException("version", CoreText.Format("NoNewerVersion", name, instance.Version));
        }

        if (organizationService is not null)
        {
            await organizationService.EnsureWithinQuotaAsync(instance.OrganizationId, target, instance.Name, ct).ConfigureAwait(false);
        }

        // A backup first, and no update without it: whatever happens next, the data as it was
        // before the update can be brought back (the update also keeps its own local copy of
        // the volumes to roll back at once).
        if (preUpdateBackup is not null)
        {
            await preUpdateBackup.BackupBeforeUpdateAsync(instance, actor, ct).ConfigureAwait(false);
        }

        var current = await ManifestAsync(instance, instance.Version, ct).ConfigureAwait(false);
        await packages.SaveAsync(name, target.Version, catalog.Package(app), ct).ConfigureAwait(false);
        // Only secrets the new version adds are generated; the store never replaces existing ones.
        await secrets.AddMissingAsync(name, Generate((target.Secrets ?? []).Where(s => current.Secrets?.ContainsKey(s.Key) != true)), ct).ConfigureAwait(false);
        var plan = LifecyclePlanner.Update(current, target, instance, await SsoPlanning.AvailabilityAsync(sso, name, ct).ConfigureAwait(false));
        var operation = NewOperation(instance, OperationKind.Update, actor, instance.Version, target.Version);
        await journal.CreateAsync(operation, plan, ct).ConfigureAwait(false);
        return await runner.RunAsync(operation.Id, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves a running app to another address, when its manifest allows it (an app that records
    /// its address in its data — Mastodon, PeerTube — refuses, with the reason). Its containers
    /// are made again with the new address, as in an update; a failure puts the old address and
    /// containers back.
    /// </summary>
    public async Task<Operation> ChangeDomainAsync(string name, string? domain, Caller caller, CancellationToken ct = default)
    {
        await access.AppAsync(caller, name, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        return await ExclusiveAsync(name, async () =>
        {
            var instance = await LoadAsync(name, allowRemoved: false, ct).ConfigureAwait(false);
            var manifest = await ManifestAsync(instance, instance.Version, ct).ConfigureAwait(false);
            if (!manifest.Domain.Changeable)
            {
                var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
                var reason = manifest.Domain.Warning?.In(language) ?? CoreText.Get("DomainFixedByApp");
                throw new AppRequestException("domain", CoreText.Format("DomainNotChangeable", manifest.Name, name, reason));
            }

            if (instance.State != InstanceState.Running)
            {
                throw new AppRequestException("instance", CoreText.Format("DomainChangeNeedsRunningApp", name, instance.State));
            }

            var normalized = await ValidateDomainAsync(manifest, domain, name, instance.OrganizationId, ct).ConfigureAwait(false);
            if (normalized == instance.Domain)
            {
                throw new AppRequestException("domain", CoreText.Format("DomainUnchanged", name, normalized ?? "-"));
            }

            if (normalized is not null && domainService is not null)
            {
                await domainService.AttachAsync(normalized, name, instance.OrganizationId, ct).ConfigureAwait(false);
            }

            var plan = LifecyclePlanner.ChangeDomain(manifest, instance, normalized, await SsoPlanning.AvailabilityAsync(sso, name, ct).ConfigureAwait(false));
            var operation = NewOperation(instance, OperationKind.ChangeDomain, caller.Name, instance.Version, instance.Version);
            await journal.CreateAsync(operation, plan, ct).ConfigureAwait(false);
            return await runner.RunAsync(operation.Id, ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The installed app, if the caller holds <paramref name="needed"/> in its organization, or a
    /// refusal that lists the apps the caller may see.
    /// </summary>
    public async Task<AppInstance> FindAsync(Caller caller, string name, OrganizationRole needed, bool allowRemoved, CancellationToken ct = default)
    {
        await access.AppAsync(caller, name, needed, ct).ConfigureAwait(false);
        return await LoadAsync(name, allowRemoved, ct).ConfigureAwait(false);
    }

    /// <summary>The app as it stands, for an operation already allowed (its state must let the operation run).</summary>
    internal async Task<AppInstance> LoadAsync(string name, bool allowRemoved, CancellationToken ct = default)
    {
        var instance = await instances.FindAsync(name, ct).ConfigureAwait(false)
            ?? throw new AppRequestException("instance", CoreText.Format("UnknownInstance", name, CoreText.Get("NoneKnown")));

        if (instance.State == InstanceState.Removed && !allowRemoved)
        {
            throw new AppRequestException("instance", CoreText.Format("InstanceRemoved", name));
        }

        // An install or update in progress — or interrupted, waiting for the reconciler — owns the app.
        if (instance.State is InstanceState.Installing or InstanceState.Updating or InstanceState.Restoring)
        {
            throw new AppRequestException("instance", CoreText.Format("InstanceBusy", name));
        }

        return instance;
    }

    /// <summary>The manifest the installed app really used for <paramref name="version"/>.</summary>
    public async Task<AppManifest> ManifestAsync(AppInstance instance, string version, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return await packages.ManifestAsync(instance.Name, version, ct).ConfigureAwait(false);
    }

    /// <summary>Fresh values for the given secrets, keyed as the secret store keeps them.</summary>
    private static Dictionary<string, string> Generate(IEnumerable<KeyValuePair<string, SecretSpec>> specs)
    {
        var generated = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (secretName, spec) in specs)
        {
            var secret = SecretGenerator.Generate(spec);
            if (secret.IsPair)
            {
                generated[$"secrets.{secretName}.private"] = secret.Private!;
                generated[$"secrets.{secretName}.public"] = secret.Public!;
            }
            else
            {
                generated[$"secrets.{secretName}"] = secret.Value!;
            }
        }

        return generated;
    }

    private async Task<Operation> SimpleAsync(string name, Caller caller, OperationKind kind, Func<AppManifest, AppInstance, IReadOnlyList<PlanStep>> plan, CancellationToken ct)
    {
        await access.AppAsync(caller, name, OrganizationRole.Administrator, ct).ConfigureAwait(false);
        return await ExclusiveAsync(name, async () =>
        {
            var instance = await LoadAsync(name, allowRemoved: false, ct).ConfigureAwait(false);
            var manifest = await ManifestAsync(instance, instance.Version, ct).ConfigureAwait(false);
            var operation = NewOperation(instance, kind, caller.Name, instance.Version, instance.Version);
            await journal.CreateAsync(operation, plan(manifest, instance), ct).ConfigureAwait(false);
            return await runner.RunAsync(operation.Id, ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
    }

    private Task<T> ExclusiveAsync<T>(string name, Func<Task<T>> body, CancellationToken ct) =>
        AppGate.RunAsync(locks, journal, name, body, ct);

    private Operation NewOperation(AppInstance instance, OperationKind kind, string actor, string? from, string? to) => new()
    {
        Id = Guid.CreateVersion7(time.GetUtcNow()),
        Instance = instance.Name,
        OrganizationId = instance.OrganizationId,
        Kind = kind,
        Actor = actor,
        FromVersion = from,
        ToVersion = to,
        CreatedAt = time.GetUtcNow(),
    };

    private async Task<string?> ValidateDomainAsync(AppManifest manifest, string? domain, string name, string organizationId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(domain))
        {
            return manifest.Domain.Required ? throw new AppRequestException("domain", CoreText.Get("DomainRequired")) : null;
        }

        // An app gets a precise name: wildcards are for certificates shared by several names.
        var normalized = (DomainName.TryParse(domain, allowWildcard: false, out var problem)
            ?? throw new AppRequestException("domain", problem!)).Ascii;
        if (DomainName.IsReserved(normalized))
        {
            throw new AppRequestException("domain", CoreText.Format("DomainNotAName", domain));
        }

        if (domainService is not null)
        {
            await domainService.EnsureFreeAsync(normalized, organizationId, name, ct: ct).ConfigureAwait(false);
        }

        return normalized;
    }

    private static (Dictionary<string, string> Plain, Dictionary<string, string> Secret) ValidateAnswers(AppManifest manifest, IReadOnlyDictionary<string, string> given)
    {
        var questions = manifest.Questions ?? [];
        foreach (var key in given.Keys)
        {
            if (questions.All(q => q.Id != key))
            {
                throw new AppRequestException($"q.{key}", CoreText.Format("UnknownQuestion", manifest.Id, key, string.Join(", ", questions.Select(q => q.Id))));
            }
        }

        var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        var plain = new Dictionary<string, string>(StringComparer.Ordinal);
        var secret = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var question in questions)
        {
            var answer = given.GetValueOrDefault(question.Id) ?? question.Default;
            if (answer is null)
            {
                if (question.IsRequired)
                {
                    throw new AppRequestException($"q.{question.Id}", CoreText.Format("AnswerMissing", question.Id, question.Label.In(language)));
                }

                continue;
            }

            if (QuestionRules.Check(question, answer, QuestionRules.Pattern(question)) is { } problem)
            {
                throw new AppRequestException($"q.{question.Id}", CoreText.Format("AnswerInvalid", question.Label.In(language), question.Id, problem));
            }

            (question.Type == QuestionType.Password ? secret : plain)[question.Id] = answer;
        }

        return (plain, secret);
    }

    [GeneratedRegex(AppInstance.NamePattern, RegexOptions.CultureInvariant)]
    private static partial Regex InstanceNameRegex();
}
