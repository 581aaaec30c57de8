using System.Globalization;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Handover;
using HostPanel.Core.Tests.Accounts;
using HostPanel.Core.Tests.Mail;

namespace HostPanel.Core.Tests.Handover;

public sealed class ExternalAccountServiceTests
{
    private readonly MemoryExternalAccounts _store = new();
    private readonly RecordingAudit _audit = new();
    private readonly ManualClock _time = new(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));
    private readonly ExternalAccountService _service;

    public ExternalAccountServiceTests()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fr");
        var access = new AccessControl(new MemoryOrganizations("default", "velo", "edition"), new MemoryInstances(), new MemoryGroups());
        _service = new ExternalAccountService(access, _store, _time, _audit);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Caller VeloAdmin = Person("alice", ("velo", OrganizationRole.Administrator));
    private static readonly Caller VeloMember = Person("bob", ("velo", OrganizationRole.Member));
    private static readonly Caller EditionAdmin = Person("eve", ("edition", OrganizationRole.Administrator));
    private static readonly Caller Hoster = new() { Id = "hoster", Name = "root@hoster.example", IsHosterAdministrator = true };

    private static Caller Person(string id, params (string Org, OrganizationRole Role)[] roles) => new()
    {
        Id = id,
        Name = id + "@example.org",
        Roles = roles.ToDictionary(r => r.Org, r => r.Role),
    };

    private static ExternalAccountInput Registrar(params string[] holders) =>
        new("Nom de domaine velo-lyon.fr", "Gandi", "https://admin.gandi.net/", holders.Length == 0 ? ["Alice Martin"] : holders, "Renouvellement chaque mars.");

    [Fact]
    public async Task An_administrator_adds_an_account_and_lists_it_with_clean_fields()
    {
        var added = await _service.AddAsync(VeloAdmin, "velo", new ExternalAccountInput("  Serveur loué ", " OVHcloud ", null, ["Alice", " alice ", "bob@velo.example", "", "Bob@Velo.example"], "  "), Ct);

        var listed = Assert.Single(await _service.ListAsync(VeloAdmin, "velo", Ct));
        Assert.Equal(added, listed);
        Assert.Equal("Serveur loué", listed.Purpose);
        Assert.Equal("OVHcloud", listed.Provider);
        Assert.Null(listed.SignInAddress);
        Assert.Equal(["Alice", "bob@velo.example"], listed.Holders);
        Assert.Null(listed.Notes);
        Assert.Equal("velo", listed.OrganizationId);
        Assert.Equal(_time.GetUtcNow(), listed.UpdatedAt);
    }

    [Theory]
    [InlineData(null, "Gandi", null, "Alice", null, "purpose")]
    [InlineData("   ", "Gandi", null, "Alice", null, "purpose")]
    [InlineData("x", "", null, "Alice", null, "provider")]
    [InlineData("x", "Gandi", "gandi.net", "Alice", null, "signInAddress")]
    [InlineData("x", "Gandi", "ftp://gandi.net/", "Alice", null, "signInAddress")]
    [InlineData("x", "Gandi", "https://alice:secret@gandi.net/", "Alice", null, "signInAddress")]
    [InlineData("x", "Gandi", null, "", null, "holders")]
    [InlineData("x", "Gandi", null, " , ; ", null, "holders")]
    [InlineData("x", "Gandi", null, "Alice", "mot de passe : Velo2024!", "notes")]
    [InlineData("x", "Gandi", null, "Alice", "Password=hunter2", "notes")]
    [InlineData("x", "Gandi", null, "Alice", "mdp: x", "notes")]
    public async Task A_bad_field_is_refused_naming_it_and_nothing_is_kept(string? purpose, string? provider, string? address, string holders, string? notes, string field)
    {
        var refused = await Assert.ThrowsAsync<AppRequestException>(() =>
            _service.AddAsync(VeloAdmin, "velo", new ExternalAccountInput(purpose, provider, address, ExternalAccountInput.SplitHolders(holders), notes), Ct));

        Assert.Equal(field, refused.Field);
        Assert.False(string.IsNullOrWhiteSpace(refused.Message));
        Assert.Empty(_store.Rows);
        Assert.Empty(_audit.Records);
    }

    [Fact]
    public async Task Lengths_are_checked_field_by_field()
    {
        var longText = new string('a', 121);
        Assert.Equal("purpose", (await Assert.ThrowsAsync<AppRequestException>(() => _service.AddAsync(VeloAdmin, "velo", Registrar() with { Purpose = longText }, Ct))).Field);
        Assert.Equal("provider", (await Assert.ThrowsAsync<AppRequestException>(() => _service.AddAsync(VeloAdmin, "velo", Registrar() with { Provider = longText }, Ct))).Field);
        Assert.Equal("holders", (await Assert.ThrowsAsync<AppRequestException>(() => _service.AddAsync(VeloAdmin, "velo", Registrar(longText), Ct))).Field);
        var notes = await Assert.ThrowsAsync<AppRequestException>(() => _service.AddAsync(VeloAdmin, "velo", Registrar() with { Notes = new string('n', 1001) }, Ct));
        Assert.Equal("notes", notes.Field);
        Assert.Contains("1000", notes.Message, StringComparison.Ordinal);

        // At the limits, everything is accepted.
        await _service.AddAsync(VeloAdmin, "velo", new ExternalAccountInput(new string('p', 120), new string('f', 120), "http://relais.example/", [new string('h', 120)], new string('n', 1000)), Ct);
        Assert.Single(_store.Rows);
    }

    [Fact]
    public async Task Notes_that_only_say_where_a_password_is_kept_are_accepted()
    {
        await _service.AddAsync(VeloAdmin, "velo", Registrar() with { Notes = "Le mot de passe est dans le coffre du bureau (Bitwarden)." }, Ct);

        Assert.Single(_store.Rows);
    }

    [Fact]
    public async Task The_messages_are_in_the_person_s_language()
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");

        var refused = await Assert.ThrowsAsync<AppRequestException>(() => _service.AddAsync(VeloAdmin, "velo", Registrar() with { Provider = " " }, Ct));

        Assert.StartsWith("Say where this account is", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_can_neither_list_nor_change_the_accounts()
    {
        var account = await _service.AddAsync(VeloAdmin, "velo", Registrar(), Ct);

        await Assert.ThrowsAsync<AccessDeniedException>(() => _service.ListAsync(VeloMember, "velo", Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _service.AddAsync(VeloMember, "velo", Registrar(), Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _service.UpdateAsync(VeloMember, "velo", account.Id, Registrar("Bob"), Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _service.RemoveAsync(VeloMember, "velo", account.Id, Ct));

        Assert.Equal([account], _store.Rows);
    }

    [Fact]
    public async Task Another_organization_s_administrator_cannot_list_or_change_them_nor_learn_they_exist()
    {
        var account = await _service.AddAsync(VeloAdmin, "velo", Registrar(), Ct);

        await Assert.ThrowsAsync<AppRequestException>(() => _service.ListAsync(EditionAdmin, "velo", Ct));
        await Assert.ThrowsAsync<AppRequestException>(() => _service.AddAsync(EditionAdmin, "velo", Registrar(), Ct));

        // Through their own organization, the id of velo's account is answered like an unknown one.
        var update = await Assert.ThrowsAsync<AppRequestException>(() => _service.UpdateAsync(EditionAdmin, "edition", account.Id, Registrar("Eve"), Ct));
        var remove = await Assert.ThrowsAsync<AppRequestException>(() => _service.RemoveAsync(EditionAdmin, "edition", account.Id, Ct));
        var unknown = await Assert.ThrowsAsync<AppRequestException>(() => _service.RemoveAsync(EditionAdmin, "edition", Guid.NewGuid(), Ct));
        Assert.Equal(unknown.Message, update.Message);
        Assert.Equal(unknown.Message, remove.Message);
        Assert.Equal("id", remove.Field);
        Assert.Empty(await _service.ListAsync(EditionAdmin, "edition", Ct));

        Assert.Equal([account], _store.Rows);
        Assert.Single(_audit.Records);
    }

    [Fact]
    public async Task A_hoster_manages_every_organization_s_accounts()
    {
        var account = await _service.AddAsync(Hoster, "edition", Registrar("Eve"), Ct);

        Assert.Equal([account], await _service.ListAsync(EditionAdmin, "edition", Ct));
        await _service.RemoveAsync(Hoster, "edition", account.Id, Ct);
        Assert.Empty(_store.Rows);
    }

    [Fact]
    public async Task Each_change_is_recorded_in_the_audit_log_with_the_purpose_and_never_the_notes()
    {
        var account = await _service.AddAsync(VeloAdmin, "velo", Registrar(), Ct);
        _time.Advance(TimeSpan.FromDays(1));
        var updated = await _service.UpdateAsync(VeloAdmin, "velo", account.Id, Registrar("Alice Martin", "Bob Durand") with { Purpose = "Domaine velo-lyon.fr" }, Ct);
        await _service.RemoveAsync(VeloAdmin, "velo", account.Id, Ct);

        Assert.Equal(["external-account.add", "external-account.update", "external-account.remove"], _audit.Records.Select(r => r.Action));
        Assert.All(_audit.Records, r =>
        {
            Assert.Equal("alice@example.org", r.Actor);
            Assert.Equal("velo", r.OrganizationId);
            Assert.Equal(AuditResult.Succeeded, r.Result);
            Assert.DoesNotContain("Renouvellement", r.Detail ?? string.Empty, StringComparison.Ordinal);
        });
        Assert.Equal(["Nom de domaine velo-lyon.fr", "Domaine velo-lyon.fr", "Domaine velo-lyon.fr"], _audit.Records.Select(r => r.Subject));
        Assert.Equal(["Alice Martin", "Bob Durand"], updated.Holders);
        Assert.Equal(account.Id, updated.Id);
        Assert.Equal(_time.GetUtcNow(), updated.UpdatedAt);
        Assert.Empty(_store.Rows);
    }

    [Fact]
    public async Task Without_an_audit_log_changes_are_still_made()
    {
        var access = new AccessControl(new MemoryOrganizations("velo"), new MemoryInstances(), new MemoryGroups());
        var service = new ExternalAccountService(access, _store, _time);

        await service.AddAsync(VeloAdmin, "velo", Registrar(), Ct);

        Assert.Single(_store.Rows);
    }
}

internal sealed class MemoryExternalAccounts : IExternalAccountStore
{
    public List<ExternalAccount> Rows { get; } = [];

    public Task<IReadOnlyList<ExternalAccount>> ListAsync(string organizationId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ExternalAccount>>([.. Rows.Where(a => a.OrganizationId == organizationId)]);

    public Task<ExternalAccount?> FindAsync(Guid id, CancellationToken ct = default) => Task.FromResult(Rows.FirstOrDefault(a => a.Id == id));

    public Task AddAsync(ExternalAccount account, CancellationToken ct = default)
    {
        Rows.Add(account);
        return Task.CompletedTask;
    }

    public Task UpdateAsync(ExternalAccount account, CancellationToken ct = default)
    {
        Rows[Rows.FindIndex(a => a.Id == account.Id)] = account;
        return Task.CompletedTask;
    }

    public Task RemoveAsync(Guid id, CancellationToken ct = default)
    {
        Rows.RemoveAll(a => a.Id == id);
        return Task.CompletedTask;
    }
}

internal sealed class RecordingAudit : IAuditLog
{
    public List<AuditRecord> Records { get; } = [];

    public Task RecordAsync(AuditRecord record, CancellationToken ct = default)
    {
        Records.Add(record);
        return Task.CompletedTask;
    }
}

internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
