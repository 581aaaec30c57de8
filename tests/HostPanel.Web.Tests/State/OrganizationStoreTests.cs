using HostPanel.Core.Organizations;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.State;

public sealed class OrganizationStoreTests : StateTestBase
{
    private IOrganizationStore Store => Get<IOrganizationStore>();

    [Fact]
    public async Task TheDefaultOrganizationIsCreatedOnceWithItsIdAsName()
    {
        var first = await Store.EnsureDefaultAsync(Ct);
        var again = await Store.EnsureDefaultAsync(Ct);

        Assert.Equal(Organization.DefaultId, first.Id);
        Assert.Equal(Organization.DefaultId, first.Name);
        Assert.Equal(first, again);
        Assert.Equal([first], await Store.ListAsync(Ct));
        Assert.Equal(first, await Store.FindAsync(Organization.DefaultId, Ct));
    }

    [Fact]
    public async Task TwoProcessesEnsuringTheDefaultAtOnceMakeOnlyOne()
    {
        var other = await StartServicesAsync();
        var stores = new[] { Store, other.GetRequiredService<IOrganizationStore>() };
        await ExecuteAsync("DELETE FROM Organizations;");

        var created = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => stores[i % 2].EnsureDefaultAsync(Ct), Ct)));

        Assert.Single(created.Distinct());
        Assert.Single(await Store.ListAsync(Ct));
    }

    [Fact]
    public async Task OrganizationsAreAddedFoundAndListedInCreationOrder()
    {
        var now = DateTimeOffset.UtcNow;
        var association = new Organization("les-amis", "Les Amis du Quartier", now.AddMinutes(1));
        await Store.AddAsync(association, Ct);

        Assert.Equal(association, await Store.FindAsync("les-amis", Ct));
        Assert.Null(await Store.FindAsync("nobody", Ct));
        Assert.Equal([Organization.DefaultId, "les-amis"], (await Store.ListAsync(Ct)).Select(o => o.Id));
    }

    [Fact]
    public async Task AddingAnIdTwiceOrAnInvalidIdFails()
    {
        await Store.AddAsync(new Organization("club", "Club", DateTimeOffset.UtcNow), Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => Store.AddAsync(new Organization("club", "Another club", DateTimeOffset.UtcNow), Ct));
        await Assert.ThrowsAsync<ArgumentException>(
            () => Store.AddAsync(new Organization("Not A Slug", "x", DateTimeOffset.UtcNow), Ct));
    }
}
