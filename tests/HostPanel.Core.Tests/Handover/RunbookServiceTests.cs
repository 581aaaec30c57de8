using System.Globalization;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Backups;
using HostPanel.Core.Catalog.Loading;
using HostPanel.Core.Configuration;
using HostPanel.Core.Engine;
using HostPanel.Core.Handover;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using HostPanel.Core.Tests.Accounts;
using HostPanel.Core.Tests.Apps;
using HostPanel.Core.Tests.Mail;

namespace HostPanel.Core.Tests.Handover;

public sealed class RunbookServiceTests : IDisposable
{
    private const string RepositoryPassword = "Rp7-known-repository-password-xyz";
    private const string AdminAnswer = "Answer-known-admin-password-123";
    private const string AppSecret = "Secret-known-app-database-456";
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    private readonly CultureInfo _culture = CultureInfo.CurrentUICulture;
    private readonly CultureInfo _formats = CultureInfo.CurrentCulture;
    private readonly MemoryInstances _instances = new();
    private readonly MemoryPackages _packages = new();
    private readonly MemorySecrets _secrets = new();
    private readonly MemoryTargets _targets = new();
    private readonly MemoryMemberships _memberships = new();
    private readonly MemoryPeople _people = new();
    private readonly MemoryQuotas _quotas = new();
    private readonly HostPanel.Core.Tests.Operations.ListingJournal _journal = new();
    private readonly FixedKit _kit = new();
    private readonly RunbookExternalAccounts _accounts = new();
    private readonly MemoryBusFactor _busFactor = new();
    private readonly VolumeListingEngine _engine = new();
    private readonly HostPanelOptions _options = new() { DataDirectory = "/var/lib/hostpanel", ProxyAdminSocket = "/run/caddy/admin.sock", PanelUrl = "https://panel.example.org" };

    public RunbookServiceTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fr");
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");
        Install("blog-velo", "velo", "blog.velo.example.org");
        Install("blog-edition", "edition", "blog.edition.example.org");
        _secrets.Owners[BackupRepositories.SecretOwner("velo")] = new() { [BackupRepositories.PasswordName] = RepositoryPassword };
        _secrets.Owners[BackupRepositories.SecretOwner("edition")] = new() { [BackupRepositories.PasswordName] = RepositoryPassword + "-edition" };
        _targets.Rows["velo"] = new BackupTarget("velo", "sftp://backup@store.example.net:2222//srv/velo", "/etc/hostpanel/velo-key", null, Now);
        _targets.Rows["edition"] = new BackupTarget("edition", "/mnt/edition-backups", null, null, Now);

        Admin("marie@velo.example.org", "velo", twoFactor: true);
        Admin("jules@edition.example.org", "edition", twoFactor: false);
        _memberships.Rows.Add(new Membership(_people.Add("member@velo.example.org").Id, "velo", OrganizationRole.Member, Now));
        _people.Add("root@example.org", hoster: true);

        _accounts.Rows.Add(new ExternalAccount(Guid.NewGuid(), "velo", "Nom de domaine", "Gandi-velo", "https://admin.gandi.net", ["marie@velo.example.org"], "**renouveler** <avant> mars", Now));
        _accounts.Rows.Add(new ExternalAccount(Guid.NewGuid(), "edition", "Serveur", "Provider-edition", null, ["jules@edition.example.org"], null, Now));
        _busFactor.Rows.Add(new BusFactorFinding(BusFactorCheck.SingleAdministrator, "velo", null, "Une seule personne administre velo.", "Ajoutez une deuxième administratrice."));
        _busFactor.Rows.Add(new BusFactorFinding(BusFactorCheck.SingleAdministrator, "edition", null, "Une seule personne administre edition.", "Ajoutez quelqu'un."));
        _kit.Kit = new RecoveryKitSummary(Guid.NewGuid(), Now.AddDays(-3), 2, ["marie@velo.example.org", "paul", "root@example.org"], true, null);

        Record("blog-velo", "velo", OperationKind.Backup, TimeSpan.FromHours(5));
        Record("blog-velo", "velo", OperationKind.Drill, TimeSpan.FromHours(4));
        Record("blog-edition", "edition", OperationKind.Backup, TimeSpan.FromHours(3));
    }

    public void Dispose()
    {
        CultureInfo.CurrentUICulture = _culture;
        CultureInfo.CurrentCulture = _formats;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Caller AdministratorOf(string organization) => new()
    {
        Id = $"id-admin-{organization}",
        Name = $"admin@{organization}.example.org",
        Roles = new Dictionary<string, OrganizationRole> { [organization] = OrganizationRole.Administrator },
    };

    private static Caller Hoster => Caller.Server("root");

    private RunbookService Service()
    {
        var access = new AccessControl(new MemoryOrganizations("default", "velo", "edition"), _instances, new MemoryGroups());
        var overview = new AppOverview(access, new DirectoryAppCatalog(RepositoryPaths.AppCatalog), _engine, _journal);
        var repositories = new BackupRepositories(_targets, _secrets, Unexpected<IRestic>.With(), _options, new FixedTime(Now));
        return new RunbookService(
            access, overview, _instances, _packages, _engine, new FixedAddresses("203.0.113.5", "2001:db8::5"), repositories,
            _memberships, _people, _quotas, new OperationHistory(_journal, access), _kit, _accounts, _busFactor, _options, new FixedTime(Now));
    }

    private void Install(string name, string organization, string domain)
    {
        var catalog = new DirectoryAppCatalog(RepositoryPaths.AppCatalog);
        var app = catalog.Load().Apps.Single(a => a.Manifest.Id == "wordpress");
        _instances.Rows[name] = new AppInstance
        {
            Name = name,
            OrganizationId = organization,
            AppId = "wordpress",
            Version = app.Manifest.Version,
            Domain = domain,
            State = InstanceState.Running,
            Answers = new Dictionary<string, string> { ["admin_password"] = AdminAnswer },
        };
        _packages.Save(name, app.Manifest.Version, catalog.Package(app));
        _secrets.Owners[name] = new() { ["secrets.db_password"] = AppSecret };
        foreach (var key in BackupPlanner.FileVolumes(app.Manifest))
        {
            var volume = ResourceNames.Volume(name, key);
            _engine.Listed.Add(new VolumeInfo(volume, new Dictionary<string, string> { [HostPanelLabels.Instance] = name }, $"/var/lib/docker/volumes/{volume}/_data"));
        }
    }

    private void Admin(string email, string organization, bool twoFactor)
    {
        var person = _people.Add(email);
        _people.Rows[_people.Rows.IndexOf(person)] = person with { TwoFactorEnabled = twoFactor, DisplayName = email.Split('@')[0] };
        _memberships.Rows.Add(new Membership(person.Id, organization, OrganizationRole.Administrator, Now));
    }

    private void Record(string instance, string organization, OperationKind kind, TimeSpan ago) => _journal.Operations.Add(new Operation
    {
        Id = Guid.NewGuid(),
        Instance = instance,
        OrganizationId = organization,
        Kind = kind,
        State = OperationState.Succeeded,
        Actor = "schedule",
        CreatedAt = Now - ago,
        FinishedAt = Now - ago + TimeSpan.FromMinutes(2),
    });

    [Fact]
    public async Task Has_every_section_in_order_with_its_stable_id()
    {
        var document = await Service().BuildAsync(AdministratorOf("velo"), "velo", Ct);

        Assert.Equal(RunbookSections.All, document.Sections.Select(s => s.Id));
        Assert.Equal(RunbookScope.Organization, document.Scope);
        Assert.Equal("velo", document.OrganizationId);
        Assert.Equal("fr", document.Language);
        var markdown = RunbookMarkdown.Render(document);
        foreach (var section in document.Sections)
        {
            Assert.Contains($"\n## {section.Heading}\n", markdown, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_organization_runbook_names_nothing_of_another_organization()
    {
        var markdown = RunbookMarkdown.Render(await Service().BuildAsync(AdministratorOf("velo"), "velo", Ct));

        Assert.Contains("blog-velo", markdown, StringComparison.Ordinal);
        Assert.Contains("marie@velo.example.org", markdown, StringComparison.Ordinal);
        Assert.Contains("store.example.net", markdown, StringComparison.Ordinal);
        Assert.Contains("Gandi-velo", markdown, StringComparison.Ordinal);
        Assert.Contains("Une seule personne administre velo.", markdown, StringComparison.Ordinal);
        foreach (var other in new[] { "edition", "jules@", "Provider-edition", "/mnt/edition-backups" })
        {
            Assert.DoesNotContain(other, markdown, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("member@velo.example.org", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Members_and_strangers_are_refused()
    {
        var member = new Caller { Id = "id-member@velo.example.org", Name = "member@velo.example.org", Roles = new Dictionary<string, OrganizationRole> { ["velo"] = OrganizationRole.Member } };

        await Assert.ThrowsAsync<AccessDeniedException>(() => Service().BuildAsync(member, "velo", Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service().BuildAsync(member, null, Ct));
        await Assert.ThrowsAsync<AppRequestException>(() => Service().BuildAsync(AdministratorOf("velo"), "edition", Ct));

        // Refused before anything is read.
        Assert.Equal(0, _busFactor.Calls);
    }

    [Fact]
    public async Task The_whole_server_is_for_hosters_and_covers_every_organization()
    {
        var server = await Service().BuildAsync(Hoster, null, Ct);
        var markdown = RunbookMarkdown.Render(server);

        Assert.Equal(RunbookScope.Server, server.Scope);
        Assert.Null(server.OrganizationId);
        Assert.Contains("blog-velo (organisation velo)", markdown, StringComparison.Ordinal);
        Assert.Contains("blog-edition (organisation edition)", markdown, StringComparison.Ordinal);
        Assert.Contains("root@example.org", markdown, StringComparison.Ordinal);

        // An administrator of one organization who asks for "everything" gets their organization.
        var own = await Service().BuildAsync(AdministratorOf("velo"), null, Ct);
        Assert.Equal(RunbookScope.Organization, own.Scope);
        Assert.Equal("velo", own.OrganizationId);
    }

    [Fact]
    public async Task No_secret_appears()
    {
        var markdown = RunbookMarkdown.Render(await Service().BuildAsync(Hoster, null, Ct));

        Assert.DoesNotContain(RepositoryPassword, markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(AdminAnswer, markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(AppSecret, markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apps_carry_version_address_dns_records_and_state()
    {
        var document = await Service().BuildAsync(AdministratorOf("velo"), "velo", Ct);
        var rows = document.Sections.Single(s => s.Id == RunbookSections.Apps).Blocks.OfType<RunbookTable>().Single().Rows.ToDictionary(r => r.Key, r => r.Value);

        Assert.Equal("https://blog.velo.example.org/", rows["Adresse"]);
        Assert.Equal("A blog.velo.example.org → 203.0.113.5; AAAA blog.velo.example.org → 2001:db8::5", rows["Enregistrements DNS nécessaires"]);
        Assert.StartsWith("WordPress (wordpress), version ", rows["Application et version"], StringComparison.Ordinal);
        Assert.StartsWith("en marche", rows["État"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backups_say_where_when_and_last_proven_restore()
    {
        var document = await Service().BuildAsync(AdministratorOf("velo"), "velo", Ct);
        var blocks = document.Sections.Single(s => s.Id == RunbookSections.Backups).Blocks;
        var place = blocks.OfType<RunbookTable>().First().Rows;
        var perApp = blocks.OfType<RunbookTable>().Last().Rows.Single();

        Assert.Contains(place, r => r.Value == "sftp://backup@store.example.net:2222//srv/velo");
        Assert.Contains(place, r => r.Value == "/etc/hostpanel/velo-key");
        Assert.Equal("blog-velo", perApp.Key);
        Assert.Equal("sauvegardée le 2026-11-26 03:02 UTC · restauration vérifiée le 2026-11-26 04:02 UTC", perApp.Value);
        Assert.Contains("3 h", ((RunbookParagraph)blocks[0]).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_steps_name_the_real_commands_tags_and_layout()
    {
        var document = await Service().BuildAsync(AdministratorOf("velo"), "velo", Ct);
        var restore = document.Sections.Single(s => s.Id == RunbookSections.Restore).Blocks;
        var commands = restore.OfType<RunbookCommands>().SelectMany(c => c.Lines).ToList();
        var text = RunbookMarkdown.Render(document);

        Assert.Contains("hostpanel backup list --org velo --instance blog-velo", commands);
        Assert.Contains("hostpanel backup restore SNAPSHOT", commands);
        Assert.Contains($"hostpanel restore --from sftp://backup@store.example.net:2222//srv/velo --password-file {RunbookService.PasswordFile} --ssh-key /etc/hostpanel/velo-key", commands);
        Assert.Contains("export RESTIC_REPOSITORY=sftp://backup@store.example.net:2222//srv/velo", commands);
        Assert.Contains($"export RESTIC_PASSWORD_FILE={RunbookService.PasswordFile}", commands);
        Assert.Contains("restic() { command restic -o sftp.command='ssh backup@store.example.net -p 2222 -i /etc/hostpanel/velo-key -o IdentitiesOnly=yes -s sftp' \"$@\"; }", commands);
        Assert.Contains("restic snapshots --tag hostpanel,part=main,instance=blog-velo", commands);
        Assert.Contains($"restic restore latest --tag hostpanel,part=main,instance=blog-velo --target {RunbookService.RestoreDirectory}/blog-velo", commands);
        Assert.Contains($"restic restore latest --tag hostpanel,part=db,instance=blog-velo,db=main --target {RunbookService.RestoreDirectory}/blog-velo-main", commands);
        Assert.Contains(commands, c => c.StartsWith("docker exec -i hp-blog-velo-db sh -c 'exec mariadb ", StringComparison.Ordinal) && c.EndsWith($" < {RunbookService.RestoreDirectory}/blog-velo-main/blog-velo-main.dump", StringComparison.Ordinal));
        Assert.Contains($"{RunbookService.RestoreDirectory}/blog-velo/var/lib/docker/volumes/hp-blog-velo-", text, StringComparison.Ordinal);
        Assert.Contains($"{RunbookService.RestoreDirectory}/blog-velo/var/lib/hostpanel/backups/records/blog-velo/hostpanel-backup.json", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task People_show_two_step_sign_in_and_the_recovery_kit()
    {
        var document = await Service().BuildAsync(AdministratorOf("velo"), "velo", Ct);
        var tables = document.Sections.Single(s => s.Id == RunbookSections.People).Blocks.OfType<RunbookTable>().ToList();

        Assert.Equal(new RunbookRow("marie <marie@velo.example.org>", "oui"), tables[0].Rows.Single());
        Assert.Contains(new RunbookRow("Parts nécessaires", "2 sur 3"), tables[1].Rows);
        Assert.Contains(new RunbookRow("À jour", "oui"), tables[1].Rows);
        Assert.Contains(
            document.Sections.Single(s => s.Id == RunbookSections.People).Blocks.OfType<RunbookParagraph>(),
            p => p.Text.Contains("2 détenteurs réunis tapent leurs parts sur la page « Accès de secours » (https://panel.example.org/access/emergency)", StringComparison.Ordinal));

        _kit.Kit = _kit.Kit! with { IsCurrent = false, SecretsChangedAt = Now.AddDays(-1) };
        var outdated = await Service().BuildAsync(AdministratorOf("velo"), "velo", Ct);
        Assert.Contains(
            new RunbookRow("À jour", "non : les secrets ont changé le 2026-11-25 08:00 UTC, distribuez un nouveau kit"),
            outdated.Sections.Single(s => s.Id == RunbookSections.People).Blocks.OfType<RunbookTable>().Last().Rows);
    }

    [Fact]
    public async Task Last_operations_are_at_most_fifteen_newest_first()
    {
        for (var i = 0; i < 20; i++)
        {
            Record("blog-velo", "velo", OperationKind.Restart, TimeSpan.FromMinutes(i + 1));
        }

        var document = await Service().BuildAsync(AdministratorOf("velo"), "velo", Ct);
        var items = document.Sections.Single(s => s.Id == RunbookSections.Operations).Blocks.OfType<RunbookList>().Single().Items;

        Assert.Equal(RunbookService.OperationCount, items.Count);
        Assert.Equal("2026-11-26 07:59 UTC — schedule — redémarrage de blog-velo — réussie", items[0]);
    }

    [Fact]
    public async Task Deviations_list_what_differs_from_the_defaults()
    {
        var plain = await Service().BuildAsync(AdministratorOf("edition"), "edition", Ct);
        Assert.Equal(
            "Aucun écart : les réglages sont ceux par défaut.",
            ((RunbookParagraph)plain.Sections.Single(s => s.Id == RunbookSections.Deviations).Blocks.Single()).Text);

        _options.AcmeDirectory = HostPanelOptions.LetsEncryptStaging;
        _options.BackupHour = 5;
        _targets.Rows.Remove("edition");
        _quotas.Rows["edition"] = new OrganizationQuota("edition", 3, null, null);
        var changed = await Service().BuildAsync(AdministratorOf("edition"), "edition", Ct);
        var items = ((RunbookList)changed.Sections.Single(s => s.Id == RunbookSections.Deviations).Blocks.Single()).Items;

        Assert.Contains(items, i => i.Contains("annuaire d'essai", StringComparison.Ordinal));
        Assert.Contains("Les sauvegardes de nuit ont lieu à 5 h au lieu de 3 h.", items);
        Assert.Contains(items, i => i.Contains("/var/lib/hostpanel/backups/edition", StringComparison.Ordinal));
        Assert.Contains(items, i => i.StartsWith("L'organisation edition a des quotas : 3 applications", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Speaks_english_when_asked()
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        var document = await Service().BuildAsync(AdministratorOf("velo"), "velo", Ct);

        Assert.Equal("en", document.Language);
        Assert.Equal("Runbook of velo", document.Title);
        Assert.Equal(["Summary", "Apps", "Backups", "Restore", "People", "External accounts", "Last operations", "Deviations from the defaults"], document.Sections.Select(s => s.Heading));
    }
}
