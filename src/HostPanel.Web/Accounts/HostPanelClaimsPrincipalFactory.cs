using System.Security.Claims;
using HostPanel.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace HostPanel.Web.Accounts;

/// <summary>Adds the display name to the sign-in cookie, so pages can greet people by name.</summary>
internal sealed class HostPanelClaimsPrincipalFactory(
    UserManager<HostPanelUser> users,
    RoleManager<IdentityRole> roles,
    IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<HostPanelUser, IdentityRole>(users, roles, options)
{
    public const string DisplayNameClaim = "hostpanel:display_name";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(HostPanelUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (!string.IsNullOrWhiteSpace(user.DisplayName))
        {
            identity.AddClaim(new Claim(DisplayNameClaim, user.DisplayName));
        }

        return identity;
    }
}
