using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Infrastructure.Accounts;

/// <summary>
/// The panel's accounts through ASP.NET Core Identity. The directory is a singleton; each call
/// takes Identity's scoped <see cref="UserManager{TUser}"/> from a scope of its own.
/// A disabled account is also locked out for good and its security stamp changes, so Identity
/// refuses its sign-in and its cookies stop being valid at their next check.
/// </summary>
internal sealed class IdentityPeopleDirectory(IServiceScopeFactory scopes, TimeProvider time) : IPeopleDirectory
{
    public Task<Person?> FindAsync(string id, CancellationToken ct = default) =>
        WithUsersAsync(async users => await users.FindByIdAsync(id) is { } user ? await ToPersonAsync(users, user) : null);

    public Task<Person?> FindByEmailAsync(string email, CancellationToken ct = default) =>
        WithUsersAsync(async users => await users.FindByEmailAsync(email.Trim()) is { } user ? await ToPersonAsync(users, user) : null);

    public Task<IReadOnlyList<Person>> FindManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) =>
        WithUsersAsync<IReadOnlyList<Person>>(async users =>
        {
            var found = await users.Users.Where(u => ids.Contains(u.Id)).ToListAsync(ct);
            var hosters = (await users.GetUsersInRoleAsync(HostPanelRoles.HosterAdministrator)).Select(u => u.Id).ToHashSet();
            return [.. found.Select(u => ToPerson(u, hosters.Contains(u.Id)))];
        });

    public Task<IReadOnlyList<Person>> HosterAdministratorsAsync(CancellationToken ct = default) =>
        WithUsersAsync<IReadOnlyList<Person>>(async users =>
            [.. (await users.GetUsersInRoleAsync(HostPanelRoles.HosterAdministrator)).Select(u => ToPerson(u, true))]);

    public Task<Person> CreateAsync(string email, string displayName, string password, CancellationToken ct = default) =>
        WithUsersAsync(async users =>
        {
            var user = new HostPanelUser
            {
                UserName = email.Trim(),
                Email = email.Trim(),
                DisplayName = displayName.Trim(),
                CreatedAt = time.GetUtcNow(),
            };
            Check(await users.CreateAsync(user, password), "password");
            return ToPerson(user, false);
        });

    public Task SetDisabledAsync(string id, bool disabled, CancellationToken ct = default) =>
        WithUsersAsync(async users =>
        {
            var user = await users.FindByIdAsync(id) ?? throw new InvalidOperationException($"No account {id}.");
            user.DisabledAt = disabled ? time.GetUtcNow() : null;
            Check(await users.UpdateAsync(user), "email");
            Check(await users.SetLockoutEndDateAsync(user, disabled ? DateTimeOffset.MaxValue : null), "email");
            Check(await users.UpdateSecurityStampAsync(user), "email");
            return true;
        });

    public Task DeleteAsync(string id, CancellationToken ct = default) =>
        WithUsersAsync(async users =>
        {
            if (await users.FindByIdAsync(id) is { } user)
            {
                Check(await users.DeleteAsync(user), "email");
            }

            return true;
        });

    public Task RecoverAsync(string id, string password, CancellationToken ct = default) =>
        WithUsersAsync(async users =>
        {
            var user = await users.FindByIdAsync(id) ?? throw new InvalidOperationException($"No account {id}.");
            foreach (var validator in users.PasswordValidators)
            {
                Check(await validator.ValidateAsync(users, user, password), "password");
            }

            if (await users.HasPasswordAsync(user))
            {
                Check(await users.RemovePasswordAsync(user), "password");
            }

            Check(await users.AddPasswordAsync(user, password), "password");
            user.DisabledAt = null;
            Check(await users.UpdateAsync(user), "email");
            Check(await users.SetLockoutEndDateAsync(user, null), "email");
            Check(await users.ResetAccessFailedCountAsync(user), "email");
            Check(await users.SetTwoFactorEnabledAsync(user, false), "email");
            Check(await users.ResetAuthenticatorKeyAsync(user), "email");

            // Passkeys go too: one may be lost or stolen, and an administrator whose only second step
            // is a passkey is refused a sign-in with the password alone.
            if (users.SupportsUserPasskey)
            {
                foreach (var passkey in await users.GetPasskeysAsync(user))
                {
                    Check(await users.RemovePasskeyAsync(user, passkey.CredentialId), "email");
                }
            }
            await AddHosterRoleAsync(users, user);
            Check(await users.UpdateSecurityStampAsync(user), "email");
            return true;
        });

    public Task SetHosterAsync(string id, bool hoster, CancellationToken ct = default) =>
        WithUsersAsync(async users =>
        {
            var user = await users.FindByIdAsync(id) ?? throw new InvalidOperationException($"No account {id}.");
            if (hoster)
            {
                await AddHosterRoleAsync(users, user);
            }
            else if (await users.IsInRoleAsync(user, HostPanelRoles.HosterAdministrator))
            {
                Check(await users.RemoveFromRoleAsync(user, HostPanelRoles.HosterAdministrator), "email");
            }

            Check(await users.UpdateSecurityStampAsync(user), "email");
            return true;
        });

    public Task<bool> VerifySignInAsync(string id, string password, string code, CancellationToken ct = default) =>
        WithUsersAsync(async users =>
        {
            if (await users.FindByIdAsync(id) is not { } user || user.DisabledAt is not null || await users.IsLockedOutAsync(user)
                || !await users.GetTwoFactorEnabledAsync(user))
            {
                return false;
            }

            var digits = new string((code ?? string.Empty).Where(char.IsAsciiDigit).ToArray());
            if (await users.CheckPasswordAsync(user, password ?? string.Empty)
                && await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, digits))
            {
                Check(await users.ResetAccessFailedCountAsync(user), "email");
                return true;
            }

            Check(await users.AccessFailedAsync(user), "email");
            return false;
        });

    private async Task AddHosterRoleAsync(UserManager<HostPanelUser> users, HostPanelUser user)
    {
        if (await users.IsInRoleAsync(user, HostPanelRoles.HosterAdministrator))
        {
            return;
        }

        // The role exists once the panel has run; root may act before it ever did.
        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roles.RoleExistsAsync(HostPanelRoles.HosterAdministrator))
        {
            Check(await roles.CreateAsync(new IdentityRole(HostPanelRoles.HosterAdministrator)), "email");
        }

        Check(await users.AddToRoleAsync(user, HostPanelRoles.HosterAdministrator), "email");
    }

    private async Task<T> WithUsersAsync<T>(Func<UserManager<HostPanelUser>, Task<T>> body)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await body(scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>());
    }

    private static async Task<Person> ToPersonAsync(UserManager<HostPanelUser> users, HostPanelUser user) =>
        ToPerson(user, await users.IsInRoleAsync(user, HostPanelRoles.HosterAdministrator));

    private static Person ToPerson(HostPanelUser user, bool hoster) =>
        new(user.Id, user.Email ?? user.UserName ?? string.Empty, user.DisplayName, user.DisabledAt is not null, user.TwoFactorEnabled, hoster, user.CreatedAt);

    private static void Check(IdentityResult result, string field)
    {
        if (!result.Succeeded)
        {
            throw new AppRequestException(field, string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
