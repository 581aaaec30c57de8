using HostPanel.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HostPanel.Infrastructure.Accounts;

/// <summary>
/// Knows whether the panel has been set up, that is whether a hoster administrator exists. Until
/// then the first-run page is the only page, and the setup token file exists; afterwards neither.
/// </summary>
public sealed class FirstRunState(IServiceScopeFactory scopes, SetupTokenStore tokens, ILogger<FirstRunState> logger)
{
    // Once an administrator exists the panel offers no way back, so a positive answer is kept;
    // a negative one is asked again each time, since the CLI may create the administrator.
    private volatile bool _administratorExists;

    /// <summary>Serializes the creation of the first administrator, so two forms sent at once make one.</summary>
    internal SemaphoreSlim CreationGate { get; } = new(1, 1);

    public async ValueTask<bool> AdministratorExistsAsync(CancellationToken ct = default)
    {
        if (_administratorExists)
        {
            return true;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HostPanelDbContext>();
        var role = scope.ServiceProvider.GetRequiredService<ILookupNormalizer>().NormalizeName(HostPanelRoles.HosterAdministrator);
        var exists = await db.UserRoles.AnyAsync(
            link => db.Roles.Any(r => r.Id == link.RoleId && r.NormalizedName == role), ct);
        _administratorExists = exists;
        return exists;
    }

    /// <summary>
    /// Run at start-up, after the migrations: creates the roles, then makes sure the setup token
    /// exists when no administrator does, and is gone when one does.
    /// </summary>
    public async Task PrepareAsync(CancellationToken ct = default)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var name in HostPanelRoles.All)
            {
                if (await roles.FindByNameAsync(name) is null)
                {
                    var created = await roles.CreateAsync(new IdentityRole(name));
                    if (!created.Succeeded)
                    {
                        throw new InvalidOperationException(
                            $"Could not create the role {name}: {string.Join("; ", created.Errors.Select(e => e.Description))}");
                    }
                }
            }
        }

        if (await EnsureSetupTokenAsync(ct))
        {
            logger.LogWarning(
                "No administrator exists yet. Open the panel's first-run page and give the setup token found in {TokenFile}.",
                tokens.FilePath);
        }
    }

    /// <summary>
    /// While no administrator exists, makes sure the setup token file exists (keeping the current
    /// one) and returns true; once one exists, makes sure the file is gone and returns false.
    /// Runs under the same lock as the creation of the first administrator, so a page being
    /// shown while the administrator is created cannot bring the token back.
    /// </summary>
    public async Task<bool> EnsureSetupTokenAsync(CancellationToken ct = default)
    {
        await CreationGate.WaitAsync(ct);
        try
        {
            if (await AdministratorExistsAsync(ct))
            {
                tokens.Delete();
                return false;
            }

            tokens.EnsureExists();
            return true;
        }
        finally
        {
            CreationGate.Release();
        }
    }

    internal void MarkAdministratorCreated() => _administratorExists = true;
}
