using System.Buffers.Text;
using System.Text.Json;
using HostPanel.Core.Configuration;
using HostPanel.Infrastructure.Data;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace HostPanel.Web.Accounts;

/// <summary>The security events of passkeys (Core's <c>SecurityEventKinds</c> has none).</summary>
public static class PasskeyEventKinds
{
    public const string PasskeyAdded = "passkey-added";

    public const string PasskeyRemoved = "passkey-removed";
}

/// <summary>
/// Passkeys (WebAuthn) through Identity's own handler: a person registers them on
/// <see cref="AccountPaths.Passkeys"/> and signs in with one on the sign-in page. The browser
/// fetches the options from the two endpoints here (each POST checks the form's anti-forgery token
/// and counts towards the account forms' limit); the ceremony's state waits in Identity's short
/// two-step cookie until the page's form brings the credential back.
/// </summary>
public static class AccountPasskeys
{
    /// <summary>How long the browser waits for the authenticator; under the 5 minutes the ceremony's state cookie lives.</summary>
    public static TimeSpan AuthenticatorTimeout { get; } = TimeSpan.FromMinutes(3);

    /// <summary>The longest name a person may give a passkey.</summary>
    public const int NameMaxLength = 60;

    internal static IServiceCollection AddHostPanelPasskeys(this IServiceCollection services)
    {
        services.AddOptions<IdentityPasskeyOptions>()
            .Configure<IOptions<HostPanelOptions>>((passkeys, panel) => Configure(passkeys, panel.Value.PanelUrl));
        return services;
    }

    /// <summary>
    /// The panel's passkey rules: the relying party is the host of <c>PanelUrl</c> when it is set
    /// (else Identity takes the host the request came to), the person is always verified by the
    /// authenticator (PIN, fingerprint…), passkeys are discoverable (sign-in without typing an
    /// address), and a credential is only taken from the panel's own origin.
    /// </summary>
    internal static void Configure(IdentityPasskeyOptions passkeys, string? panelUrl)
    {
        var panel = PanelOrigin(panelUrl);
        passkeys.ServerDomain = panel?.IdnHost;
        passkeys.AuthenticatorTimeout = AuthenticatorTimeout;
        passkeys.UserVerificationRequirement = "required";
        passkeys.ResidentKeyRequirement = "required";
        passkeys.AttestationConveyancePreference = "none";
        passkeys.ValidateOrigin = context => ValueTask.FromResult(
            !context.CrossOrigin && IsSameOrigin(context.Origin, panel ?? RequestOrigin(context.HttpContext.Request)));
    }

    /// <summary>The panel's public address as an origin, or null when it is not set (or not an absolute http(s) address).</summary>
    internal static Uri? PanelOrigin(string? panelUrl) =>
        Uri.TryCreate(panelUrl?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? new Uri(uri.GetLeftPart(UriPartial.Authority))
            : null;

    private static Uri? RequestOrigin(HttpRequest request) =>
        Uri.TryCreate($"{request.Scheme}://{request.Host.Value}", UriKind.Absolute, out var uri) ? uri : null;

    /// <summary>Whether the origin the browser wrote in the client data is <paramref name="expected"/> (scheme, host and port).</summary>
    internal static bool IsSameOrigin(string? origin, Uri? expected) =>
        expected is not null
        && Uri.TryCreate(origin, UriKind.Absolute, out var given)
        && given.AbsolutePath == "/" && string.IsNullOrEmpty(given.Query)
        && string.Equals(given.Scheme, expected.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(given.IdnHost, expected.IdnHost, StringComparison.OrdinalIgnoreCase)
        && given.Port == expected.Port;

    /// <summary>
    /// The two endpoints the passkey script asks for options: creation options for the signed-in
    /// person after a recent confirmation (an administrator may use it before setting up two-step
    /// sign-in: a passkey is one), and request options for anyone on the sign-in page (no address typed: the passkey says whose it is).
    /// </summary>
    internal static IEndpointRouteBuilder MapHostPanelPasskeyEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(AccountPaths.PasskeyCreationOptions, async Task<IResult> (
                HttpContext context,
                [FromServices] IAntiforgery antiforgery,
                [FromServices] SignInManager<HostPanelUser> signIn,
                [FromServices] Reauthentication reauthentication,
                [FromServices] TwoFactorPolicy policy) =>
            {
                if (!await antiforgery.IsRequestValidAsync(context))
                {
                    return TypedResults.BadRequest();
                }

                if (await signIn.UserManager.GetUserAsync(context.User) is not { } user)
                {
                    return TypedResults.Unauthorized();
                }

                // Like the form that registers the passkey: a new way to sign in needs a recent confirmation.
                if (!await MayAddAsync(context.User, user, reauthentication, policy, context.RequestAborted))
                {
                    return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
                }

                var name = user.Email ?? user.UserName ?? user.Id;
                var entity = new PasskeyUserEntity
                {
                    Id = user.Id,
                    Name = name,
                    DisplayName = string.IsNullOrWhiteSpace(user.DisplayName) ? name : user.DisplayName,
                };
                return Json(await signIn.MakePasskeyCreationOptionsAsync(entity));
            })
            .RequireAuthorization()
            .WithMetadata(new AllowedBeforeTwoFactorAttribute())
            .RequireRateLimiting(AccountRateLimiting.Policy);

        endpoints.MapPost(AccountPaths.PasskeyRequestOptions, async Task<IResult> (
                HttpContext context,
                [FromServices] IAntiforgery antiforgery,
                [FromServices] SignInManager<HostPanelUser> signIn) =>
            {
                if (!await antiforgery.IsRequestValidAsync(context))
                {
                    return TypedResults.BadRequest();
                }

                return Json(await signIn.MakePasskeyRequestOptionsAsync(null));
            })
            .AllowAnonymous()
            .RequireRateLimiting(AccountRateLimiting.Policy);
        return endpoints;
    }

    /// <summary>
    /// Whether the signed-in <paramref name="principal"/> may add a passkey now: after a recent
    /// confirmation of their identity, or without one while the rule for administrators still
    /// requires them to set up a second step (the confirmation page stays closed to them until
    /// then, and setting up the authenticator app needs no confirmation either).
    /// </summary>
    public static async Task<bool> MayAddAsync(
        System.Security.Claims.ClaimsPrincipal principal, HostPanelUser user, Reauthentication reauthentication, TwoFactorPolicy policy, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(reauthentication);
        ArgumentNullException.ThrowIfNull(policy);
        return await reauthentication.IsFreshAsync(principal) || await policy.MustEnrolAsync(user, ct);
    }

    private static IResult Json(string json) => TypedResults.Text(json, "application/json; charset=utf-8");

    /// <summary>
    /// The account that holds the passkey a credential (the JSON of <c>navigator.credentials.get()</c>)
    /// names, whether or not its signature is right; null for a passkey nobody has here or JSON that names none.
    /// Used to record a refused passkey against its account.
    /// </summary>
    public static async Task<HostPanelUser?> OwnerAsync(UserManager<HostPanelUser> users, string? credentialJson)
    {
        ArgumentNullException.ThrowIfNull(users);
        return CredentialId(credentialJson) is { } id ? await users.FindByPasskeyIdAsync(id) : null;
    }

    /// <summary>The credential id (base64url "id") of a credential's JSON, or null.</summary>
    internal static byte[]? CredentialId(string? credentialJson)
    {
        if (string.IsNullOrEmpty(credentialJson))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(credentialJson);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                ? FromBase64Url(id.GetString())
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A credential id as it travels in forms and the database's key: base64url.</summary>
    public static string ToBase64Url(byte[] bytes) => Base64Url.EncodeToString(bytes);

    /// <summary>Decodes a base64url credential id; null when it is not one (at most 1023 bytes, as WebAuthn says).</summary>
    public static byte[]? FromBase64Url(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 1400 || !Base64Url.IsValid(text))
        {
            return null;
        }

        var bytes = Base64Url.DecodeFromChars(text);
        return bytes.Length is > 0 and <= 1023 ? bytes : null;
    }
}
