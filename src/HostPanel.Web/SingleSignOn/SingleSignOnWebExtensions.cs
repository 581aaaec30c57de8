using HostPanel.Infrastructure.SingleSignOn;
using HostPanel.Web.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Diagnostics;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace HostPanel.Web.SingleSignOn;

public static class SingleSignOnWebExtensions
{
    /// <summary>
    /// The panel as an OpenID Connect provider for the apps it installs (OpenIddict): the issuer is
    /// <c>PanelUrl</c> (without it the provider answers at the address it is reached at, but apps
    /// get no client); authorization code flow with PKCE required, refresh tokens; discovery at
    /// <c>.well-known/openid-configuration</c> and keys at <c>.well-known/jwks</c>. Access tokens are
    /// signed JWTs, not encrypted (<see cref="SsoAccess.Identity"/> keeps them to the subject and
    /// scopes); codes and refresh tokens are encrypted. Keys: <see cref="SsoKeyManager"/>.
    /// Plain HTTP is accepted: the panel listens on the machine only, behind the edge proxy, which
    /// serves it over HTTPS.
    /// </summary>
    public static WebApplicationBuilder AddHostPanelSingleSignOnProvider(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var issuer = SsoIssuer.Normalize(builder.HostPanelOptions().PanelUrl);
        builder.Services.AddOpenIddict()
            .AddServer(server =>
            {
                if (issuer is not null)
                {
                    server.SetIssuer(new Uri(issuer, UriKind.Absolute));
                }

                server.SetAuthorizationEndpointUris(SsoEndpoints.AuthorizePath)
                    .SetTokenEndpointUris(SsoEndpoints.TokenPath)
                    .SetUserInfoEndpointUris(SsoEndpoints.UserInfoPath)
                    .SetEndSessionEndpointUris(SsoEndpoints.EndSessionPath);

                server.AllowAuthorizationCodeFlow()
                    .AllowRefreshTokenFlow()
                    .RequireProofKeyForCodeExchange();

                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess, SsoScopes.Groups);
                server.RegisterClaims(
                    Claims.Subject, Claims.Name, Claims.PreferredUsername, Claims.Email, Claims.EmailVerified, SsoAccess.GroupsClaim);

                server.DisableAccessTokenEncryption();

                // The provider's answers are for programs: the panel's status code pages (an HTML
                // page in place of an empty 401 or 400) must not replace them.
                server.AddEventHandler<OpenIddictServerEvents.ProcessRequestContext>(handler => handler
                    .UseInlineHandler(context =>
                    {
                        if (context.Transaction.GetHttpRequest()?.HttpContext.Features.Get<IStatusCodePagesFeature>() is { } pages)
                        {
                            pages.Enabled = false;
                        }

                        return default;
                    })
                    .SetOrder(int.MinValue));

                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
            });

        // After OpenIddict's own registrations: the post-configuration must run after its sorting.
        builder.Services.AddSingleton<SsoKeyManager>();
        builder.Services.AddSingleton<SsoServerCredentials>();
        builder.Services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>>(sp => sp.GetRequiredService<SsoServerCredentials>());
        builder.Services.AddSingleton<IPostConfigureOptions<OpenIddictServerOptions>>(sp => sp.GetRequiredService<SsoServerCredentials>());
        builder.Services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>>(sp => sp.GetRequiredService<SsoServerCredentials>());
        builder.Services.AddHostedService<SsoKeyRotationService>();
        builder.Services.AddHostedService<PanelCertificateScheduler>();
        builder.Services.AddScoped<SsoAccess>();
        return builder;
    }
}
