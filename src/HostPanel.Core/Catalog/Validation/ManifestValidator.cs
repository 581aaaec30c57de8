using System.Globalization;
using System.Text.RegularExpressions;
using HostPanel.Core.Catalog.Loading;
using HostPanel.Core.Catalog.Model;

namespace HostPanel.Core.Catalog.Validation;

/// <summary>
/// The rules a well-formed manifest must also satisfy: references resolve, images are pinned,
/// nothing reaches outside the app, the upgrade path makes sense. Pure: the files an app ships
/// are read through <see cref="ReadAppFile"/>.
/// </summary>
public sealed partial class ManifestValidator
{
    /// <summary>Capabilities an ordinary app may add.</summary>
    public static readonly IReadOnlySet<string> AllowedCapabilities = new HashSet<string>(StringComparer.Ordinal)
    {
        "CHOWN", "DAC_OVERRIDE", "FOWNER", "SETUID", "SETGID", "NET_BIND_SERVICE", "KILL",
    };

    /// <summary>Capabilities only a host-stack app may add (media servers).</summary>
    public static readonly IReadOnlySet<string> HostStackCapabilities = new HashSet<string>(StringComparer.Ordinal)
    {
        "IPC_LOCK", "SYS_NICE", "SYS_RESOURCE", "NET_ADMIN", "NET_RAW", "NET_BROADCAST",
    };

    private static readonly HashSet<string> SsoPlaceholders = new(StringComparer.Ordinal) { "issuer", "client_id", "client_secret", "discovery_url" };
    private static readonly HashSet<string> SmtpPlaceholders = new(StringComparer.Ordinal) { "host", "port", "username", "password", "from", "security" };
    private static readonly HashSet<string> PlainPlaceholders = new(StringComparer.Ordinal) { "domain", "path", "url", "instance" };

    private readonly string _file;
    private readonly IReadOnlyDictionary<string, int> _lines;
    private readonly List<CatalogError> _errors;
    private AppManifest _m = null!;
    private HashSet<string> _captured = [];

    public ManifestValidator(string file, IReadOnlyDictionary<string, int> lines, List<CatalogError> errors)
    {
        _file = file;
        _lines = lines;
        _errors = errors;
    }

    /// <summary>Returns a file of the app's folder (path relative to it), or null when it does not exist.</summary>
    public Func<string, string?> ReadAppFile { get; init; } = _ => null;

    public void Validate(AppManifest manifest)
    {
        _m = manifest;
        _captured = [.. AllSteps().Select(s => s.Step.Capture?.Output).OfType<string>()];

        ValidateResources();
        ValidateQuestions();
        ValidateSecrets();
        ValidateEnvGroups();
        ValidateServices();
        ValidateNetworks();
        ValidateRoutes();
        ValidatePorts();
        ValidateHooks();
        ValidateUpgrade();
        ValidateBackup();
        ValidateSso();
        ValidateKind();
    }

    private void ValidateResources()
    {
        if (_m.Resources.RamRecommended is { } recommended && recommended.Bytes < _m.Resources.RamMin.Bytes)
        {
            Error("resources.ram_recommended", $"{recommended} is less than ram_min ({_m.Resources.RamMin}): the recommendation must be at least the minimum.");
        }
    }

    private void ValidateQuestions()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (_m.Questions?.Count ?? 0); i++)
        {
            var q = _m.Questions![i];
            var path = $"questions[{i}]";
            if (!ids.Add(q.Id))
            {
                Error($"{path}.id", $"the question id '{q.Id}' is used twice: give each question its own id.");
            }

            if (q.Type == QuestionType.Choice && (q.Choices is null || q.Choices.Count == 0))
            {
                Error($"{path}.choices", "a choice question needs its choices: add 'choices' with at least one { value, label }.");
            }

            if (q.Type != QuestionType.Choice && q.Choices is not null)
            {
                Error($"{path}.choices", $"only a 'choice' question has choices; this one is '{YamlBinder.SpellingOf(q.Type)}'. Remove 'choices' or change the type.");
            }

            if (q.Choices is not null && q.Choices.GroupBy(c => c.Value, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            {
                Error($"{path}.choices", $"the choice '{duplicate.Key}' appears twice: each value once.");
            }

            if ((q.Min is not null || q.Max is not null) && q.Type != QuestionType.Number)
            {
                Error($"{path}.min", "min and max apply to number questions only: remove them or use type: number.");
            }

            if (q.Min is { } min && q.Max is { } max && min > max)
            {
                Error($"{path}.min", $"min ({min.ToString(CultureInfo.InvariantCulture)}) is greater than max ({max.ToString(CultureInfo.InvariantCulture)}).");
            }

            if (q.MinLength is { } minLength && q.MaxLength is { } maxLength && minLength > maxLength)
            {
                Error($"{path}.min_length", $"min_length ({minLength}) is greater than max_length ({maxLength}).");
            }

            Regex? pattern = null;
            if (q.Pattern is not null)
            {
                if (q.Type is not (QuestionType.Text or QuestionType.Username or QuestionType.Password))
                {
                    Error($"{path}.pattern", "a pattern applies to text, username and password questions only.");
                }

                pattern = TryRegex(q.Pattern, $"{path}.pattern");
                if (q.PatternError is null)
                {
                    Error($"{path}.pattern_error", "a pattern needs a pattern_error: the message, in French and English, that tells a person what to type.");
                }
            }

            if (q.Default is { } answer)
            {
                var problem = QuestionRules.Check(q, answer, pattern);
                if (problem is not null)
                {
                    Error($"{path}.default", $"the default answer does not fit the question: {problem}");
                }
            }
        }
    }

    private void ValidateSecrets()
    {
        foreach (var (name, secret) in _m.Secrets ?? [])
        {
            var path = $"secrets.{name}";
            switch (secret.Generator)
            {
                case SecretGeneratorKind.Alnum:
                    if (secret.Length is null)
                    {
                        Error(path, "an alnum secret needs 'length' (characters), for example length: 32.");
                    }

                    if (secret.Bytes is not null)
                    {
                        Error($"{path}.bytes", "an alnum secret is measured in characters: use 'length', not 'bytes'.");
                    }

                    break;
                case SecretGeneratorKind.Hex or SecretGeneratorKind.Base64Url:
                    if (secret.Bytes is null)
                    {
                        Error(path, $"a {YamlBinder.SpellingOf(secret.Generator)} secret needs 'bytes' (random bytes before encoding), for example bytes: 32.");
                    }

                    if (secret.Length is not null)
                    {
                        Error($"{path}.length", $"a {YamlBinder.SpellingOf(secret.Generator)} secret is measured in random bytes: use 'bytes', not 'length'.");
                    }

                    break;
                case SecretGeneratorKind.VapidP256:
                    if (secret.Length is not null || secret.Bytes is not null)
                    {
                        Error(path, "a vapid-p256 key pair has a fixed size: remove 'length' and 'bytes'.");
                    }

                    break;
            }
        }
    }

    private void ValidateEnvGroups()
    {
        foreach (var (group, variables) in _m.Env ?? [])
        {
            foreach (var (name, value) in variables)
            {
                if (!IsEnvName(name))
                {
                    Error($"env.{group}.{name}", $"'{name}' is not a valid variable name: {Patterns.EnvVarHint}.");
                }

                CheckTemplate(value, $"env.{group}.{name}");
            }
        }
    }

    private void ValidateServices()
    {
        var services = _m.Services;
        if (services.Count == 0)
        {
            Error("services", "an app needs at least one service.");
        }

        var usedVolumes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, service) in services)
        {
            var path = $"services.{name}";
            CheckImage(service, path);

            foreach (var (group, i) in (service.EnvFrom ?? []).Select((g, i) => (g, i)))
            {
                if (_m.Env is null || !_m.Env.ContainsKey(group))
                {
                    Error($"{path}.env_from[{i}]", $"there is no env group '{group}': define it under the top-level 'env' or remove it.{Known(_m.Env?.Keys)}");
                }
            }

            foreach (var (variable, value) in service.Env ?? [])
            {
                CheckTemplate(value, $"{path}.env.{variable}");
            }

            CheckTemplates(service.Command, $"{path}.command");
            CheckTemplates(service.Entrypoint, $"{path}.entrypoint");

            var mountPaths = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < (service.Mounts?.Count ?? 0); i++)
            {
                var mount = service.Mounts![i];
                if (_m.Volumes is null || !_m.Volumes.ContainsKey(mount.Volume))
                {
                    Error($"{path}.mounts[{i}].volume", $"there is no volume '{mount.Volume}': declare it under the top-level 'volumes'.{Known(_m.Volumes?.Keys)}");
                }

                usedVolumes.Add(mount.Volume);
                if (!mountPaths.Add(mount.Path))
                {
                    Error($"{path}.mounts[{i}].path", $"{mount.Path} is mounted twice in this service.");
                }

                if (mount.Path.Split('/').Contains(".."))
                {
                    Error($"{path}.mounts[{i}].path", "a mount path may not contain '..'.");
                }
            }

            for (var i = 0; i < (service.Files?.Count ?? 0); i++)
            {
                var file = service.Files![i];
                var content = file.Template.Split('/').Contains("..") ? null : ReadAppFile(file.Template);
                if (content is null)
                {
                    Error($"{path}.files[{i}].template", $"the template {file.Template} is not in the app's folder: add the file or fix the path.");
                }
                else
                {
                    CheckTemplate(content, $"{path}.files[{i}].template ({file.Template})");
                }

                if (!mountPaths.Add(file.Path))
                {
                    Error($"{path}.files[{i}].path", $"{file.Path} is already used by another mount or file of this service.");
                }
            }

            if (service.Health is { } health)
            {
                if ((health.Http is null) == (health.Cmd is null))
                {
                    Error($"{path}.health", "a health check is either 'http' or 'cmd': give exactly one of them.");
                }

                if (health.Cmd is { Count: 0 })
                {
                    Error($"{path}.health.cmd", "the health command is empty.");
                }
            }

            foreach (var (dependency, _) in service.DependsOn ?? [])
            {
                if (dependency == name)
                {
                    Error($"{path}.depends_on.{dependency}", "a service cannot depend on itself.");
                }
                else if (!services.ContainsKey(dependency))
                {
                    Error($"{path}.depends_on.{dependency}", $"there is no service '{dependency}'.{Known(services.Keys)}");
                }
                else if (service.DependsOn![dependency] == DependencyCondition.Healthy && services[dependency].Health is null)
                {
                    Error($"{path}.depends_on.{dependency}", $"waits for '{dependency}' to be healthy, but '{dependency}' has no health check: add one, or wait for 'started'.");
                }
            }

            for (var i = 0; i < (service.CapAdd?.Count ?? 0); i++)
            {
                var capability = service.CapAdd![i];
                if (HostStackCapabilities.Contains(capability))
                {
                    if (_m.EffectiveKind != AppKind.HostStack)
                    {
                        Error($"{path}.cap_add[{i}]", $"{capability} is allowed only in a host-stack app (kind: host-stack); an ordinary app cannot have it.");
                    }
                }
                else if (!AllowedCapabilities.Contains(capability))
                {
                    Error($"{path}.cap_add[{i}]", $"{capability} is not on the allow-list ({string.Join(", ", AllowedCapabilities.Order(StringComparer.Ordinal))}; host-stack apps also {string.Join(", ", HostStackCapabilities.Order(StringComparer.Ordinal))}).");
                }
            }

            if (service.NetworkMode is { } mode)
            {
                if (mode != "host")
                {
                    Error($"{path}.network_mode", $"'{mode}' is not allowed: HostPanel gives every service its app's networks; only 'host' exists, for host-stack apps.");
                }
                else if (_m.EffectiveKind != AppKind.HostStack)
                {
                    Error($"{path}.network_mode", "host networking is allowed only in a host-stack app (kind: host-stack), installed after an administrator's confirmation.");
                }
            }

            for (var i = 0; i < (service.Tmpfs?.Count ?? 0); i++)
            {
                if (!service.Tmpfs![i].StartsWith('/'))
                {
                    Error($"{path}.tmpfs[{i}]", $"'{service.Tmpfs[i]}' is not an absolute path inside the container.");
                }
            }

            foreach (var (limit, value) in service.Ulimits ?? [])
            {
                if (value.Soft > value.Hard)
                {
                    Error($"{path}.ulimits.{limit}", $"soft ({value.Soft}) is greater than hard ({value.Hard}).");
                }
            }
        }

        foreach (var (volume, _) in _m.Volumes ?? [])
        {
            if (!usedVolumes.Contains(volume))
            {
                Error($"volumes.{volume}", $"no service mounts the volume '{volume}': mount it or remove it.");
            }
        }

        if (FindCycle() is { } cycle)
        {
            Error($"services.{cycle[0]}.depends_on", $"services wait for each other in a circle ({string.Join(" → ", cycle)}): none of them could ever start. Remove one of these dependencies.");
        }
    }

    private void CheckImage(ServiceDefinition service, string path)
    {
        var image = service.Image;
        var match = ImageRegex().Match(image);
        if (!match.Success)
        {
            Error($"{path}.image", $"'{image}' is not an image reference: write registry/name:tag, for example postgres:18.1-alpine.");
            return;
        }

        var tag = match.Groups["tag"];
        CheckKnownLayout(service, match.Groups["name"].Value, tag.Success ? tag.Value : null, path);
        if (!tag.Success)
        {
            Error($"{path}.image", $"'{image}' has no tag: pin an exact version, for example {image}:1.2.3 — an untagged image means 'latest' and changes under your feet.");
        }
        else if (string.Equals(tag.Value, "latest", StringComparison.OrdinalIgnoreCase))
        {
            Error($"{path}.image", $"'{image}' uses the 'latest' tag: pin an exact version instead, so that an update is a deliberate step.");
        }
    }

    /// <summary>
    /// Images whose data folder is known: mounting the volume elsewhere leaves the data in an
    /// anonymous volume that the next update throws away.
    /// </summary>
    private void CheckKnownLayout(ServiceDefinition service, string name, string? tag, string path)
    {
        if (name is not ("postgres" or "library/postgres") || tag is null || service.Mounts is not { Count: > 0 } mounts
            || !int.TryParse(tag.Split('.', '-')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major))
        {
            return;
        }

        var expected = major >= 18 ? "/var/lib/postgresql" : "/var/lib/postgresql/data";
        if (!mounts.Any(m => m.Path == expected))
        {
            Error($"{path}.mounts", $"PostgreSQL {major} keeps its data in {expected}: mount the database volume there, or the data lands in an anonymous volume and is lost at the next update.");
        }
    }

    private List<string>? FindCycle()
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new List<string>();
        foreach (var name in _m.Services.Keys)
        {
            if (Visit(name) is { } cycle)
            {
                return cycle;
            }
        }

        return null;

        List<string>? Visit(string node)
        {
            if (state.TryGetValue(node, out var s))
            {
                return s == 1 ? [.. stack.Skip(stack.IndexOf(node)), node] : null;
            }

            state[node] = 1;
            stack.Add(node);
            foreach (var dependency in _m.Services.GetValueOrDefault(node)?.DependsOn?.Keys ?? Enumerable.Empty<string>())
            {
                if (dependency != node && _m.Services.ContainsKey(dependency) && Visit(dependency) is { } found)
                {
                    return found;
                }
            }

            stack.RemoveAt(stack.Count - 1);
            state[node] = 2;
            return null;
        }
    }

    private void ValidateNetworks()
    {
        for (var i = 0; i < (_m.Networks?.Egress?.Count ?? 0); i++)
        {
            var service = _m.Networks!.Egress![i];
            if (!_m.Services.ContainsKey(service))
            {
                Error($"networks.egress[{i}]", $"there is no service '{service}'.{Known(_m.Services.Keys)}");
            }
        }
    }

    private void ValidateRoutes()
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (_m.Routes?.Count ?? 0); i++)
        {
            var route = _m.Routes![i];
            var path = $"routes[{i}]";
            var normalized = route.Path.Length > 1 ? route.Path.TrimEnd('/') : route.Path;
            if (!paths.Add(normalized))
            {
                Error($"{path}.path", $"the path {route.Path} is routed twice: each path goes to one service.");
            }

            if (!_m.Services.TryGetValue(route.Service, out var service))
            {
                Error($"{path}.service", $"there is no service '{route.Service}'.{Known(_m.Services.Keys)}");
            }
            else if (service.NetworkMode == "host")
            {
                Error($"{path}.service", $"'{route.Service}' uses the host's network; the edge proxy routes only to services on the app's network.");
            }
        }

        if (_m.Domain.Required && (_m.Routes is null || _m.Routes.Count == 0))
        {
            Error("routes", "the app needs an address (domain.required: true) but has no route: add at least { path: /, service: …, port: … }.");
        }
    }

    private void ValidatePorts()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var taken = new List<(int From, int To, Protocol Protocol, string Name)>();
        for (var i = 0; i < (_m.Ports?.Count ?? 0); i++)
        {
            var port = _m.Ports![i];
            var path = $"ports[{i}]";
            if (!names.Add(port.Name))
            {
                Error($"{path}.name", $"the port name '{port.Name}' is used twice.");
            }

            if (!_m.Services.ContainsKey(port.Service))
            {
                Error($"{path}.service", $"there is no service '{port.Service}'.{Known(_m.Services.Keys)}");
            }

            var end = port.End ?? port.Port;
            if (end < port.Port)
            {
                Error($"{path}.end", $"the range ends ({end}) before it starts ({port.Port}).");
                continue;
            }

            if (taken.FirstOrDefault(t => t.Protocol == port.Protocol && t.From <= end && port.Port <= t.To) is { Name: not null } clash)
            {
                Error($"{path}.port", $"{YamlBinder.SpellingOf(port.Protocol).ToUpperInvariant()} port {port.Port}{(end != port.Port ? $"–{end}" : string.Empty)} is already published by '{clash.Name}'.");
            }

            taken.Add((port.Port, end, port.Protocol, port.Name));
        }
    }

    private void ValidateHooks()
    {
        foreach (var (path, step) in AllSteps())
        {
            ValidateStep(step, path);
        }
    }

    private IEnumerable<(string Path, HookStep Step)> AllSteps()
    {
        foreach (var (moment, steps) in _m.Hooks?.All() ?? [])
        {
            for (var i = 0; i < steps.Count; i++)
            {
                yield return ($"hooks.{moment}[{i}]", steps[i]);
            }
        }

        for (var i = 0; i < (_m.Sso.Steps?.Count ?? 0); i++)
        {
            yield return ($"sso.steps[{i}]", _m.Sso.Steps![i]);
        }
    }

    private void ValidateStep(HookStep step, string path)
    {
        if ((step.Exec is null) == (step.Job is null))
        {
            Error(path, "a step is either 'exec: SERVICE' (in a running service) or 'job: SERVICE' (a one-off container): give exactly one.");
        }

        var service = step.Exec ?? step.Job;
        if (service is not null && !_m.Services.ContainsKey(service))
        {
            Error($"{path}.{(step.Exec is not null ? "exec" : "job")}", $"there is no service '{service}'.{Known(_m.Services.Keys)}");
        }

        if (step.Image is not null && step.Job is null)
        {
            Error($"{path}.image", "'image' chooses the image of a job; an exec runs in the service as it is. Remove it.");
        }

        CheckTemplates(step.Cmd, $"{path}.cmd");
        foreach (var (variable, value) in step.Env ?? [])
        {
            CheckTemplate(value, $"{path}.env.{variable}");
        }

        if (step.Capture is { } capture && TryRegex(capture.Pattern, $"{path}.capture.pattern") is { } regex && regex.GetGroupNumbers().Length < 2)
        {
            Error($"{path}.capture.pattern", "the pattern has no group: put the part to keep in parentheses, for example \"password: (\\S+)\".");
        }
    }

    private void ValidateUpgrade()
    {
        var upgrade = _m.Upgrade;
        if (upgrade.Downgrade == true)
        {
            Error("upgrade.downgrade", "downgrades are not supported: data migrated by a newer version cannot be read by an older one. Set it to false or remove it.");
        }

        if (upgrade.Path is { Count: > 0 } steps)
        {
            var parsed = new List<AppVersion>();
            for (var i = 0; i < steps.Count; i++)
            {
                if (!AppVersion.TryParse(steps[i], out var version))
                {
                    Error($"upgrade.path[{i}]", $"'{steps[i]}' is not a version made of numbers, such as 33.0.7.");
                    return;
                }

                if (parsed.Count > 0 && version.CompareTo(parsed[^1]) <= 0)
                {
                    Error($"upgrade.path[{i}]", $"{steps[i]} does not come after {steps[i - 1]}: list the versions oldest first.");
                }

                if (parsed.Count > 0 && upgrade.Policy == UpgradePolicy.EveryMajor && version.Major > parsed[^1].Major + 1)
                {
                    Error($"upgrade.path[{i}]", $"jumps from major {parsed[^1].Major} to {version.Major}: with policy every-major, add a version of each major in between.");
                }

                if (parsed.Count > 0 && upgrade.Policy == UpgradePolicy.EveryMinor && version.Major == parsed[^1].Major && version.Minor > parsed[^1].Minor + 1)
                {
                    Error($"upgrade.path[{i}]", $"jumps from {parsed[^1].Major}.{parsed[^1].Minor} to {version.Major}.{version.Minor}: with policy every-minor, add a version of each minor in between.");
                }

                parsed.Add(version);
            }

            if (steps[^1] != _m.Version)
            {
                Error($"upgrade.path[{steps.Count - 1}]", $"the path ends at {steps[^1]} but the app's version is {_m.Version}: the last step must be the version itself.");
            }
        }
        else if (upgrade.Policy != UpgradePolicy.Any)
        {
            Error("upgrade.path", $"policy {YamlBinder.SpellingOf(upgrade.Policy)} needs a path: list the versions an upgrade passes through, ending with {_m.Version}.");
        }

        foreach (var (version, _) in upgrade.Notes ?? [])
        {
            if (!AppVersion.TryParse(version, out _))
            {
                Error($"upgrade.notes.{version}", $"'{version}' is not a version made of numbers, such as 34.0.0.");
            }
        }
    }

    private void ValidateBackup()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (_m.Backup.Databases?.Count ?? 0); i++)
        {
            var database = _m.Backup.Databases![i];
            var path = $"backup.databases[{i}]";
            if (!names.Add(database.Name))
            {
                Error($"{path}.name", $"the database name '{database.Name}' is used twice.");
            }

            if (!_m.Services.ContainsKey(database.Service))
            {
                Error($"{path}.service", $"there is no service '{database.Service}'.{Known(_m.Services.Keys)}");
            }

            CheckTemplates(database.Dump, $"{path}.dump");
            CheckTemplates(database.Restore, $"{path}.restore");
            foreach (var (variable, value) in database.Env ?? [])
            {
                CheckTemplate(value, $"{path}.env.{variable}");
            }
        }

        var databaseVolumes = (_m.Volumes ?? []).Where(v => v.Value.Backup == BackupClass.Database).Select(v => v.Key).ToList();
        if (databaseVolumes.Count > 0 && names.Count == 0)
        {
            Error("backup.databases", $"the volume{(databaseVolumes.Count > 1 ? "s" : string.Empty)} {string.Join(", ", databaseVolumes)} hold{(databaseVolumes.Count > 1 ? string.Empty : "s")} a database, but no dump is described: add backup.databases, or a backup would miss the data.");
        }

        if (_m.Backup.Probe is { } probe)
        {
            if (!_m.Services.ContainsKey(probe.Service))
            {
                Error("backup.probe.service", $"there is no service '{probe.Service}'.{Known(_m.Services.Keys)}");
            }

            CheckTemplates(probe.Cmd, "backup.probe.cmd");
            foreach (var (variable, value) in probe.Env ?? [])
            {
                CheckTemplate(value, $"backup.probe.env.{variable}");
            }
        }

        if (_m.Backup.Maintenance == true && (_m.Hooks?.PreBackup is null || _m.Hooks.PostBackup is null))
        {
            Error("backup.maintenance", "maintenance during backups needs hooks.pre_backup (turn it on) and hooks.post_backup (turn it off).");
        }
    }

    private void ValidateSso()
    {
        var sso = _m.Sso;
        var oidc = sso.Mode is SsoMode.OidcEnv or SsoMode.OidcCommand;
        if (oidc && (sso.RedirectUris is null || sso.RedirectUris.Count == 0))
        {
            Error("sso.redirect_uris", "single sign-on by OIDC needs the app's redirect address(es), for example [\"${url}/auth/callback\"].");
        }

        if (!oidc && (sso.RedirectUris is not null || sso.Scopes is not null))
        {
            Error("sso.redirect_uris", "redirect_uris and scopes describe an OIDC client: they belong with mode oidc-env or oidc-command.");
        }

        if (sso.Mode == SsoMode.OidcEnv)
        {
            if (sso.Env is null || sso.Env.Count == 0)
            {
                Error("sso.env", "mode oidc-env needs the environment variables that turn OIDC on: add 'env'.");
            }

            if (sso.Services is null || sso.Services.Count == 0)
            {
                Error("sso.services", "mode oidc-env needs the services that receive the variables: add 'services'.");
            }
        }
        else if (sso.Env is not null || sso.Services is not null)
        {
            Error("sso.env", "'env' and 'services' are for mode oidc-env only.");
        }

        if (sso.Mode == SsoMode.OidcCommand && (sso.Steps is null || sso.Steps.Count == 0))
        {
            Error("sso.steps", "mode oidc-command needs the steps that configure the app: add 'steps'.");
        }
        else if (sso.Mode != SsoMode.OidcCommand && sso.Steps is not null)
        {
            Error("sso.steps", "'steps' are for mode oidc-command only.");
        }

        if (sso.Mode == SsoMode.Manual && sso.Instructions is null)
        {
            Error("sso.instructions", "mode manual needs instructions: tell the administrator, in French and English, what to do.");
        }

        for (var i = 0; i < (sso.Services?.Count ?? 0); i++)
        {
            if (!_m.Services.ContainsKey(sso.Services![i]))
            {
                Error($"sso.services[{i}]", $"there is no service '{sso.Services[i]}'.{Known(_m.Services.Keys)}");
            }
            else if (_m.Networks?.Egress?.Contains(sso.Services[i]) != true)
            {
                Error($"sso.services[{i}]", $"service '{sso.Services[i]}' talks to the panel's sign-in service (discovery, code exchange), which an internal network cannot reach: add it to networks.egress.");
            }
        }

        for (var i = 0; i < (sso.Steps?.Count ?? 0); i++)
        {
            if (sso.Steps![i].Exec is { } service && _m.Services.ContainsKey(service) && _m.Networks?.Egress?.Contains(service) != true)
            {
                Error($"sso.steps[{i}].exec", $"service '{service}' configures single sign-on and the app then talks to the panel's sign-in service from it, which an internal network cannot reach: add it to networks.egress.");
            }
        }

        CheckTemplates(sso.RedirectUris, "sso.redirect_uris");
        foreach (var (variable, value) in sso.Env ?? [])
        {
            CheckTemplate(value, $"sso.env.{variable}");
        }
    }

    private void ValidateKind()
    {
        if (_m.EffectiveKind == AppKind.HostStack && _m.HostStack is null)
        {
            Error("host_stack", "a host-stack app needs 'host_stack' with the confirmation text and the preflight an administrator must pass.");
        }

        if (_m.EffectiveKind != AppKind.HostStack && _m.HostStack is not null)
        {
            Error("host_stack", "'host_stack' belongs to kind: host-stack apps only.");
        }

        foreach (var (i, range) in (_m.HostStack?.Preflight.FreePorts ?? []).Select((r, i) => (i, r)))
        {
            if (range.End is { } end && end < range.Port)
            {
                Error($"host_stack.preflight.free_ports[{i}].end", $"the range ends ({end}) before it starts ({range.Port}).");
            }
        }
    }

    private void CheckTemplates(IEnumerable<string>? values, string path)
    {
        var i = 0;
        foreach (var value in values ?? [])
        {
            CheckTemplate(value, $"{path}[{i++}]");
        }
    }

    private void CheckTemplate(string value, string path)
    {
        var (found, error) = Placeholders.Parse(value);
        if (error is not null)
        {
            Error(path, error);
            return;
        }

        foreach (var placeholder in found)
        {
            if (Unknown(placeholder.Expression) is { } problem)
            {
                Error(path, problem);
            }
        }
    }

    /// <summary>Why a placeholder cannot be resolved, or null when it can.</summary>
    private string? Unknown(string expression)
    {
        var parts = expression.Split('.');
        if (parts.Length == 1 && PlainPlaceholders.Contains(expression))
        {
            return null;
        }

        switch (parts[0])
        {
            case "secrets" when parts.Length is 2 or 3:
                if (_m.Secrets is null || !_m.Secrets.TryGetValue(parts[1], out var secret))
                {
                    return $"${{{expression}}} refers to a secret '{parts[1]}' that is not defined under 'secrets'.{Known(_m.Secrets?.Keys)}";
                }

                var pair = secret.Generator == SecretGeneratorKind.VapidP256;
                if (pair && (parts.Length == 2 || parts[2] is not ("private" or "public")))
                {
                    return $"${{{expression}}}: '{parts[1]}' is a key pair; write ${{secrets.{parts[1]}.private}} or ${{secrets.{parts[1]}.public}}.";
                }

                return !pair && parts.Length == 3 ? $"${{{expression}}}: '{parts[1]}' is a single value; write ${{secrets.{parts[1]}}}." : null;
            case "q" when parts.Length == 2:
                return _m.Questions?.Any(q => q.Id == parts[1]) == true
                    ? null
                    : $"${{{expression}}} refers to a question '{parts[1]}' that is not asked under 'questions'.{Known(_m.Questions?.Select(q => q.Id))}";
            case "outputs" when parts.Length == 2:
                return _captured.Contains(parts[1])
                    ? null
                    : $"${{{expression}}} refers to an output '{parts[1]}' that no hook step captures (capture: {{ output: {parts[1]}, … }}).";
            case "sso" when parts.Length == 2:
                return SsoPlaceholders.Contains(parts[1]) ? null : $"${{{expression}}} is not known: use one of {string.Join(", ", SsoPlaceholders.Select(p => $"${{sso.{p}}}"))}.";
            case "smtp" when parts.Length == 2:
                return SmtpPlaceholders.Contains(parts[1]) ? null : $"${{{expression}}} is not known: use one of {string.Join(", ", SmtpPlaceholders.Select(p => $"${{smtp.{p}}}"))}.";
            case "service" when parts.Length == 2:
                return _m.Services.ContainsKey(parts[1]) ? null : $"${{{expression}}} refers to a service '{parts[1]}' that does not exist.{Known(_m.Services.Keys)}";
            default:
                return $"${{{expression}}} is not a known placeholder: use ${{domain}}, ${{path}}, ${{url}}, ${{instance}}, ${{secrets.NAME}}, ${{q.NAME}}, ${{outputs.NAME}}, ${{sso.…}}, ${{smtp.…}} or ${{service.NAME}}; write $${{ for a literal '${{'.";
        }
    }

    private Regex? TryRegex(string pattern, string path)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            Error(path, $"'{YamlBinder.Shorten(pattern)}' is not a valid regular expression: {e.Message}");
            return null;
        }
    }

    private static bool IsEnvName(string name) => EnvNameRegex().IsMatch(name);

    private static string Known(IEnumerable<string>? names)
    {
        var list = names?.Take(12).ToList();
        return list is { Count: > 0 } ? $" Known: {string.Join(", ", list)}." : string.Empty;
    }

    private void Error(string path, string message) =>
        _errors.Add(new CatalogError(_file, LineOf(path), path, message));

    /// <summary>The line of the field, or of its nearest parent that was read.</summary>
    private int? LineOf(string path)
    {
        var candidate = path;
        while (candidate.Length > 0)
        {
            if (_lines.TryGetValue(candidate, out var line))
            {
                return line;
            }

            var cut = Math.Max(candidate.LastIndexOf('.'), candidate.LastIndexOf('['));
            candidate = cut > 0 ? candidate[..cut] : string.Empty;
        }

        return null;
    }

    [GeneratedRegex(@"^(?:(?<registry>[a-zA-Z0-9.-]+(?::[0-9]+)?)/)?(?<name>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex ImageRegex();

    [GeneratedRegex(Patterns.EnvVar, RegexOptions.CultureInvariant)]
    private static partial Regex EnvNameRegex();
}
