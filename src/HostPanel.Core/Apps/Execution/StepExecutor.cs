using System.Text;
using System.Text.RegularExpressions;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps.Planning;
using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Catalog.Planning;
using HostPanel.Core.Catalog.Secrets;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using HostPanel.Core.Resources;
using HostPanel.Core.Secrets;

namespace HostPanel.Core.Apps.Execution;

/// <summary>
/// Carries out plan steps on the engine. Every step is idempotent: run again after a crash, it
/// finds what it did and does not do it twice. <paramref name="sso"/> is the panel's single sign-on
/// provider, absent where there is none (the command line, tests): apps then keep their own
/// accounts, exactly as without single sign-on.
/// </summary>
public sealed class StepExecutor(
    IContainerEngine engine,
    IInstanceStore instances,
    IPackageArchive packages,
    ISecretStore secrets,
    IVolumeSnapshots snapshots,
    IHttpProbe probe,
    OperationEvents events,
    TimeProvider time,
    ISsoClientRegistry? sso = null) : IStepExecutor
{
    private const int LogTailLines = 20;

    public async Task ExecuteAsync(Operation operation, PlanStep step, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(step);
        var instance = await instances.FindAsync(operation.Instance, ct).ConfigureAwait(false);
        if (instance is null)
        {
            // Only a purge or an undone install forgets an instance; what is left to do is cleanup.
            if (step is ForgetInstanceStep || await CleanupAsync(step, operation.Instance, ct).ConfigureAwait(false))
            {
                return;
            }

            throw new InvalidOperationException($"The installed app {operation.Instance} is no longer recorded.");
        }

        switch (step)
        {
            case EnsureNetworkStep s:
                await engine.Networks.EnsureAsync(new NetworkSpec(s.Network, ContainerSpecBuilder.Labels(instance), s.Internal), ct).ConfigureAwait(false);
                break;
            case EnsureVolumeStep s:
                var labels = ContainerSpecBuilder.Labels(instance);
                labels[ContainerSpecBuilder.VolumeLabel] = s.Key;
                await engine.Volumes.EnsureAsync(new VolumeSpec(s.Volume, labels), ct).ConfigureAwait(false);
                break;
            case PullImageStep s:
                await PullAsync(operation, s.Image, ct).ConfigureAwait(false);
                break;
            case CreateContainerStep s:
                await CreateAsync(instance, s, ct).ConfigureAwait(false);
                break;
            case StartContainerStep s:
                await StartAsync(s.Container, ct).ConfigureAwait(false);
                break;
            case WaitHealthyStep s:
                await WaitHealthyAsync(instance, s, ct).ConfigureAwait(false);
                break;
            case RunHookStep s:
                await RunHookAsync(instance, s, ct).ConfigureAwait(false);
                break;
            case StopContainerStep or RemoveContainerStep { OnlyIfVersion: null } or RemoveNetworkStep or RemoveVolumeStep or RemoveSsoClientStep:
                await CleanupAsync(step, instance.Name, ct).ConfigureAwait(false);
                break;
            case EnsureSsoClientStep s:
                await RegisterSsoClientAsync(instance, s, ct).ConfigureAwait(false);
                break;
            case SsoNotConfiguredStep:
                // Only a record, in the plan and the log, that the app keeps its own accounts.
                break;
            case RemoveContainerStep { OnlyIfVersion: { } version } s:
                if (await engine.Containers.InspectAsync(s.Container, ct).ConfigureAwait(false) is { } found && found.Labels.GetValueOrDefault(HostPanelLabels.Version) == version
                    && found.Labels.GetValueOrDefault(HostPanelLabels.Instance) == instance.Name)
                {
                    await engine.Containers.RemoveAsync(found.Id, force: true, ct).ConfigureAwait(false);
                }

                break;
            case RenameContainerStep s:
                await RenameAsync(s, ct).ConfigureAwait(false);
                break;
            case SnapshotVolumesStep s:
                await snapshots.SnapshotAsync(instance, s.Volumes, ct).ConfigureAwait(false);
                break;
            case RestoreVolumeSnapshotStep s:
                // A job a crash left running could still write to the volumes being put back.
                await RemoveJobsAsync(instance.Name, ct).ConfigureAwait(false);
                await snapshots.RestoreAsync(instance, s.Volumes, ct).ConfigureAwait(false);
                break;
            case DropVolumeSnapshotStep s:
                await snapshots.DropAsync(instance, s.Volumes, ct).ConfigureAwait(false);
                break;
            case SetInstanceStateStep s:
                await instances.UpdateAsync(instance with { State = s.State, Version = s.Version ?? instance.Version, UpdatedAt = time.GetUtcNow() }, ct).ConfigureAwait(false);
                break;
            case SetDomainStep s:
                await instances.UpdateAsync(instance with { Domain = s.Domain, UpdatedAt = time.GetUtcNow() }, ct).ConfigureAwait(false);
                break;
            case ForgetInstanceStep:
                await secrets.DeleteAllAsync(instance.Name, ct).ConfigureAwait(false);
                await packages.DeleteAllAsync(instance.Name, ct).ConfigureAwait(false);
                await instances.DeleteAsync(instance.Name, ct).ConfigureAwait(false);
                break;
            default:
                throw new NotSupportedException($"No executor for the step {step.GetType().Name}.");
        }
    }

    /// <summary>
    /// Steps that only take things away; they need no installed app. They touch an object only
    /// when its labels say it belongs to <paramref name="instance"/>: names of two apps could
    /// otherwise meet (app "a-b" volume "c", app "a" volume "b-c"). False for any other step.
    /// </summary>
    private async Task<bool> CleanupAsync(PlanStep step, string instance, CancellationToken ct)
    {
        var mine = LabelFilter.Managed.And(HostPanelLabels.Instance, instance);
        switch (step)
        {
            case StopContainerStep s:
                if (await engine.Containers.InspectAsync(s.Container, ct).ConfigureAwait(false) is { State: ContainerState.Running or ContainerState.Restarting or ContainerState.Paused } running
                    && running.Labels.GetValueOrDefault(HostPanelLabels.Instance) == instance)
                {
                    await engine.Containers.StopAsync(s.Container, s.Grace, ct).ConfigureAwait(false);
                }

                return true;
            case RemoveContainerStep { OnlyIfVersion: null } s:
                if (await engine.Containers.InspectAsync(s.Container, ct).ConfigureAwait(false) is { } container && container.Labels.GetValueOrDefault(HostPanelLabels.Instance) == instance)
                {
                    await engine.Containers.RemoveAsync(container.Id, force: true, ct).ConfigureAwait(false);
                }

                return true;
            case RemoveNetworkStep s:
                if ((await engine.Networks.ListAsync(mine, ct).ConfigureAwait(false)).Any(n => n.Name == s.Network))
                {
                    await RemoveJobsAsync(instance, ct).ConfigureAwait(false);
                    await engine.Networks.RemoveAsync(s.Network, ct).ConfigureAwait(false);
                }

                return true;
            case RemoveVolumeStep s:
                if ((await engine.Volumes.ListAsync(mine, ct).ConfigureAwait(false)).Any(v => v.Name == s.Volume))
                {
                    await engine.Volumes.RemoveAsync(s.Volume, ct).ConfigureAwait(false);
                }

                return true;
            case RemoveSsoClientStep:
                // Removal works without an issuer (the panel's address may have been taken away
                // since the client was made); without a provider there is nothing to remove.
                if (sso is not null)
                {
                    await sso.RemoveAsync(instance, ct).ConfigureAwait(false);
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>Removes the app's one-off job and copy containers (a crash may have left some running).</summary>
    private async Task RemoveJobsAsync(string instance, CancellationToken ct)
    {
        foreach (var job in await engine.Containers.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, instance).And("hostpanel.job", "true"), ct).ConfigureAwait(false))
        {
            await engine.Containers.RemoveAsync(job.Id, force: true, ct).ConfigureAwait(false);
        }
    }

    private async Task PullAsync(Operation operation, string image, CancellationToken ct)
    {
        if (await engine.Images.InspectAsync(image, ct).ConfigureAwait(false) is not null)
        {
            return;
        }

        var progress = new SynchronousProgress<PullProgress>(p => events.Publish(new PullProgressed(operation.Id, time.GetUtcNow(), image, p.LayerId, p.Status, p.Current, p.Total, p.Phase)));
        try
        {
            await engine.Images.PullAsync(ImageReference.Parse(image), progress, ct).ConfigureAwait(false);
        }
        catch (ContainerEngineException e)
        {
            throw new OperationFailedException(CoreText.Format("ImagePullFailed", image, e.Message), e.Message, e);
        }
    }

    private async Task CreateAsync(AppInstance instance, CreateContainerStep step, CancellationToken ct)
    {
        if (await engine.Containers.InspectAsync(step.Container, ct).ConfigureAwait(false) is { } existing)
        {
            if (existing.Labels.GetValueOrDefault(HostPanelLabels.Version) == step.Version && existing.Labels.GetValueOrDefault(HostPanelLabels.Instance) == instance.Name)
            {
                return;
            }

            throw new InvalidOperationException($"A container named {step.Container} already exists for version {existing.Labels.GetValueOrDefault(HostPanelLabels.Version) ?? "?"}; expected none or version {step.Version}.");
        }

        var manifest = await ManifestAsync(instance, step.Version, ct).ConfigureAwait(false);
        var environment = AppEnvironment.ForService(manifest, step.Service, await ContextAsync(instance, manifest, ct).ConfigureAwait(false));
        await engine.Containers.CreateAsync(ContainerSpecBuilder.Build(manifest, step.Service, instance, environment, step.Container, sso?.Issuer), ct).ConfigureAwait(false);
    }

    private async Task StartAsync(string container, CancellationToken ct)
    {
        var info = await engine.Containers.InspectAsync(container, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The container {container} does not exist.");
        if (info.State is not (ContainerState.Running or ContainerState.Restarting))
        {
            await engine.Containers.StartAsync(container, ct).ConfigureAwait(false);
        }
    }

    private async Task RenameAsync(RenameContainerStep step, CancellationToken ct)
    {
        var from = await engine.Containers.InspectAsync(step.From, ct).ConfigureAwait(false);
        var to = await engine.Containers.InspectAsync(step.To, ct).ConfigureAwait(false);
        if (from is null)
        {
            // Already renamed (a repeat after a crash), or nothing to set aside.
            return;
        }

        if (to is not null)
        {
            throw new InvalidOperationException($"Cannot rename {step.From} to {step.To}: a container already has that name.");
        }

        await engine.Containers.RenameAsync(step.From, step.To, ct).ConfigureAwait(false);
    }

    private async Task WaitHealthyAsync(AppInstance instance, WaitHealthyStep step, CancellationToken ct)
    {
        var manifest = await ManifestAsync(instance, step.Version, ct).ConfigureAwait(false);
        var health = manifest.Services[step.Service].Health;
        var deadline = time.GetUtcNow() + step.Timeout;
        // HostPanel asks the service itself, often, instead of waiting for the engine's own
        // health schedule (whose first check only comes after a whole interval).
        var poll = TimeSpan.FromMilliseconds(250);
        string last = "no answer yet";
        while (true)
        {
            var info = await engine.Containers.InspectAsync(step.Container, ct).ConfigureAwait(false)
                ?? throw new OperationFailedException(CoreText.Format("ServiceExited", step.Service, "?"), $"{step.Container} disappeared");
            if (info.State is ContainerState.Exited or ContainerState.Dead)
            {
                throw new OperationFailedException(CoreText.Format("ServiceExited", step.Service, info.ExitCode), $"{step.Container} exited with {info.ExitCode}; last log lines:\n{await TailAsync(step.Container, ct).ConfigureAwait(false)}");
            }

            if (health?.Http is { } http)
            {
                var address = info.Addresses.GetValueOrDefault(ResourceNames.InternalNetwork(instance.Name)) ?? info.Addresses.Values.FirstOrDefault();
                if (info.State == ContainerState.Running && address is not null)
                {
                    var answer = await probe.GetAsync(new Uri($"http://{address}:{http.Port}{http.Path}"), health.Timeout?.Value ?? TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
                    if (answer is { } a && a.Status == (http.ExpectStatus ?? 200) && (http.ExpectBody is null || a.Body.Contains(http.ExpectBody, StringComparison.Ordinal)))
                    {
                        return;
                    }

                    last = answer is { } got ? $"HTTP {got.Status}: {Shorten(got.Body)}" : "no HTTP answer";
                }
            }
            else if (info.Health == ContainerHealth.Healthy || (health is null && info.State == ContainerState.Running))
            {
                return;
            }
            else if (health?.Cmd is { } command && info.State == ContainerState.Running)
            {
                var check = await engine.Containers.ExecAsync(
                    step.Container,
                    new ExecRequest { Command = command, Timeout = health.Timeout?.Value ?? TimeSpan.FromSeconds(5), MaxOutputBytes = 4096 },
                    ct).ConfigureAwait(false);
                if (check.ExitCode == 0)
                {
                    return;
                }

                last = $"health check exit {check.ExitCode}: {Shorten(check.Stdout + check.Stderr)}";
            }
            else
            {
                last = $"health {info.Health}";
            }

            if (time.GetUtcNow() >= deadline)
            {
                throw new OperationFailedException(
                    CoreText.Format("ServiceUnhealthy", step.Service, (int)step.Timeout.TotalSeconds, last),
                    $"{step.Container}: {last}; last log lines:\n{await TailAsync(step.Container, ct).ConfigureAwait(false)}");
            }

            await Task.Delay(poll, time, ct).ConfigureAwait(false);
        }
    }

    private async Task RunHookAsync(AppInstance instance, RunHookStep step, CancellationToken ct)
    {
        var manifest = await ManifestAsync(instance, step.Version, ct).ConfigureAwait(false);
        var hooks = step.Moment == "sso" ? manifest.Sso.Steps : manifest.Hooks?.All().FirstOrDefault(h => h.Moment == step.Moment).Steps;
        var hook = hooks?.ElementAtOrDefault(step.Index)
            ?? throw new InvalidOperationException($"{manifest.Id} {step.Version} has no {step.Moment} step {step.Index + 1}.");
        var context = await ContextAsync(instance, manifest, ct).ConfigureAwait(false);
        if (step.Moment == "sso" && context.Sso is null)
        {
            // The panel's single sign-on went away since the plan was made (no provider where the
            // operation is resumed, or no panel address any more): the app keeps its own accounts.
            return;
        }

        var command = hook.Cmd.Select(a => AppEnvironment.Render(manifest, a, context)).ToList();
        var environment = (hook.Env ?? []).ToDictionary(kv => kv.Key, kv => AppEnvironment.Render(manifest, kv.Value, context), StringComparer.Ordinal);
        var timeout = hook.Timeout?.Value ?? TimeSpan.FromMinutes(5);
        var language = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        var label = hook.Description?.In(language) ?? string.Join(' ', hook.Cmd.Take(3));

        int exit;
        string stdout;
        string stderr;
        try
        {
            if (hook.Exec is { } service)
            {
                var result = await engine.Containers.ExecAsync(
                    ResourceNames.Container(instance.Name, service),
                    new ExecRequest { Command = command, Environment = environment, User = hook.User, Timeout = timeout },
                    ct).ConfigureAwait(false);
                (exit, stdout, stderr) = (result.ExitCode, result.Stdout, result.Stderr);
            }
            else
            {
                (exit, stdout, stderr) = await RunJobAsync(instance, manifest, hook, step, command, environment, timeout, ct).ConfigureAwait(false);
            }
        }
        catch (ContainerEngineException e)
        {
            // The engine's message may quote the rendered command, secrets included: only the
            // step's name goes to the journal.
            throw new OperationFailedException(CoreText.Format("HookFailed", label, "-"), $"{step.Moment} step {step.Index + 1}: {e.GetType().Name}", e);
        }

        if (exit != 0 && hook.IgnoreFailure != true)
        {
            throw new OperationFailedException(CoreText.Format("HookFailed", label, exit), $"{step.Moment} step {step.Index + 1} exited with {exit}: {Shorten(stderr.Length > 0 ? stderr : stdout)}");
        }

        if (hook.Capture is { } capture)
        {
            var match = Regex.Match(stdout, capture.Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
            if (!match.Success || match.Groups.Count < 2)
            {
                throw new OperationFailedException(CoreText.Format("HookFailed", label, exit), $"{step.Moment} step {step.Index + 1}: its output did not contain what the manifest captures ({capture.Output}).");
            }

            await secrets.SetAsync(instance.Name, $"outputs.{capture.Output}", match.Groups[1].Value, ct).ConfigureAwait(false);
        }
    }

    private async Task<(int Exit, string Stdout, string Stderr)> RunJobAsync(
        AppInstance instance, AppManifest manifest, HookStep hook, RunHookStep step, IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, CancellationToken ct)
    {
        var service = hook.Job!;
        var source = hook.Image == JobImage.Current ? await ManifestAsync(instance, instance.Version, ct).ConfigureAwait(false) : manifest;
        var serviceEnvironment = AppEnvironment.ForService(source, service, await ContextAsync(instance, manifest, ct).ConfigureAwait(false));
        var baseSpec = ContainerSpecBuilder.Build(source, service, instance, serviceEnvironment, ResourceNames.Container(instance.Name, service), sso?.Issuer);
        var name = ResourceNames.Job(instance.Name, service, step.Moment, step.Index);
        await engine.Containers.RemoveAsync(name, force: true, ct).ConfigureAwait(false);
        var id = await engine.Containers.CreateAsync(ContainerSpecBuilder.Job(baseSpec, name, command, environment), ct).ConfigureAwait(false);
        try
        {
            await engine.Containers.StartAsync(id, ct).ConfigureAwait(false);
            var exit = await engine.Containers.WaitAsync(id, timeout, ct).ConfigureAwait(false);
            var stdout = new StringBuilder();
            var stderr = new StringBuilder();
            await foreach (var line in engine.Containers.LogsAsync(id, 2000, follow: false, ct).ConfigureAwait(false))
            {
                (line.Stream == LogStream.Stdout ? stdout : stderr).AppendLine(line.Text);
            }

            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            await engine.Containers.RemoveAsync(id, force: true, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<string> TailAsync(string container, CancellationToken ct)
    {
        var lines = new List<string>();
        try
        {
            await foreach (var line in engine.Containers.LogsAsync(container, LogTailLines, follow: false, ct).ConfigureAwait(false))
            {
                lines.Add(line.Text);
            }
        }
        catch (ContainerEngineException e)
        {
            lines.Add($"(logs unavailable: {e.Message})");
        }

        return string.Join('\n', lines);
    }

    private Task<AppManifest> ManifestAsync(AppInstance instance, string version, CancellationToken ct) =>
        packages.ManifestAsync(instance.Name, version, ct);

    /// <summary>
    /// Registers the app's client at the panel's single sign-on, or brings it up to date (the
    /// registry keeps the same secret). Without a provider, or without an issuer — single sign-on
    /// went away since the plan was made — the app goes on with its own accounts.
    /// </summary>
    private async Task RegisterSsoClientAsync(AppInstance instance, EnsureSsoClientStep step, CancellationToken ct)
    {
        if (sso?.Issuer is null)
        {
            return;
        }

        var manifest = await ManifestAsync(instance, step.Version, ct).ConfigureAwait(false);
        if (!SsoPlanning.UsesPanelProvider(manifest))
        {
            return;
        }

        var context = await OwnContextAsync(instance, ct).ConfigureAwait(false);
        await sso.EnsureAsync(SsoPlanning.Request(manifest, instance, context), ct).ConfigureAwait(false);
    }

    /// <summary>What the app's placeholders resolve to (for the version it runs), read fresh from the secret store and the single sign-on provider.</summary>
    public Task<PlaceholderContext> ContextAsync(AppInstance instance, CancellationToken ct) => ContextAsync(instance, null, ct);

    /// <summary>
    /// What the app's placeholders resolve to, read fresh from the secret store; with the single
    /// sign-on values when the app has its client at the panel's provider. The client's redirect
    /// addresses are those of <paramref name="manifest"/> — the version the step works with, as
    /// the registration step of the same operation gave them — so asking for the secret never
    /// changes the client. Null: the manifest of the version the app runs.
    /// </summary>
    public async Task<PlaceholderContext> ContextAsync(AppInstance instance, AppManifest? manifest, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var context = await OwnContextAsync(instance, ct).ConfigureAwait(false);
        if (sso?.Issuer is null || !await sso.ExistsAsync(instance.Name, ct).ConfigureAwait(false))
        {
            return context;
        }

        manifest ??= await ManifestAsync(instance, instance.Version, ct).ConfigureAwait(false);
        if (!SsoPlanning.UsesPanelProvider(manifest))
        {
            return context;
        }

        // Idempotent: the registry returns the client's secret, kept encrypted on its side.
        var settings = await sso.EnsureAsync(SsoPlanning.Request(manifest, instance, context), ct).ConfigureAwait(false);
        return context with { Sso = settings };
    }

    /// <summary>The app's own placeholders: secrets, answers, outputs, address; no single sign-on.</summary>
    private async Task<PlaceholderContext> OwnContextAsync(AppInstance instance, CancellationToken ct)
    {
        var stored = await secrets.GetAllAsync(instance.Name, ct).ConfigureAwait(false);
        var generated = new Dictionary<string, GeneratedSecret>(StringComparer.Ordinal);
        var answers = new Dictionary<string, string>(instance.Answers, StringComparer.Ordinal);
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in stored)
        {
            var parts = key.Split('.');
            switch (parts)
            {
                case ["secrets", var name]:
                    generated[name] = new GeneratedSecret(value);
                    break;
                case ["secrets", var name, "private"]:
                    generated[name] = (generated.GetValueOrDefault(name) ?? new GeneratedSecret(null)) with { Private = value };
                    break;
                case ["secrets", var name, "public"]:
                    generated[name] = (generated.GetValueOrDefault(name) ?? new GeneratedSecret(null)) with { Public = value };
                    break;
                case ["q", var name]:
                    answers[name] = value;
                    break;
                case ["outputs", var name]:
                    outputs[name] = value;
                    break;
            }
        }

        return new PlaceholderContext
        {
            Instance = instance.Name,
            Domain = instance.Domain ?? $"{instance.Name}.invalid",
            Path = instance.Path,
            Secrets = generated,
            Answers = answers,
            Outputs = outputs,
        };
    }

    private static string Shorten(string text)
    {
        var oneLine = text.Trim().ReplaceLineEndings(" ");
        return oneLine.Length > 300 ? oneLine[..300] + "…" : oneLine;
    }
}
