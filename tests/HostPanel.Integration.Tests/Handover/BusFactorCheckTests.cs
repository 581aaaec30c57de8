using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Handover;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;

namespace HostPanel.Integration.Tests.Handover;

/// <summary>
/// Each bus-factor check, on real accounts, memberships, apps, journal and external accounts in
/// SQLite: the test creates the situation, sees the check raised, fixes it, sees it cleared.
/// </summary>
public sealed class BusFactorCheckTests : IAsyncLifetime
{
    private ContinuityServices _services = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IBusFactorChecks Checks => _services.Get<IBusFactorChecks>();

    private DateTimeOffset Now => _services.Time.GetUtcNow();

    public async ValueTask InitializeAsync()
    {
        _services = await ContinuityServices.StartAsync(Ct);
        var organizations = _services.Get<IOrganizationStore>();
        await organizations.AddAsync(new Organization("velo", "Atelier vélo", Now), Ct);
        await organizations.AddAsync(new Organization("edition", "Éditions du Lac", Now), Ct);

        // A kit that raises nothing, so that each test sees only what it is about.
        _services.Kit.Current = new RecoveryKitSummary(Guid.NewGuid(), Now.AddDays(-1), 2, ["Alice", "Bob", "Carole"], true, null);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    /// <summary>An administrator of <paramref name="organization"/> with two-step sign-in (or not).</summary>
    private async Task<Person> AdministratorAsync(string email, string organization = "velo", bool twoFactor = true)
    {
        var person = await _services.PersonAsync(email, twoFactor: twoFactor, ct: Ct);
        await _services.Get<IMembershipStore>().SaveAsync(new Membership(person.Id, organization, OrganizationRole.Administrator, Now), Ct);
        return person;
    }

    private async Task<IReadOnlyList<BusFactorFinding>> ChecksOfAsync(Person person, string? organization, BusFactorCheck check) =>
        [.. (await Checks.CheckAsync(await _services.CallerAsync(person, Ct), organization, Ct)).Where(f => f.Check == check)];

    [Fact]
    public async Task SingleAdministrator_is_raised_for_one_active_administrator_and_cleared_by_a_second()
    {
        var alice = await AdministratorAsync("alice@velo.example");

        var raised = Assert.Single(await ChecksOfAsync(alice, "velo", BusFactorCheck.SingleAdministrator));
        Assert.Equal("velo", raised.OrganizationId);
        Assert.Equal("alice@velo.example", raised.Subject);

        var bob = await AdministratorAsync("bob@velo.example");
        Assert.Empty(await ChecksOfAsync(alice, "velo", BusFactorCheck.SingleAdministrator));

        // A suspended membership or a disabled account does not count as a second administrator.
        await _services.Get<IMembershipStore>().SaveAsync(new Membership(bob.Id, "velo", OrganizationRole.Administrator, Now, Suspended: true), Ct);
        Assert.Single(await ChecksOfAsync(alice, "velo", BusFactorCheck.SingleAdministrator));
        await _services.Get<IMembershipStore>().SaveAsync(new Membership(bob.Id, "velo", OrganizationRole.Administrator, Now), Ct);
        Assert.Empty(await ChecksOfAsync(alice, "velo", BusFactorCheck.SingleAdministrator));
        await _services.Get<IPeopleDirectory>().SetDisabledAsync(bob.Id, true, Ct);
        Assert.Single(await ChecksOfAsync(alice, "velo", BusFactorCheck.SingleAdministrator));
    }

    [Fact]
    public async Task SingleAdministrator_is_raised_for_a_single_hoster_and_cleared_by_a_second()
    {
        var root = await _services.PersonAsync("root@hoster.example", hoster: true, twoFactor: true, ct: Ct);

        var raised = (await ChecksOfAsync(root, null, BusFactorCheck.SingleAdministrator)).Where(f => f.OrganizationId is null);
        Assert.Equal("root@hoster.example", Assert.Single(raised).Subject);

        await _services.PersonAsync("second@hoster.example", hoster: true, twoFactor: true, ct: Ct);
        Assert.DoesNotContain(await ChecksOfAsync(root, null, BusFactorCheck.SingleAdministrator), f => f.OrganizationId is null);
    }

    [Fact]
    public async Task The_recovery_kit_checks_follow_the_kit_state()
    {
        var alice = await AdministratorAsync("alice@velo.example");
        _services.Kit.Current = null;
        Assert.Single(await ChecksOfAsync(alice, "velo", BusFactorCheck.NoRecoveryKit));

        _services.Kit.Current = new RecoveryKitSummary(Guid.NewGuid(), Now.AddDays(-40), 2, ["Alice", "Bob"], false, Now.AddDays(-3));
        Assert.Empty(await ChecksOfAsync(alice, "velo", BusFactorCheck.NoRecoveryKit));
        Assert.Single(await ChecksOfAsync(alice, "velo", BusFactorCheck.RecoveryKitOutdated));
        Assert.Single(await ChecksOfAsync(alice, "velo", BusFactorCheck.TooFewHolders));

        _services.Kit.Current = new RecoveryKitSummary(Guid.NewGuid(), Now, 2, ["Alice", "Bob", "Carole"], true, null);
        Assert.Empty(await ChecksOfAsync(alice, "velo", BusFactorCheck.RecoveryKitOutdated));
        Assert.Empty(await ChecksOfAsync(alice, "velo", BusFactorCheck.TooFewHolders));
    }

    [Fact]
    public async Task The_recovery_kit_checks_follow_a_real_kit_and_the_secrets_it_seals()
    {
        await using var server = await KitServer.StartAsync(Ct);
        await server.AddSftpOrganizationAsync("velo", Ct);
        var root = Caller.Server("test");
        var checks = server.Get<IBusFactorChecks>();
        async Task<IReadOnlyList<BusFactorCheck>> KitChecksAsync() =>
            [.. (await checks.CheckAsync(root, null, Ct)).Select(f => f.Check).Where(c => c is BusFactorCheck.NoRecoveryKit or BusFactorCheck.RecoveryKitOutdated or BusFactorCheck.TooFewHolders)];

        Assert.Equal([BusFactorCheck.NoRecoveryKit], await KitChecksAsync());

        // Two holders for two shares: losing one loses the kit.
        await server.Kits.CreateAsync(root, 2, ["Alice", "Bob"], Ct);
        Assert.Equal([BusFactorCheck.TooFewHolders], await KitChecksAsync());

        // A secret the kit seals changes (the repository's password): the kit no longer matches.
        await server.Get<HostPanel.Core.Secrets.ISecretStore>().SetAsync(HostPanel.Core.Backups.BackupRepositories.SecretOwner("velo"), HostPanel.Core.Backups.BackupRepositories.PasswordName, "un-autre-mot-de-passe", Ct);
        Assert.Equal([BusFactorCheck.RecoveryKitOutdated, BusFactorCheck.TooFewHolders], (await KitChecksAsync()).Order());

        await server.Kits.CreateAsync(root, 2, ["Alice", "Bob", "Carole"], Ct);
        Assert.Empty(await KitChecksAsync());
    }

    [Fact]
    public async Task NoRecentRestoreProof_is_raised_until_a_drill_succeeds_within_thirty_days()
    {
        var alice = await AdministratorAsync("alice@velo.example");
        var notes = await AppAsync("notes-velo", "velo");

        Assert.Equal("notes-velo", Assert.Single(await ChecksOfAsync(alice, "velo", BusFactorCheck.NoRecentRestoreProof)).Subject);

        await DrillAsync(notes, OperationState.Succeeded, TimeSpan.FromDays(45));
        await DrillAsync(notes, OperationState.Failed, TimeSpan.FromDays(1));
        Assert.Single(await ChecksOfAsync(alice, "velo", BusFactorCheck.NoRecentRestoreProof));

        await DrillAsync(notes, OperationState.Succeeded, TimeSpan.FromDays(2));
        Assert.Empty(await ChecksOfAsync(alice, "velo", BusFactorCheck.NoRecentRestoreProof));

        // Time passes: the proof grows old.
        _services.Time.Advance(TimeSpan.FromDays(29));
        Assert.Single(await ChecksOfAsync(alice, "velo", BusFactorCheck.NoRecentRestoreProof));
    }

    [Fact]
    public async Task ExternalAccountSingleHolder_is_raised_for_one_holder_and_cleared_by_a_second()
    {
        var alice = await AdministratorAsync("alice@velo.example");
        var caller = await _services.CallerAsync(alice, Ct);
        var accounts = _services.Get<ExternalAccountService>();
        var registrar = await accounts.AddAsync(caller, "velo", new ExternalAccountInput("Nom de domaine velo-lyon.fr", "Gandi", null, ["Alice"], null), Ct);

        Assert.Equal("Nom de domaine velo-lyon.fr", Assert.Single(await ChecksOfAsync(alice, "velo", BusFactorCheck.ExternalAccountSingleHolder)).Subject);

        await accounts.UpdateAsync(caller, "velo", registrar.Id, new ExternalAccountInput("Nom de domaine velo-lyon.fr", "Gandi", null, ["Alice", "Bob"], null), Ct);
        Assert.Empty(await ChecksOfAsync(alice, "velo", BusFactorCheck.ExternalAccountSingleHolder));
    }

    [Fact]
    public async Task AdministratorWithoutTwoFactor_is_raised_until_the_administrator_turns_it_on()
    {
        var alice = await AdministratorAsync("alice@velo.example", twoFactor: false);
        await AdministratorAsync("bob@velo.example");

        Assert.Equal("alice@velo.example", Assert.Single(await ChecksOfAsync(alice, "velo", BusFactorCheck.AdministratorWithoutTwoFactor)).Subject);

        await _services.TwoFactorAsync(alice.Id, true);
        Assert.Empty(await ChecksOfAsync(alice, "velo", BusFactorCheck.AdministratorWithoutTwoFactor));
    }

    [Fact]
    public async Task A_hoster_without_two_step_sign_in_is_raised_for_the_server()
    {
        var root = await _services.PersonAsync("root@hoster.example", hoster: true, ct: Ct);

        var raised = Assert.Single(await ChecksOfAsync(root, null, BusFactorCheck.AdministratorWithoutTwoFactor), f => f.OrganizationId is null);
        Assert.Equal("root@hoster.example", raised.Subject);

        await _services.TwoFactorAsync(root.Id, true);
        Assert.DoesNotContain(await ChecksOfAsync(root, null, BusFactorCheck.AdministratorWithoutTwoFactor), f => f.OrganizationId is null);
    }

    [Fact]
    public async Task Each_caller_sees_only_the_checks_of_what_they_administer()
    {
        var alice = await AdministratorAsync("alice@velo.example");
        var eve = await AdministratorAsync("eve@edition.example", "edition", twoFactor: false);
        var bob = await _services.PersonAsync("bob@velo.example", ct: Ct);
        await _services.Get<IMembershipStore>().SaveAsync(new Membership(bob.Id, "velo", OrganizationRole.Member, Now), Ct);
        var root = await _services.PersonAsync("root@hoster.example", hoster: true, twoFactor: true, ct: Ct);
        await AppAsync("wiki-edition", "edition");
        _services.Kit.Current = null;

        // A member: nothing, not even the server's kit.
        Assert.Empty(await Checks.CheckAsync(await _services.CallerAsync(bob, Ct), "velo", Ct));
        Assert.Empty(await Checks.CheckAsync(await _services.CallerAsync(bob, Ct), null, Ct));

        // Velo's administrator: velo's checks and the kit's, nothing about edition or the hosters.
        var velo = await Checks.CheckAsync(await _services.CallerAsync(alice, Ct), null, Ct);
        Assert.All(velo, f => Assert.True(f.OrganizationId == "velo" || f.Check == BusFactorCheck.NoRecoveryKit, $"{f.Check} {f.OrganizationId}"));
        Assert.Contains(velo, f => f.Check == BusFactorCheck.NoRecoveryKit);
        Assert.DoesNotContain(velo, f => (f.Subject ?? string.Empty).Contains("edition", StringComparison.Ordinal) || f.Problem.Contains("Éditions", StringComparison.Ordinal));
        var aliceCaller = await _services.CallerAsync(alice, Ct);
        await Assert.ThrowsAsync<AppRequestException>(() => Checks.CheckAsync(aliceCaller, "edition", Ct));

        // The hoster: every organization, and the server's own checks.
        var all = await Checks.CheckAsync(await _services.CallerAsync(root, Ct), null, Ct);
        Assert.Contains(all, f => f.OrganizationId == "velo");
        Assert.Contains(all, f => f.OrganizationId == "edition" && f.Check == BusFactorCheck.NoRecentRestoreProof && f.Subject == "wiki-edition");
        Assert.Contains(all, f => f.OrganizationId == "edition" && f.Check == BusFactorCheck.AdministratorWithoutTwoFactor && f.Subject == eve.Email);
        Assert.Contains(all, f => f.OrganizationId is null && f.Check == BusFactorCheck.SingleAdministrator);
        Assert.Single(all, f => f.Check == BusFactorCheck.NoRecoveryKit);

        // The hoster looking at one organization: that one only, with the server's checks.
        var one = await Checks.CheckAsync(await _services.CallerAsync(root, Ct), "edition", Ct);
        Assert.DoesNotContain(one, f => f.OrganizationId == "velo");
        Assert.Contains(one, f => f.OrganizationId == "edition");
    }

    private async Task<AppInstance> AppAsync(string name, string organization)
    {
        var instance = new AppInstance
        {
            Name = name,
            OrganizationId = organization,
            AppId = "notes",
            Version = "1",
            State = InstanceState.Running,
            CreatedAt = Now.AddDays(-60),
            UpdatedAt = Now.AddDays(-60),
        };
        await _services.Get<IInstanceStore>().AddAsync(instance, Ct);
        return instance;
    }

    private async Task DrillAsync(AppInstance instance, OperationState state, TimeSpan ago)
    {
        var journal = _services.Get<IOperationJournal>();
        var operation = new Operation
        {
            Id = Guid.CreateVersion7(),
            Instance = instance.Name,
            OrganizationId = instance.OrganizationId,
            Kind = OperationKind.Drill,
            Actor = "schedule",
            CreatedAt = Now - ago,
        };
        await journal.CreateAsync(operation, [], Ct);
        await journal.SetStateAsync(operation.Id, state, null, null, Now - ago + TimeSpan.FromMinutes(3), Ct);
    }
}
