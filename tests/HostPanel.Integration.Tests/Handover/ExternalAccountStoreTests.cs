using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Handover;
using HostPanel.Core.Organizations;

namespace HostPanel.Integration.Tests.Handover;

/// <summary>External accounts kept in SQLite through the service, as the panel and the CLI use it.</summary>
public sealed class ExternalAccountStoreTests : IAsyncLifetime
{
    private ContinuityServices _services = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _services = await ContinuityServices.StartAsync(Ct);
        await _services.Get<IOrganizationStore>().AddAsync(new Organization("velo", "Atelier vélo", DateTimeOffset.UtcNow), Ct);
        await _services.Get<IOrganizationStore>().AddAsync(new Organization("edition", "Éditions du Lac", DateTimeOffset.UtcNow), Ct);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    [Fact]
    public async Task Accounts_are_kept_with_every_field_updated_and_removed_per_organization()
    {
        var root = Caller.Server("test");
        var service = _services.Get<ExternalAccountService>();
        var registrar = await service.AddAsync(root, "velo", new ExternalAccountInput("Nom de domaine velo-lyon.fr", "Gandi", "https://admin.gandi.net/", ["Alice Martin", "bob@velo.example"], "Renouvellement en mars ; « accès » partagé."), Ct);
        var relay = await service.AddAsync(root, "edition", new ExternalAccountInput("Relais e-mail", "Brevo", null, ["Eve"], null), Ct);

        // Read back from the database by a fresh look, through the contract the runbook reads.
        var listed = Assert.Single(await _services.Get<IExternalAccounts>().ListAsync(root, "velo", Ct));
        Assert.Equal(registrar.Id, listed.Id);
        Assert.Equal("Gandi", listed.Provider);
        Assert.Equal("https://admin.gandi.net/", listed.SignInAddress);
        Assert.Equal(["Alice Martin", "bob@velo.example"], listed.Holders);
        Assert.Equal("Renouvellement en mars ; « accès » partagé.", listed.Notes);
        Assert.Equal(registrar.UpdatedAt, listed.UpdatedAt);

        _services.Time.Advance(TimeSpan.FromHours(2));
        await service.UpdateAsync(root, "velo", registrar.Id, new ExternalAccountInput("Nom de domaine", "OVHcloud", null, ["Carole"], null), Ct);
        var updated = Assert.Single(await service.ListAsync(root, "velo", Ct));
        Assert.Equal(("Nom de domaine", "OVHcloud", (string?)null, (string?)null), (updated.Purpose, updated.Provider, updated.SignInAddress, updated.Notes));
        Assert.Equal(["Carole"], updated.Holders);
        Assert.Equal(_services.Time.GetUtcNow(), updated.UpdatedAt);

        await service.RemoveAsync(root, "velo", registrar.Id, Ct);
        Assert.Empty(await service.ListAsync(root, "velo", Ct));
        Assert.Equal([relay.Id], (await service.ListAsync(root, "edition", Ct)).Select(a => a.Id));

        // An id of another organization is refused like an unknown one, and stays.
        var refused = await Assert.ThrowsAsync<AppRequestException>(() => service.RemoveAsync(root, "velo", relay.Id, Ct));
        Assert.Equal("id", refused.Field);
        Assert.Single(await service.ListAsync(root, "edition", Ct));
    }
}
