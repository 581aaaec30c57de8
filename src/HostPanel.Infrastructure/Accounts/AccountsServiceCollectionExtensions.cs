using HostPanel.Core.Configuration;
using HostPanel.Infrastructure.Data;
using HostPanel.Infrastructure.Secrets;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HostPanel.Infrastructure.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>
    /// Registers panel accounts (ASP.NET Core Identity on <see cref="HostPanelDbContext"/>, with roles),
    /// the setup token and the first-run services. The web panel adds sign-in and cookies on top.
    /// </summary>
    public static IdentityBuilder AddHostPanelAccounts(this IServiceCollection services, HostPanelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new SetupTokenStore(options.DataDirectory));
        services.AddSingleton<FirstRunState>();
        services.AddScoped<FirstAdministratorSetup>();
        services.TryAddSingleton<HostPanel.Core.Accounts.IPeopleDirectory, IdentityPeopleDirectory>();

        // The authenticator keys are encrypted with the panel's key ring (idempotent when already registered).
        services.AddHostPanelDataProtection(options);
        var identity = services
            .AddIdentityCore<HostPanelUser>(ApplyAccountRules)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<HostPanelDbContext>();

        // Identity's store, but with the two-factor secrets encrypted (key) and hashed (recovery codes).
        services.Replace(ServiceDescriptor.Scoped<IUserStore<HostPanelUser>, ProtectedUserStore>());

        // Authenticator codes can be checked outside the panel too (a handover's sign-in proof at
        // the console); the panel registers its own, one-use provider under the same name, which wins.
        services.TryAddTransient<AuthenticatorTokenProvider<HostPanelUser>>();
        services.PostConfigure<IdentityOptions>(o => o.Tokens.ProviderMap.TryAdd(
            TokenOptions.DefaultAuthenticatorProvider, new TokenProviderDescriptor(typeof(AuthenticatorTokenProvider<HostPanelUser>))));
        return identity;
    }

    /// <summary>The panel's account rules, in one place.</summary>
    public static void ApplyAccountRules(IdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Length is what makes a password strong, and a single rule is one a volunteer can follow:
        // at least 12 characters, not all the same few, no forced mix of character kinds.
        options.Password.RequiredLength = 12;
        options.Password.RequiredUniqueChars = 4;
        options.Password.RequireDigit = false;
        options.Password.RequireLowercase = false;
        options.Password.RequireUppercase = false;
        options.Password.RequireNonAlphanumeric = false;

        options.Lockout.AllowedForNewUsers = true;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);

        // The e-mail address is the user name; any address the person really has must be accepted.
        options.User.RequireUniqueEmail = true;
        options.User.AllowedUserNameCharacters = "";

        options.SignIn.RequireConfirmedAccount = false;
        options.Stores.SchemaVersion = HostPanelDbContext.IdentitySchema;
    }
}
