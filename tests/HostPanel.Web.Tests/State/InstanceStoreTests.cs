using HostPanel.Core.Apps;
using HostPanel.Core.Organizations;
using Microsoft.Data.Sqlite;

namespace HostPanel.Web.Tests.State;

public sealed class InstanceStoreTests : StateTestBase
{
    private static readonly DateTimeOffset Installed = new(2026, 3, 14, 9, 26, 53, TimeSpan.FromHours(1));

    private IInstanceStore Store => Get<IInstanceStore>();

    private static AppInstance Instance(string name, string? domain = null, InstanceState state = InstanceState.Running, string organization = Organization.DefaultId) => new()
    {
        Name = name,
        OrganizationId = organization,
        AppId = "nextcloud",
        Version = "30.0.1",
        Revision = 2,
        Domain = domain,
        Path = "/",
        State = state,
        Answers = new Dictionary<string, string> { ["admin_email"] = "admin@example.org", ["language"] = "fr" },
        CreatedAt = Installed,
        UpdatedAt = Installed.AddMinutes(3),
    };

    [Fact]
    public async Task AnInstanceComesBackAsItWasAdded()
    {
        var cloud = Instance("cloud", "cloud.example.org");
        await Store.AddAsync(cloud, Ct);

        var found = await Store.FindAsync("cloud", Ct);

        Assert.NotNull(found);
        Assert.Equal(cloud with { Answers = found.Answers }, found);
        Assert.Equal(cloud.Answers, found.Answers);
        Assert.Equal(Installed, found.CreatedAt);
        Assert.Null(await Store.FindAsync("nothing", Ct));
    }

    [Fact]
    public async Task ListingFiltersByOrganizationAndLeavesRemovedOnesOutUnlessAsked()
    {
        await Get<IOrganizationStore>().AddAsync(new Organization("club", "Club", Installed), Ct);
        await Store.AddAsync(Instance("wiki", organization: "club"), Ct);
        await Store.AddAsync(Instance("cloud"), Ct);
        await Store.AddAsync(Instance("blog", state: InstanceState.Removed), Ct);
        await Store.AddAsync(Instance("agenda", state: InstanceState.Stopped), Ct);

        Assert.Equal(["agenda", "cloud", "wiki"], (await Store.ListAsync(ct: Ct)).Select(i => i.Name));
        Assert.Equal(["agenda", "blog", "cloud", "wiki"], (await Store.ListAsync(includeRemoved: true, ct: Ct)).Select(i => i.Name));
        Assert.Equal(["agenda", "cloud"], (await Store.ListAsync(Organization.DefaultId, ct: Ct)).Select(i => i.Name));
        Assert.Equal(["agenda", "blog", "cloud"], (await Store.ListAsync(Organization.DefaultId, includeRemoved: true, Ct)).Select(i => i.Name));
        Assert.Equal(["wiki"], (await Store.ListAsync("club", ct: Ct)).Select(i => i.Name));
    }

    [Fact]
    public async Task ANameIsTakenByALiveOrARemovedInstance()
    {
        await Store.AddAsync(Instance("cloud", "cloud.example.org"), Ct);
        await Store.AddAsync(Instance("old", state: InstanceState.Removed), Ct);

        var live = await Assert.ThrowsAsync<InstanceNameTakenException>(() => Store.AddAsync(Instance("cloud", "other.example.org"), Ct));
        var removed = await Assert.ThrowsAsync<InstanceNameTakenException>(() => Store.AddAsync(Instance("old"), Ct));

        Assert.Equal("cloud", live.InstanceName);
        Assert.Equal("old", removed.InstanceName);
    }

    [Fact]
    public async Task ALiveDomainBelongsToOneInstanceWhateverItsCase()
    {
        await Store.AddAsync(Instance("cloud", "cloud.example.org"), Ct);

        var taken = await Assert.ThrowsAsync<DomainTakenException>(() => Store.AddAsync(Instance("cloud2", "Cloud.Example.ORG"), Ct));

        Assert.Equal("cloud", taken.TakenBy);
        Assert.Equal("Cloud.Example.ORG", taken.Domain);
        Assert.Null(await Store.FindAsync("cloud2", Ct));
    }

    [Fact]
    public async Task ARemovedInstancesDomainCanBeReusedButThenItCannotComeBackOnIt()
    {
        await Store.AddAsync(Instance("cloud", "cloud.example.org", InstanceState.Removed), Ct);
        await Store.AddAsync(Instance("cloud2", "cloud.example.org"), Ct);

        var revived = (await Store.FindAsync("cloud", Ct))! with { State = InstanceState.Installing };
        var taken = await Assert.ThrowsAsync<DomainTakenException>(() => Store.UpdateAsync(revived, Ct));

        Assert.Equal("cloud2", taken.TakenBy);
        Assert.Equal(InstanceState.Removed, (await Store.FindAsync("cloud", Ct))!.State);

        // Once the other one is removed in turn, it can.
        await Store.UpdateAsync((await Store.FindAsync("cloud2", Ct))! with { State = InstanceState.Removed }, Ct);
        await Store.UpdateAsync(revived, Ct);
        Assert.Equal(InstanceState.Installing, (await Store.FindAsync("cloud", Ct))!.State);
    }

    [Fact]
    public async Task TheDatabaseItselfRefusesASecondLiveInstanceOnADomain()
    {
        await Store.AddAsync(Instance("cloud", "cloud.example.org"), Ct);
        await Store.AddAsync(Instance("gone", "cloud.example.org", InstanceState.Removed), Ct);

        var error = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(
            """
            INSERT INTO AppInstances (Name, OrganizationId, AppId, Version, Revision, Domain, Path, State, Answers, CreatedAt, UpdatedAt)
            VALUES ('sneaky', 'default', 'wordpress', '6.7', 1, 'CLOUD.example.org', '/', 'Running', '{}', 0, 0);
            """));

        Assert.Contains("UNIQUE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdatingReplacesTheValuesButKeepsTheCreationTime()
    {
        await Store.AddAsync(Instance("cloud", "cloud.example.org"), Ct);
        var updated = Instance("cloud", "nuage.example.org", InstanceState.Updating) with
        {
            Version = "31.0.0",
            Revision = 3,
            Path = "/nuage",
            Answers = new Dictionary<string, string> { ["language"] = "en" },
            CreatedAt = default,
            UpdatedAt = Installed.AddDays(30),
        };

        await Store.UpdateAsync(updated, Ct);

        var found = (await Store.FindAsync("cloud", Ct))!;
        Assert.Equal(updated with { Answers = found.Answers, CreatedAt = Installed }, found);
        Assert.Equal(new Dictionary<string, string> { ["language"] = "en" }, found.Answers);
    }

    [Fact]
    public async Task UpdatingAnUnknownInstanceOrAddingToAnUnknownOrganizationFails()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.UpdateAsync(Instance("ghost"), Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.AddAsync(Instance("cloud", organization: "nowhere"), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AddAsync(Instance("Not_A_Name"), Ct));
    }

    [Fact]
    public async Task DeletingForgetsTheInstanceAndFreesItsName()
    {
        await Store.AddAsync(Instance("cloud", "cloud.example.org"), Ct);

        await Store.DeleteAsync("cloud", Ct);
        await Store.DeleteAsync("cloud", Ct);

        Assert.Null(await Store.FindAsync("cloud", Ct));
        await Store.AddAsync(Instance("cloud", "cloud.example.org"), Ct);
    }
}
