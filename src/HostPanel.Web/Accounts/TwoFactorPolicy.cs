using HostPanel.Core.Accounts;
using HostPanel.Infrastructure.Accounts;
using HostPanel.Infrastructure.Data;
using HostPanel.Web.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace HostPanel.Web.Accounts;

/// <summary>
/// Who must use two-step sign-in: hoster administrators and the administrators of any
/// organization, unless the server's configuration turns the rule off
/// (<see cref="AccountSecurityOptions.RequireTwoFactorForAdministrators"/>). Either second step
/// satisfies the rule: an authenticator app (after the password), or a passkey, which is two
/// factors at once (something the person has, unlocked by their PIN or fingerprint) and cannot be
/// phished. An administrator whose only second step is a passkey therefore signs in with it: the
/// password alone would be one factor.
/// </summary>
public sealed class TwoFactorPolicy(
    UserManager<HostPanelUser> users,
    IMembershipStore memberships,
    IOptions<AccountSecurityOptions> options)
{
    /// <summary>Whether the account must have two-step sign-in to use the panel.</summary>
    public async Task<bool> IsRequiredAsync(HostPanelUser user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!options.Value.RequireTwoFactorForAdministrators)
        {
            return false;
        }

        if (await users.IsInRoleAsync(user, HostPanelRoles.HosterAdministrator))
        {
            return true;
        }

        return (await memberships.ForUserAsync(user.Id, ct)).Any(m => m.Role == OrganizationRole.Administrator);
    }

    /// <summary>Whether the account has at least one passkey.</summary>
    public async Task<bool> HasPasskeyAsync(HostPanelUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return users.SupportsUserPasskey && (await users.GetPasskeysAsync(user)).Count > 0;
    }

    /// <summary>Whether the account must set up two-step sign-in (an authenticator app or a passkey) before anything else.</summary>
    public async Task<bool> MustEnrolAsync(HostPanelUser user, CancellationToken ct = default) =>
        !await users.GetTwoFactorEnabledAsync(user) && await IsRequiredAsync(user, ct) && !await HasPasskeyAsync(user);

    /// <summary>
    /// Whether the account may sign in only with its passkey: it must use two-step sign-in and its
    /// only second step is a passkey, so a password alone is refused.
    /// </summary>
    public async Task<bool> SignsInWithPasskeyOnlyAsync(HostPanelUser user, CancellationToken ct = default) =>
        !await users.GetTwoFactorEnabledAsync(user) && await IsRequiredAsync(user, ct) && await HasPasskeyAsync(user);
}

/// <summary>Marks a page an administrator may use before setting up two-step sign-in (the set-up page itself).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class AllowedBeforeTwoFactorAttribute : Attribute;

/// <summary>
/// Sends an administrator who must use two-step sign-in and has not set it up to the set-up page,
/// from any page that needs a signed-in person; other endpoints that need one answer 403. Public
/// pages, sign-out, the language switch, static files and error pages are not concerned.
/// </summary>
internal sealed class TwoFactorGate(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, UserManager<HostPanelUser> users, TwoFactorPolicy policy, IStringLocalizer<SharedResource> text)
    {
        if (!Concerns(context))
        {
            await next(context);
            return;
        }

        var user = await users.GetUserAsync(context.User);
        if (user is null || !await policy.MustEnrolAsync(user, context.RequestAborted))
        {
            await next(context);
            return;
        }

        if (context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null
            && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
        {
            var here = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
            context.Response.Redirect(AccountPaths.TwoFactor + "?ReturnUrl=" + Uri.EscapeDataString(LocalUrl.OrRoot(here)));
            return;
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text["TwoFactor.RequiredForApi"], context.RequestAborted);
    }

    private static bool Concerns(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated != true
            || context.Features.Get<IExceptionHandlerFeature>() is not null
            || context.Features.Get<IStatusCodeReExecuteFeature>() is not null)
        {
            return false;
        }

        var metadata = context.GetEndpoint()?.Metadata;
        return metadata is not null
            && metadata.GetMetadata<AllowedBeforeTwoFactorAttribute>() is null
            && metadata.GetMetadata<IAllowAnonymous>() is null
            && metadata.GetMetadata<IAuthorizeData>() is not null;
    }
}
