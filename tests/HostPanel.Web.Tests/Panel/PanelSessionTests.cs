using HostPanel.Core.Accounts;
using HostPanel.Web.Panel;

namespace HostPanel.Web.Tests.Panel;

public sealed class PanelSessionTests : PanelPageContext
{
    [Fact]
    public async Task A_member_sees_their_own_organization_whatever_the_cookie_asks()
    {
        await SignInAsync("bob@velo.example", OrganizationRole.Member, "velo");
        await Get<HostPanel.Core.Organizations.IOrganizationStore>().AddAsync(new("edition", "Édition", DateTimeOffset.UtcNow), Ct);
        var session = Get<PanelSession>();
        session.PreferredOrganizationId = "edition";

        Assert.Equal("velo", (await session.OrganizationAsync(Ct))?.Id);
        Assert.Equal(["velo"], (await session.OrganizationsAsync(Ct)).Select(o => o.Id));
        Assert.Equal(OrganizationRole.Member, await session.RoleAsync(Ct));
    }

    [Fact]
    public async Task A_hoster_sees_every_organization_and_the_one_the_cookie_names()
    {
        await SignInAsync("root@hoster.example", role: null, hoster: true);
        await Get<HostPanel.Core.Organizations.IOrganizationStore>().AddAsync(new("velo", "Vélo", DateTimeOffset.UtcNow), Ct);
        var session = Get<PanelSession>();

        Assert.Equal("default", (await session.OrganizationAsync(Ct))?.Id);
        session.PreferredOrganizationId = "velo";
        Assert.Equal("velo", (await session.OrganizationAsync(Ct))?.Id);
        Assert.Equal(OrganizationRole.Administrator, await session.RoleAsync(Ct));
        Assert.Equal(2, (await session.OrganizationsAsync(Ct)).Count);
    }

    [Fact]
    public async Task Nobody_signed_in_is_refused_in_plain_words()
    {
        var refusal = await Assert.ThrowsAsync<AccessDeniedException>(() => Get<PanelSession>().CallerAsync(Ct));

        Assert.Contains("connect", refusal.Message, StringComparison.OrdinalIgnoreCase);
    }
}
