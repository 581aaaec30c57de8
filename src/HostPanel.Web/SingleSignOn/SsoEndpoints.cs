using System.Security.Claims;
using HostPanel.Infrastructure.Data;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

using HostPanel.Web.Accounts;

namespace HostPanel.Web.SingleSignOn;

/// <summary>
/// The provider's endpoints that the panel answers itself (OpenIddict validates the requests
/// first and issues the tokens): authorization, token, user info and end session. Discovery and
/// the key set are answered by OpenIddict alone.
/// </summary>
internal static class SsoEndpoints
{
    public const string AuthorizePath = "connect/authorize";
    public const string TokenPath = "connect/token";
    public const string UserInfoPath = "connect/userinfo";
    public const string EndSessionPath = "connect/endsession";

    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static IEndpointRouteBuilder MapHostPanelSingleSignOn(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        string[] getOrPost = [HttpMethods.Get, HttpMethods.Post];
        endpoints.MapMethods("/" + AuthorizePath, getOrPost, AuthorizeAsync).DisableAntiforgery();
        endpoints.MapPost("/" + TokenPath, TokenAsync).DisableAntiforgery();
        endpoints.MapMethods("/" + UserInfoPath, getOrPost, UserInfoAsync).DisableAntiforgery();
        endpoints.MapMethods("/" + EndSessionPath, getOrPost, EndSessionAsync).DisableAntiforgery();
        return endpoints;
    }

    /// <summary>
    /// A person signed in to the panel who may use the app is sent back to it with a code, without
    /// a consent screen: the apps are the organization's own, installed by its administrators
    /// (implicit consent). Anyone else signs in first; a person who may not use the app, whatever
    /// the app asks, is sent back with access_denied.
    /// </summary>
    private static async Task<IResult> AuthorizeAsync(HttpContext context, SsoAccess access, UserManager<HostPanelUser> users, TwoFactorPolicy twoFactor)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        var session = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var userId = session.Succeeded ? users.GetUserId(session.Principal) : null;
        if (userId is null)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Forbid(Errors.LoginRequired, "The person is not signed in to the panel.");
            }

            // Back here once signed in, with the same parameters (a POST comes back as a GET).
            var parameters = context.Request.HasFormContentType ? context.Request.Form.ToList() : context.Request.Query.ToList();
            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + QueryString.Create(parameters) },
                [IdentityConstants.ApplicationScheme]);
        }

        // An administrator who must use two-step sign-in sets it up before signing in anywhere,
        // apps included; then comes back here.
        if (await users.FindByIdAsync(userId) is { } person && await twoFactor.MustEnrolAsync(person, context.RequestAborted))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Forbid(Errors.InteractionRequired, "The person must set up two-step sign-in first.");
            }

            var here = context.Request.PathBase + context.Request.Path + QueryString.Create(context.Request.HasFormContentType ? context.Request.Form.ToList() : context.Request.Query.ToList());
            return Results.Redirect(AccountPaths.TwoFactor + "?ReturnUrl=" + Uri.EscapeDataString(here));
        }

        var grant = await access.GrantAsync(userId, request.ClientId, context.RequestAborted);
        if (grant is null)
        {
            return Forbid(Errors.AccessDenied, "This person may not use this app.");
        }

        return Results.SignIn(new ClaimsPrincipal(SsoAccess.Identity(grant, request.GetScopes())), properties: null, Scheme);
    }

    /// <summary>Codes and refresh tokens are exchanged only while the person may still use the app (else invalid_grant).</summary>
    private static async Task<IResult> TokenAsync(HttpContext context, SsoAccess access)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        if (!request.IsAuthorizationCodeGrantType() && !request.IsRefreshTokenGrantType())
        {
            return Forbid(Errors.UnsupportedGrantType, "Only the authorization code and refresh token grants are supported.");
        }

        var principal = (await context.AuthenticateAsync(Scheme)).Principal;
        if (principal is null)
        {
            return Forbid(Errors.InvalidGrant, "The code or refresh token is no longer valid.");
        }

        var clientId = request.ClientId ?? principal.GetPresenters().FirstOrDefault();
        var grant = await access.GrantAsync(principal.GetClaim(Claims.Subject), clientId, context.RequestAborted);
        if (grant is null)
        {
            return Forbid(Errors.InvalidGrant, "This person may no longer use this app.");
        }

        return Results.SignIn(new ClaimsPrincipal(SsoAccess.Identity(grant, principal.GetScopes(), principal)), properties: null, Scheme);
    }

    /// <summary>The person as they are now, within the access token's scopes.</summary>
    private static async Task<IResult> UserInfoAsync(HttpContext context, SsoAccess access)
    {
        var principal = (await context.AuthenticateAsync(Scheme)).Principal;
        var clientId = principal?.GetClaim(Claims.ClientId) ?? principal?.GetPresenters().FirstOrDefault();
        var grant = principal is null ? null : await access.GrantAsync(principal.GetClaim(Claims.Subject), clientId, context.RequestAborted);
        if (grant is null)
        {
            return Results.Challenge(
                new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidToken,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "This person may no longer use this app.",
                }),
                [Scheme]);
        }

        return Results.Ok(SsoAccess.UserInfo(grant, principal!.GetScopes()));
    }

    /// <summary>Signs the person out of the panel and sends them to the app's registered address (or the panel's sign-in page).</summary>
    private static async Task<IResult> EndSessionAsync(HttpContext context, SignInManager<HostPanelUser> signIn)
    {
        await signIn.SignOutAsync();
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [Scheme]);
    }

    /// <remarks>
    /// The descriptions are protocol text for the app, in ASCII as OAuth 2.0 requires of
    /// error_description (so not the panel's French): people see the app's own message.
    /// </remarks>
    private static IResult Forbid(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [Scheme]);
}
