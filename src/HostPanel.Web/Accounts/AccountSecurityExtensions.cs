using HostPanel.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HostPanel.Web.Accounts;

public static class AccountSecurityExtensions
{
    /// <summary>
    /// Sign-in security on top of Identity: the server's rules (<see cref="AccountSecurityOptions"/>,
    /// from the configuration), the audit of account events, two-step sign-in (one-use codes, the
    /// rule for administrators), confirmation before destructive actions, short-lived password-reset
    /// links, sessions checked against the account on every request, and the limit on account forms.
    /// </summary>
    public static IdentityBuilder AddHostPanelAccountSecurity(this IdentityBuilder identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var services = identity.Services;
        services.AddOptions<AccountSecurityOptions>()
            .Configure<IServiceProvider>((options, provider) => provider.GetService<IConfiguration>()?.Bind(options));
        services.AddHttpContextAccessor();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<SecurityAudit>();
        services.TryAddScoped<TwoFactorPolicy>();
        services.TryAddScoped<Reauthentication>();
        services.TryAddSingleton<UsedAuthenticatorCodes>();
        services.TryAddSingleton<PasswordResetMailer>();

        identity.AddTokenProvider<OneUseAuthenticatorTokenProvider>(TokenOptions.DefaultAuthenticatorProvider);
        identity.AddTokenProvider<PasswordResetTokenProvider>(PasswordResetTokenProvider.ProviderName);
        services.AddOptions<PasswordResetTokenProviderOptions>()
            .Configure<IOptions<AccountSecurityOptions>>((options, security) =>
            {
                options.Name = PasswordResetTokenProvider.ProviderName;
                options.TokenLifespan = security.Value.PasswordResetLinkLifetime;
            });
        services.Configure<IdentityOptions>(options => options.Tokens.PasswordResetTokenProvider = PasswordResetTokenProvider.ProviderName);

        // A session ends at its next request once its account's security stamp changed (a new
        // password, two-step sign-in turned off, an account disabled), not half an hour later.
        // How the person signed in and when they last confirmed it survive the check.
        services.Configure<SecurityStampValidatorOptions>(options =>
        {
            options.ValidationInterval = TimeSpan.Zero;
            options.OnRefreshingPrincipal = context =>
            {
                if (context.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity renewed)
                {
                    renewed.AddClaims(SessionCookie.Kept(context.CurrentPrincipal));
                }

                return Task.CompletedTask;
            };
        });

        services.AddAccountRateLimiting();
        return identity;
    }
}
