using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Backups;
using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Configuration;
using HostPanel.Core.Domains;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Handover;

/// <summary>
/// Builds the runbook ("carnet de bord") from the real state, for one organization (its
/// administrators) or for the whole server (hoster administrators): apps and the DNS records they
/// need, where the backups are and how to restore them — with HostPanel and with plain restic —,
/// the people and the recovery kit, the external accounts, the last operations and what differs
/// from the defaults. Nothing is stored: each call reads the state again. No secret is read:
/// the backup location comes without its password, the apps without their answers.
/// </summary>
public sealed partial class RunbookService(
    AccessControl access,
    AppOverview overview,
    IInstanceStore instances,
    IPackageArchive packages,
    IContainerEngine engine,
    IServerAddresses serverAddresses,
    BackupRepositories repositories,
    IMembershipStore memberships,
    IPeopleDirectory people,
    IQuotaStore quotas,
    OperationHistory history,
    IRecoveryKitState recoveryKit,
    IExternalAccounts externalAccounts,
    IBusFactorChecks busFactor,
    HostPanelOptions options,
    TimeProvider time)
{
    /// <summary>How many operations the "last operations" section shows.</summary>
    public const int OperationCount = 15;

    /// <summary>The file the plain-restic steps ask the reader to create, holding only the repository password.</summary>
    public const string PasswordFile = "\"$HOME/restic-password\"";

    /// <summary>Where the plain-restic steps restore an app's backup (a folder per app below it).</summary>
    public const string RestoreDirectory = "\"$HOME/hostpanel-restore\"";

    /// <summary>
    /// The runbook of <paramref name="organizationId"/> (its administrators and hoster
    /// administrators), or of the whole server when null (hoster administrators; an administrator
    /// of exactly one organization gets that one). Members are refused.
    /// </summary>
    public async Task<RunbookDocument> BuildAsync(Caller caller, string? organizationId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var (scope, covered) = await ScopeAsync(caller, organizationId, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var orgIds = covered.Select(o => o.Id).ToList();
        var scopeOrg = scope == RunbookScope.Organization ? orgIds[0] : null;

        var tiles = new List<AppTile>();
        foreach (var org in orgIds)
        {
            tiles.AddRange(await overview.ListAsync(caller, org, ct).ConfigureAwait(false));
        }

        var apps = new List<AppFacts>();
        foreach (var tile in tiles.OrderBy(t => t.OrganizationId, StringComparer.Ordinal).ThenBy(t => t.Instance, StringComparer.Ordinal))
        {
            apps.Add(await FactsAsync(tile, ct).ConfigureAwait(false));
        }

        var places = new Dictionary<string, BackupPlace>(StringComparer.Ordinal);
        foreach (var org in orgIds)
        {
            places[org] = await repositories.PlaceAsync(org, ct).ConfigureAwait(false);
        }

        IReadOnlyList<IPAddress> addresses;
        try
        {
            addresses = await serverAddresses.GetAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or InvalidOperationException)
        {
            addresses = [];
        }

        var sections = new List<RunbookSection>
        {
            await SummaryAsync(caller, scopeOrg, covered, addresses, now, ct).ConfigureAwait(false),
            AppsSection(apps, covered, addresses),
            BackupsSection(apps, covered, places),
            RestoreSection(apps, covered, places),
            await PeopleSectionAsync(scope, covered, ct).ConfigureAwait(false),
            await AccountsSectionAsync(caller, covered, ct).ConfigureAwait(false),
            await OperationsSectionAsync(caller, scopeOrg, ct).ConfigureAwait(false),
            await DeviationsSectionAsync(covered, places, ct).ConfigureAwait(false),
        };

        var title = scope == RunbookScope.Server
            ? T("TitleServer")
            : F("TitleOrganization", covered[0].Name);
        return new RunbookDocument(title, now, scope, scopeOrg, CultureInfo.CurrentUICulture.TwoLetterISOLanguageName, sections);
    }

    private async Task<(RunbookScope Scope, IReadOnlyList<Organization> Covered)> ScopeAsync(Caller caller, string? organizationId, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(organizationId))
        {
            var organization = await access.OrganizationAsync(caller, organizationId.Trim(), OrganizationRole.Administrator, ct).ConfigureAwait(false);
            return (RunbookScope.Organization, [organization]);
        }

        var visible = await access.OrganizationsAsync(caller, ct).ConfigureAwait(false);
        if (caller.IsHosterAdministrator)
        {
            return (RunbookScope.Server, [.. visible.OrderBy(o => o.Id, StringComparer.Ordinal)]);
        }

        var administered = visible.Where(o => caller.RoleIn(o.Id) == OrganizationRole.Administrator).ToList();
        if (administered.Count == 1)
        {
            return (RunbookScope.Organization, administered);
        }

        if (administered.Count == 0)
        {
            throw new AccessDeniedException(CoreText.Get("NeedsOrganizationAdministrator"));
        }

        throw new AppRequestException("org", F("NeedsOrganization", string.Join(", ", administered.Select(o => o.Id))));
    }

    /// <summary>What the runbook says about one app besides its tile: the volumes backed up, their place on this server, the databases.</summary>
    private sealed record AppFacts(AppTile Tile, string Path, IReadOnlyList<(string Key, string Volume, string? Mountpoint)> Volumes, IReadOnlyList<DatabaseDump> Databases);

    private async Task<AppFacts> FactsAsync(AppTile tile, CancellationToken ct)
    {
        var instance = await instances.FindAsync(tile.Instance, ct).ConfigureAwait(false);
        AppManifest? manifest = null;
        try
        {
            manifest = await packages.ManifestAsync(tile.Instance, tile.Version, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or IOException or FileNotFoundException)
        {
            // An app whose package is unreadable still gets its line; its restore steps say less.
        }

        var keys = manifest is null ? [] : BackupPlanner.FileVolumes(manifest);
        Dictionary<string, string?> mountpoints;
        try
        {
            mountpoints = (await engine.Volumes.ListAsync(LabelFilter.Managed.And(HostPanelLabels.Instance, tile.Instance), ct).ConfigureAwait(false))
                .ToDictionary(v => v.Name, v => v.Mountpoint, StringComparer.Ordinal);
        }
        catch (ContainerEngineException)
        {
            mountpoints = new Dictionary<string, string?>(StringComparer.Ordinal);
        }

        var volumes = keys.Select(k => (k, ResourceNames.Volume(tile.Instance, k), mountpoints.GetValueOrDefault(ResourceNames.Volume(tile.Instance, k)))).ToList();
        return new AppFacts(tile, instance?.Path ?? "/", volumes, manifest?.Backup?.Databases ?? []);
    }

    private async Task<RunbookSection> SummaryAsync(Caller caller, string? scopeOrg, IReadOnlyList<Organization> covered, IReadOnlyList<IPAddress> addresses, DateTimeOffset now, CancellationToken ct)
    {
        var blocks = new List<RunbookBlock>
        {
            new RunbookParagraph(T("SummaryIntro")),
            new RunbookTable(T("ColumnWhat"), T("ColumnValue"),
            [
                new(T("PanelAddress"), string.IsNullOrWhiteSpace(options.PanelUrl) ? T("PanelAddressUnset") : options.PanelUrl),
                new(T("ServerAddresses"), addresses.Count == 0 ? T("ServerAddressesUnknown") : string.Join(", ", addresses)),
                new(T("GeneratedAt"), When(now)),
                new(T("OrganizationsCovered"), string.Join(", ", covered.Select(o => o.Name == o.Id ? o.Id : $"{o.Name} ({o.Id})"))),
            ]),
            new RunbookSubheading(T("BusFactorHeading")),
        };

        var findings = await busFactor.CheckAsync(caller, scopeOrg, ct).ConfigureAwait(false);
        blocks.Add(findings.Count == 0
            ? new RunbookParagraph(T("BusFactorNone"))
            : new RunbookList([.. findings.Select(f => F("BusFactorItem", f.Problem, f.Fix))]));
        return new RunbookSection(RunbookSections.Summary, T("SectionSummary"), blocks);
    }

    private static RunbookSection AppsSection(IReadOnlyList<AppFacts> apps, IReadOnlyList<Organization> covered, IReadOnlyList<IPAddress> addresses)
    {
        var blocks = new List<RunbookBlock>();
        if (apps.Count == 0)
        {
            blocks.Add(new RunbookParagraph(T("AppsNone")));
        }

        foreach (var app in apps)
        {
            var tile = app.Tile;
            blocks.Add(new RunbookSubheading(covered.Count > 1 ? F("AppHeadingWithOrganization", tile.Instance, tile.OrganizationId) : tile.Instance));
            List<RunbookRow> rows =
            [
                new(T("AppPackage"), F("AppPackageValue", tile.AppName, tile.AppId, tile.Version)),
                new(T("AppAddress"), tile.Domain is { } domain ? $"https://{Unicode(domain)}{(app.Path == "/" ? "/" : app.Path)}" : T("AppNoAddress")),
            ];
            if (tile.Domain is { } name)
            {
                rows.Add(new(T("AppDnsRecords"), addresses.Count == 0
                    ? F("AppDnsUnknownAddress", name)
                    : string.Join("; ", addresses.Select(a => $"{(a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "AAAA" : "A")} {name} → {a}"))));
            }

            rows.Add(new(T("AppState"), F("AppStateValue", StateWord(tile.State), HealthWord(tile.Health))));
            if (tile.AvailableVersion is { } newer)
            {
                rows.Add(new(T("AppUpdate"), newer));
            }

            blocks.Add(new RunbookTable(T("ColumnWhat"), T("ColumnValue"), rows));
        }

        return new RunbookSection(RunbookSections.Apps, T("SectionApps"), blocks);
    }

    private RunbookSection BackupsSection(IReadOnlyList<AppFacts> apps, IReadOnlyList<Organization> covered, IReadOnlyDictionary<string, BackupPlace> places)
    {
        var blocks = new List<RunbookBlock>
        {
            new RunbookParagraph(F("BackupSchedule", options.BackupHour, DayWord(options.DrillDay))),
        };
        foreach (var org in covered)
        {
            var place = places[org.Id];
            if (covered.Count > 1)
            {
                blocks.Add(new RunbookSubheading(F("OrganizationHeading", org.Name, org.Id)));
            }

            List<RunbookRow> rows = [new(T("BackupLocation"), place.Location)];
            if (place.SshKeyFile is { } key)
            {
                rows.Add(new(T("BackupSshKey"), key));
            }

            if (place.SshKnownHostsFile is { } known)
            {
                rows.Add(new(T("BackupKnownHosts"), known));
            }

            rows.Add(new(T("BackupPassword"), T("BackupPasswordWhere")));
            blocks.Add(new RunbookTable(T("ColumnWhat"), T("ColumnValue"), rows));
            if (place.IsDefault)
            {
                blocks.Add(new RunbookParagraph(T("BackupSameDisk")));
            }

            var orgApps = apps.Where(a => a.Tile.OrganizationId == org.Id).ToList();
            if (orgApps.Count > 0)
            {
                blocks.Add(new RunbookTable(T("ColumnApp"), T("ColumnBackupState"),
                    [.. orgApps.Select(a => new RunbookRow(a.Tile.Instance, F(
                        "BackupAppValue",
                        a.Tile.LastBackup is { } b ? When(b) : T("Never"),
                        a.Tile.LastProvenRestore is { } p ? When(p) : T("Never"))))]));
            }
        }

        return new RunbookSection(RunbookSections.Backups, T("SectionBackups"), blocks);
    }

    private RunbookSection RestoreSection(IReadOnlyList<AppFacts> apps, IReadOnlyList<Organization> covered, IReadOnlyDictionary<string, BackupPlace> places)
    {
        var blocks = new List<RunbookBlock>
        {
            new RunbookSubheading(T("RestoreWithHostPanel")),
            new RunbookParagraph(T("RestoreSameServer")),
        };
        foreach (var app in apps)
        {
            blocks.Add(new RunbookCommands([$"hostpanel backup list --org {app.Tile.OrganizationId} --instance {app.Tile.Instance}"]));
        }

        if (apps.Count == 0)
        {
            blocks.Add(new RunbookCommands(["hostpanel backup list"]));
        }

        blocks.Add(new RunbookParagraph(T("RestoreSnapshot")));
        blocks.Add(new RunbookCommands(["hostpanel backup restore SNAPSHOT"]));
        blocks.Add(new RunbookParagraph(T("RestoreNewServer")));
        foreach (var org in covered)
        {
            var place = places[org.Id];
            var line = $"hostpanel restore --from {Sh(place.Location)} --password-file {PasswordFile}";
            if (place.SshKeyFile is { } key)
            {
                line += $" --ssh-key {Sh(key)}";
            }

            if (place.SshKnownHostsFile is { } known)
            {
                line += $" --known-hosts {Sh(known)}";
            }

            blocks.Add(new RunbookCommands([line]));
        }

        blocks.Add(new RunbookParagraph(T("RestoreWithKit")));
        blocks.Add(new RunbookCommands(["hostpanel recover --share SHARE-1 --share SHARE-2"]));

        blocks.Add(new RunbookSubheading(T("RestoreWithRestic")));
        blocks.Add(new RunbookParagraph(T("ResticInstall")));
        foreach (var org in covered)
        {
            var place = places[org.Id];
            if (covered.Count > 1)
            {
                blocks.Add(new RunbookSubheading(F("OrganizationHeading", org.Name, org.Id)));
            }

            blocks.Add(new RunbookParagraph(F("ResticPasswordFile", PasswordFile, org.Id)));
            blocks.Add(new RunbookCommands([$"install -m 600 /dev/null {PasswordFile}"]));
            blocks.Add(new RunbookParagraph(T("ResticEnvironment")));
            List<string> env =
            [
                $"export RESTIC_REPOSITORY={Sh(place.Location)}",
                $"export RESTIC_PASSWORD_FILE={PasswordFile}",
            ];
            if (SftpCommand(place) is { } sftp)
            {
                env.Add($"restic() {{ command restic -o sftp.command={Sh(sftp)} \"$@\"; }}");
            }

            blocks.Add(new RunbookCommands(env));

            foreach (var app in apps.Where(a => a.Tile.OrganizationId == org.Id))
            {
                blocks.AddRange(ResticSteps(app));
            }
        }

        return new RunbookSection(RunbookSections.Restore, T("SectionRestore"), blocks);
    }

    private IEnumerable<RunbookBlock> ResticSteps(AppFacts app)
    {
        var name = app.Tile.Instance;
        var target = $"{RestoreDirectory}/{name}";
        var tags = $"{BackupTags.Marker},{BackupTags.MainPart},{BackupTags.Instance(name)}";
        yield return new RunbookSubheading(F("ResticAppHeading", name));
        yield return new RunbookParagraph(T("ResticList"));
        yield return new RunbookCommands([$"restic snapshots --tag {tags}"]);
        yield return new RunbookParagraph(F("ResticRestore", target));
        yield return new RunbookCommands([$"restic restore latest --tag {tags} --target {target}"]);

        var layout = new List<string>();
        foreach (var (key, volume, mountpoint) in app.Volumes)
        {
            layout.Add(mountpoint is null
                ? F("ResticVolumeUnknown", key, volume, target)
                : F("ResticVolumeAt", key, volume, $"{target}{mountpoint}"));
        }

        var record = $"{target}{options.DataDirectory.TrimEnd('/')}/backups/records/{name}/{BackupRecord.FileName}";
        layout.Add(F("ResticRecordAt", record));
        yield return new RunbookParagraph(T("ResticLayout"));
        yield return new RunbookList(layout);

        var placed = app.Volumes.Where(v => v.Mountpoint is not null).ToList();
        if (placed.Count > 0)
        {
            yield return new RunbookParagraph(T("ResticPutBack"));
            List<string> lines = [$"docker stop $(docker ps -q --filter label={HostPanelLabels.Instance}={name})"];
            foreach (var (_, volume, mountpoint) in placed)
            {
                lines.Add($"docker volume create {volume}");
                lines.Add($"docker run --rm -v {volume}:/to -v {target}{Sh(mountpoint!)}:/from:ro {options.UtilityImage} sh -c 'cp -a /from/. /to/'");
            }

            lines.Add($"docker start $(docker ps -aq --filter label={HostPanelLabels.Instance}={name})");
            yield return new RunbookCommands(lines);
        }

        foreach (var database in app.Databases)
        {
            var dumps = $"{RestoreDirectory}/{name}-{database.Name}";
            var dumpTags = $"{BackupTags.Marker},{BackupTags.DatabasePart},{BackupTags.Instance(name)},{BackupTags.Database(database.Name)}";
            yield return new RunbookParagraph(F("ResticDatabase", database.Name, database.Service, $"{dumps}/{BackupStepExecutor.DumpFileName(name, database.Name)}"));
            yield return new RunbookCommands([$"restic restore latest --tag {dumpTags} --target {dumps}"]);
            var load = string.Join(' ', database.Restore.Select(Sh));

            // The load's environment as HostPanel gives it: a secret is read from the backup's
            // record (restored above), never written here; other templates are left to the reader.
            var environment = new StringBuilder();
            var templated = load.Contains("{{", StringComparison.Ordinal) || load.Contains("${", StringComparison.Ordinal);
            foreach (var (key, value) in database.Env ?? [])
            {
                if (SecretReference().Match(value) is { Success: true } secret)
                {
                    environment.Append($" -e {key}=\"$(jq -r '.secrets[\"secrets.{secret.Groups[1].Value}\"]' {record})\"");
                }
                else if (!value.Contains("${", StringComparison.Ordinal))
                {
                    environment.Append($" -e {Sh($"{key}={value}")}");
                }
                else
                {
                    templated = true;
                }
            }

            yield return new RunbookParagraph(templated ? T("ResticLoadPlaceholders") : T("ResticLoad"));
            var user = database.User is { } u ? $" -u {Sh(u)}" : string.Empty;
            var container = ResourceNames.Container(name, database.Service);
            yield return new RunbookCommands(
            [
                $"for i in $(seq 90); do [ \"$(docker inspect -f '{{{{if .State.Health}}}}{{{{.State.Health.Status}}}}{{{{else}}}}{{{{.State.Status}}}}{{{{end}}}}' {container})\" = healthy ] && break; sleep 2; done",
                $"docker exec -i{user}{environment} {container} {load} < {dumps}/{BackupStepExecutor.DumpFileName(name, database.Name)}",
            ]);
        }
    }

    private async Task<RunbookSection> PeopleSectionAsync(RunbookScope scope, IReadOnlyList<Organization> covered, CancellationToken ct)
    {
        var blocks = new List<RunbookBlock>();
        if (scope == RunbookScope.Server)
        {
            blocks.Add(new RunbookSubheading(T("HosterAdministrators")));
            blocks.Add(PeopleTable(await people.HosterAdministratorsAsync(ct).ConfigureAwait(false)));
        }

        foreach (var org in covered)
        {
            blocks.Add(new RunbookSubheading(F("AdministratorsOf", org.Name)));
            var admins = (await memberships.ForOrganizationAsync(org.Id, ct).ConfigureAwait(false))
                .Where(m => m.Role == OrganizationRole.Administrator && !m.Suspended)
                .Select(m => m.UserId)
                .ToList();
            blocks.Add(PeopleTable(await people.FindManyAsync(admins, ct).ConfigureAwait(false)));
        }

        blocks.Add(new RunbookSubheading(T("RecoveryKitHeading")));
        var kit = await recoveryKit.CurrentAsync(ct).ConfigureAwait(false);
        if (kit is null)
        {
            blocks.Add(new RunbookParagraph(T("RecoveryKitNone")));
        }
        else
        {
            blocks.Add(new RunbookTable(T("ColumnWhat"), T("ColumnValue"),
            [
                new(T("RecoveryKitIssued"), When(kit.IssuedAt)),
                new(T("RecoveryKitThreshold"), F("RecoveryKitThresholdValue", kit.Threshold, kit.Holders.Count)),
                new(T("RecoveryKitHolders"), string.Join(", ", kit.Holders)),
                new(T("RecoveryKitCurrent"), kit.IsCurrent
                    ? T("Yes")
                    : kit.SecretsChangedAt is { } changed ? F("RecoveryKitOutdatedSince", When(changed)) : T("No")),
            ]));
            var page = (string.IsNullOrWhiteSpace(options.PanelUrl) ? string.Empty : options.PanelUrl.TrimEnd('/')) + EmergencyAccess.PagePath;
            blocks.Add(new RunbookParagraph(F("RecoveryKitEmergency", kit.Threshold, page)));
        }

        return new RunbookSection(RunbookSections.People, T("SectionPeople"), blocks);
    }

    private static RunbookBlock PeopleTable(IReadOnlyList<Person> found)
    {
        var active = found.Where(p => !p.Disabled).OrderBy(p => p.Email, StringComparer.OrdinalIgnoreCase).ToList();
        return active.Count == 0
            ? new RunbookParagraph(T("NobodyYet"))
            : new RunbookTable(T("ColumnPerson"), T("ColumnTwoFactor"),
                [.. active.Select(p => new RunbookRow($"{p.DisplayName} <{p.Email}>", p.TwoFactorEnabled ? T("Yes") : T("No")))]);
    }

    private async Task<RunbookSection> AccountsSectionAsync(Caller caller, IReadOnlyList<Organization> covered, CancellationToken ct)
    {
        var blocks = new List<RunbookBlock> { new RunbookParagraph(T("AccountsIntro")) };
        foreach (var org in covered)
        {
            if (covered.Count > 1)
            {
                blocks.Add(new RunbookSubheading(F("OrganizationHeading", org.Name, org.Id)));
            }

            var accounts = await externalAccounts.ListAsync(caller, org.Id, ct).ConfigureAwait(false);
            if (accounts.Count == 0)
            {
                blocks.Add(new RunbookParagraph(T("AccountsNone")));
                continue;
            }

            foreach (var account in accounts.OrderBy(a => a.Purpose, StringComparer.CurrentCultureIgnoreCase))
            {
                blocks.Add(new RunbookSubheading(F("AccountHeading", account.Purpose, account.Provider)));
                List<RunbookRow> rows = [];
                if (account.SignInAddress is { Length: > 0 } address)
                {
                    rows.Add(new(T("AccountSignIn"), address));
                }

                rows.Add(new(T("AccountHolders"), account.Holders.Count == 0 ? T("NobodyYet") : string.Join(", ", account.Holders)));
                if (account.Notes is { Length: > 0 } notes)
                {
                    rows.Add(new(T("AccountNotes"), notes));
                }

                rows.Add(new(T("AccountUpdated"), When(account.UpdatedAt)));
                blocks.Add(new RunbookTable(T("ColumnWhat"), T("ColumnValue"), rows));
            }
        }

        return new RunbookSection(RunbookSections.Accounts, T("SectionAccounts"), blocks);
    }

    private async Task<RunbookSection> OperationsSectionAsync(Caller caller, string? scopeOrg, CancellationToken ct)
    {
        var operations = scopeOrg is null
            ? await history.ListAsync(caller, null, OperationCount, ct).ConfigureAwait(false)
            : await history.ListForOrganizationAsync(caller, scopeOrg, null, OperationCount, ct).ConfigureAwait(false);
        RunbookBlock block = operations.Count == 0
            ? new RunbookParagraph(T("OperationsNone"))
            : new RunbookList([.. operations.Take(OperationCount).Select(o => F(
                "OperationItem",
                When(o.CreatedAt),
                o.Actor,
                KindWord(o.Kind),
                o.Instance.StartsWith("org:", StringComparison.Ordinal) ? o.OrganizationId : o.Instance,
                OperationStateWord(o.State)))]);
        return new RunbookSection(RunbookSections.Operations, T("SectionOperations"), [block]);
    }

    private async Task<RunbookSection> DeviationsSectionAsync(IReadOnlyList<Organization> covered, IReadOnlyDictionary<string, BackupPlace> places, CancellationToken ct)
    {
        var found = new List<string>();
        var defaults = new HostPanelOptions();
        foreach (var org in covered.Where(o => places[o.Id].IsDefault))
        {
            found.Add(F("DeviationBackupSameDisk", org.Id, places[org.Id].Location));
        }

        if (options.AcmeDirectory == HostPanelOptions.LetsEncryptStaging)
        {
            found.Add(T("DeviationAcmeStaging"));
        }
        else if (options.AcmeDirectory != HostPanelOptions.LetsEncrypt)
        {
            found.Add(F("DeviationAcmeOther", options.AcmeDirectory));
        }

        if (options.BackupHour != defaults.BackupHour)
        {
            found.Add(F("DeviationBackupHour", options.BackupHour, defaults.BackupHour));
        }

        if (options.DrillDay != defaults.DrillDay)
        {
            found.Add(F("DeviationDrillDay", DayWord(options.DrillDay), DayWord(defaults.DrillDay)));
        }

        if (!string.IsNullOrWhiteSpace(options.AcmeTrustedRoots))
        {
            found.Add(F("DeviationAcmeRoots", options.AcmeTrustedRoots));
        }

        if (!string.IsNullOrWhiteSpace(options.PublicAddresses))
        {
            found.Add(F("DeviationPublicAddresses", options.PublicAddresses));
        }

        if (!string.IsNullOrWhiteSpace(options.DnsServers))
        {
            found.Add(F("DeviationDnsServers", options.DnsServers));
        }

        if (!string.IsNullOrWhiteSpace(options.MailExtraTrustedCa))
        {
            found.Add(F("DeviationMailCa", options.MailExtraTrustedCa));
        }

        if (string.IsNullOrWhiteSpace(options.ProxyAdminSocket))
        {
            found.Add(T("DeviationNoProxy"));
        }

        if (options.HttpPort != defaults.HttpPort || options.HttpsPort != defaults.HttpsPort)
        {
            found.Add(F("DeviationPorts", options.HttpPort, options.HttpsPort));
        }

        if (string.IsNullOrWhiteSpace(options.PanelUrl))
        {
            found.Add(T("DeviationNoPanelUrl"));
        }

        if (options.DataDirectory != HostPanelOptions.DefaultDataDirectory)
        {
            found.Add(F("DeviationDataDirectory", options.DataDirectory, HostPanelOptions.DefaultDataDirectory));
        }

        if (!string.IsNullOrWhiteSpace(options.CatalogDirectory))
        {
            found.Add(F("DeviationCatalog", options.CatalogDirectory));
        }

        foreach (var org in covered)
        {
            if (await quotas.FindAsync(org.Id, ct).ConfigureAwait(false) is { } quota && (quota.MaxApps ?? quota.MaxMemoryBytes ?? quota.MaxStorageBytes) is not null)
            {
                found.Add(F(
                    "DeviationQuota",
                    org.Id,
                    quota.MaxApps?.ToString(CultureInfo.CurrentCulture) ?? "—",
                    quota.MaxMemoryBytes is { } memory ? Megabytes(memory) : "—",
                    quota.MaxStorageBytes is { } storage ? Megabytes(storage) : "—"));
            }
        }

        RunbookBlock block = found.Count == 0 ? new RunbookParagraph(T("DeviationsNone")) : new RunbookList(found);
        return new RunbookSection(RunbookSections.Deviations, T("SectionDeviations"), [block]);
    }

    /// <summary>The ssh command restic needs for an SFTP target with its own key (as HostPanel runs it), or null.</summary>
    private static string? SftpCommand(BackupPlace place)
    {
        if (place.SshKeyFile is null && place.SshKnownHostsFile is null)
        {
            return null;
        }

        if (!Uri.TryCreate(place.Location, UriKind.Absolute, out var uri) || uri.Scheme != "sftp")
        {
            return null;
        }

        var parts = new List<string> { "ssh", $"{Uri.UnescapeDataString(uri.UserInfo)}@{uri.DnsSafeHost}", "-p", (uri.Port > 0 ? uri.Port : 22).ToString(CultureInfo.InvariantCulture) };
        if (place.SshKeyFile is { } key)
        {
            parts.AddRange(["-i", key, "-o", "IdentitiesOnly=yes"]);
        }

        if (place.SshKnownHostsFile is { } known)
        {
            parts.AddRange(["-o", $"UserKnownHostsFile={known}"]);
        }

        parts.AddRange(["-s", "sftp"]);
        return string.Join(' ', parts);
    }

    /// <summary>A word for the shell: as is when it holds only safe characters, else single-quoted.</summary>
    internal static string Sh(string value) =>
        ShellSafe().IsMatch(value) ? value : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private string When(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, time.LocalTimeZone);
        return local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + (local.Offset == TimeSpan.Zero ? "UTC" : "UTC" + local.ToString("zzz", CultureInfo.InvariantCulture));
    }

    private static string Unicode(string ascii)
    {
        try
        {
            return new IdnMapping().GetUnicode(ascii);
        }
        catch (ArgumentException)
        {
            return ascii;
        }
    }

    private static string Megabytes(long bytes) => F("Megabytes", bytes / (1024 * 1024));

    private static string StateWord(InstanceState state) => T("State" + state);

    private static string HealthWord(AppHealth health) => T("Health" + health);

    private static string KindWord(OperationKind kind) => T("Kind" + kind);

    private static string OperationStateWord(OperationState state) => T("Outcome" + state);

    private static string DayWord(DayOfWeek day) => CultureInfo.CurrentCulture.DateTimeFormat.GetDayName(day);

    private static string T(string key) => RunbookText.Get(key);

    private static string F(string key, params object?[] args) => RunbookText.Format(key, args);

    [GeneratedRegex(@"^[A-Za-z0-9_./:@%+=,-]+$")]
    private static partial Regex ShellSafe();

    [GeneratedRegex(@"^\$\{secrets\.([A-Za-z0-9_]+)\}$")]
    private static partial Regex SecretReference();
}
