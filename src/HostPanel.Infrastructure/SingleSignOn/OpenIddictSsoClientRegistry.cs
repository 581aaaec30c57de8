using System.Buffers.Text;
using System.Security.Cryptography;
using HostPanel.Core.Accounts;
using HostPanel.Core.Catalog.Planning;
using HostPanel.Core.Secrets;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace HostPanel.Infrastructure.SingleSignOn;

/// <summary>
/// One confidential OpenIddict client per app instance, its client id the instance's name. The
/// secret (32 random bytes, base64url) is generated once and kept encrypted in the secret store
/// under <c>sso-client:INSTANCE</c>, so that <see cref="EnsureAsync"/> hands the same one back each
/// time; OpenIddict keeps only its hash. The client may use the authorization code flow with PKCE
/// and refresh tokens, the scopes openid, profile, email, groups and offline_access, and the
/// end-session endpoint.
/// </summary>
internal sealed class OpenIddictSsoClientRegistry(IServiceScopeFactory scopes, ISecretStore secrets, SsoIssuerSetting issuer) : ISsoClientRegistry
{
    /// <summary>The secret's name under its owner.</summary>
    public const string SecretName = "client_secret";

    private const int SecretBytes = 32;

    public string? Issuer => issuer.Issuer;

    /// <summary>The secret store owner of an instance's client secret (never the instance's own secrets).</summary>
    public static string SecretOwner(string instance) => "sso-client:" + instance;

    public async Task<SsoSettings> EnsureAsync(SsoClientRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Instance);
        var issuerUrl = Issuer ?? throw new InvalidOperationException(
            "The panel has no public address (PanelUrl), so it offers no single sign-on to apps.");

        // Kept when it exists: the app keeps working with the secret it was given.
        var owner = SecretOwner(request.Instance);
        await secrets.AddMissingAsync(owner, new Dictionary<string, string> { [SecretName] = NewSecret() }, ct).ConfigureAwait(false);
        var secret = (await secrets.GetAllAsync(owner, ct).ConfigureAwait(false))[SecretName];

        await using var scope = scopes.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var existing = await applications.FindByClientIdAsync(request.Instance, ct).ConfigureAwait(false);
        if (existing is null)
        {
            var created = new OpenIddictApplicationDescriptor { ClientId = request.Instance, ClientSecret = secret };
            Describe(created, request);
            await applications.CreateAsync(created, ct).ConfigureAwait(false);
        }
        else
        {
            var updated = new OpenIddictApplicationDescriptor();
            await applications.PopulateAsync(updated, existing, ct).ConfigureAwait(false);

            // The stored hash stays unless it no longer matches the kept secret (then it is hashed again).
            if (!await applications.ValidateClientSecretAsync(existing, secret, ct).ConfigureAwait(false))
            {
                updated.ClientSecret = secret;
            }

            Describe(updated, request);
            await applications.UpdateAsync(existing, updated, ct).ConfigureAwait(false);
        }

        return new SsoSettings(issuerUrl, request.Instance, secret);
    }

    public async Task RemoveAsync(string instance, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instance);
        await using (var scope = scopes.CreateAsyncScope())
        {
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            if (await applications.FindByClientIdAsync(instance, ct).ConfigureAwait(false) is { } application)
            {
                var id = await applications.GetIdAsync(application, ct).ConfigureAwait(false);
                if (id is not null)
                {
                    var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
                    var authorizations = scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>();
                    await foreach (var token in tokens.FindByApplicationIdAsync(id, ct).ConfigureAwait(false))
                    {
                        await tokens.DeleteAsync(token, ct).ConfigureAwait(false);
                    }

                    await foreach (var authorization in authorizations.FindByApplicationIdAsync(id, ct).ConfigureAwait(false))
                    {
                        await authorizations.DeleteAsync(authorization, ct).ConfigureAwait(false);
                    }
                }

                await applications.DeleteAsync(application, ct).ConfigureAwait(false);
            }
        }

        await secrets.DeleteAllAsync(SecretOwner(instance), ct).ConfigureAwait(false);
    }

    public async Task<bool> ExistsAsync(string instance, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instance);
        await using var scope = scopes.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        return await applications.FindByClientIdAsync(instance, ct).ConfigureAwait(false) is not null;
    }

    /// <summary>Everything but the id and secret, from the request, the same on every call.</summary>
    private static void Describe(OpenIddictApplicationDescriptor descriptor, SsoClientRequest request)
    {
        descriptor.ClientType = ClientTypes.Confidential;
        descriptor.ConsentType = ConsentTypes.Implicit;
        descriptor.ApplicationType = ApplicationTypes.Web;
        descriptor.DisplayName = request.DisplayName;

        descriptor.RedirectUris.Clear();
        foreach (var uri in request.RedirectUris)
        {
            descriptor.RedirectUris.Add(Absolute(uri, request.Instance));
        }

        descriptor.PostLogoutRedirectUris.Clear();
        foreach (var uri in request.PostLogoutRedirectUris)
        {
            descriptor.PostLogoutRedirectUris.Add(Absolute(uri, request.Instance));
        }

        descriptor.Permissions.Clear();
        descriptor.Permissions.UnionWith(
        [
            Permissions.Endpoints.Authorization,
            Permissions.Endpoints.Token,
            Permissions.Endpoints.EndSession,
            Permissions.GrantTypes.AuthorizationCode,
            Permissions.GrantTypes.RefreshToken,
            Permissions.ResponseTypes.Code,
            Permissions.Scopes.Profile,
            Permissions.Scopes.Email,
            Permissions.Prefixes.Scope + SsoScopes.Groups,
        ]);

        descriptor.Requirements.Clear();
        descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
    }

    private static Uri Absolute(string uri, string instance) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttps || absolute.Scheme == Uri.UriSchemeHttp) && string.IsNullOrEmpty(absolute.Fragment)
            ? absolute
            : throw new ArgumentException($"The single sign-on address '{uri}' of {instance} is not an absolute http(s) address without fragment.", nameof(uri));

    private static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
}
