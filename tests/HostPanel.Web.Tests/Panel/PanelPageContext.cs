using System.Globalization;
using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Engine;
using HostPanel.Core.Organizations;
using HostPanel.Infrastructure.Accounts;
using HostPanel.Infrastructure.Apps;
using HostPanel.Infrastructure.Data;
using HostPanel.Infrastructure.State;
using HostPanel.Web.Accounts;
using HostPanel.Web.Panel;
using HostPanel.Web.Tests.Pages;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HostPanel.Web.Tests.Panel;

/// <summary>
/// A bUnit context for the panel's pages, wired like the panel: real Identity, accounts, state
/// and lifecycle services on a real SQLite file, the test catalog of <see cref="CatalogVersion"/>,
/// the real <see cref="PanelSession"/> and <see cref="PanelWork"/>. Only the container engine is
/// a stand-in (<see cref="PageEngine"/>) and the signed-in person is set by
/// <see cref="SignInAsync"/> rather than by a cookie.
/// </summary>
public abstract class PanelPageContext : PanelTestContext
{
    private readonly BunitAuthorizationContext _authorization;

    protected PanelPageContext(int catalogVersion = 1)
        : this(RepositoryPaths.TestCatalog(catalogVersion))
    {
        CatalogVersion = catalogVersion;
    }

    /// <summary>A context whose catalog is the folder <paramref name="catalogDirectory"/> (the real app-catalog, a broken copy…).</summary>
    protected PanelPageContext(string catalogDirectory)
    {
        Options.CatalogDirectory = catalogDirectory;
        Options.PublicAddresses = "127.0.0.1";
        Services.AddOptions<HostPanel.Core.Configuration.HostPanelOptions>().Configure(o =>
        {
            o.DataDirectory = Options.DataDirectory;
            o.CatalogDirectory = Options.CatalogDirectory;
            o.PublicAddresses = Options.PublicAddresses;
        });
        Services.AddSingleton<IContainerEngine>(Engine);
        Services.AddHostPanelState(Options);
        Services.AddHostPanelLifecycle(Options);
        Services.AddSingleton<IHostApplicationLifetime, TestLifetime>();
        Services.AddHostPanelPages();
        _authorization = AddAuthorization();
    }

    /// <summary>The version of the test catalog used; 0 when the context was given a folder.</summary>
    public int CatalogVersion { get; }

    protected PageEngine Engine { get; } = new();

    protected static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    /// <summary>Any service of the panel.</summary>
    protected T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// Creates an account and signs it in for the pages: a member or an administrator of
    /// <paramref name="organization"/> (created when missing), or a hoster administrator.
    /// </summary>
    protected async Task<Caller> SignInAsync(string email, OrganizationRole? role = OrganizationRole.Administrator, string organization = Organization.DefaultId, bool hoster = false)
    {
        var organizations = Get<IOrganizationStore>();
        await organizations.EnsureDefaultAsync(Ct);
        if (await organizations.FindAsync(organization, Ct) is null)
        {
            await organizations.AddAsync(new Organization(organization, organization, DateTimeOffset.UtcNow), Ct);
        }

        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>();
        var user = new HostPanelUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email.Split('@')[0], CreatedAt = DateTimeOffset.UtcNow };
        var created = await users.CreateAsync(user, "correct horse battery staple 1");
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        if (hoster)
        {
            await users.AddToRoleAsync(user, HostPanelRoles.HosterAdministrator);
        }

        if (role is { } r)
        {
            await Get<IMembershipStore>().SaveAsync(new Membership(user.Id, organization, r, DateTimeOffset.UtcNow), Ct);
        }

        _authorization.SetAuthorized(email);
        _authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, email));
        return (await Get<CallerResolver>().ForPersonAsync(user.Id, Ct))!;
    }

    /// <summary>The signed-in person confirmed who they are just now, as /account/confirm records it.</summary>
    protected void ConfirmIdentityNow() =>
        _authorization.SetClaims([.. _authorization.Claims, new Claim(Reauthentication.ClaimType, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))]);

    /// <summary>
    /// An installed app of <paramref name="organization"/> (created when missing), recorded as the
    /// lifecycle records one, with its package archived when the catalog has that version.
    /// </summary>
    protected async Task<AppInstance> AddInstanceAsync(string name, string organization = Organization.DefaultId, string app = "notes", string version = "1", InstanceState state = InstanceState.Running, string? domain = null)
    {
        var organizations = Get<IOrganizationStore>();
        await organizations.EnsureDefaultAsync(Ct);
        if (await organizations.FindAsync(organization, Ct) is null)
        {
            await organizations.AddAsync(new Organization(organization, organization, DateTimeOffset.UtcNow), Ct);
        }

        var instance = new AppInstance
        {
            Name = name,
            OrganizationId = organization,
            AppId = app,
            Version = version,
            Domain = domain,
            State = state,
            CreatedAt = DateTimeOffset.UtcNow.AddDays(-3),
            UpdatedAt = DateTimeOffset.UtcNow.AddDays(-3),
        };
        await Get<IInstanceStore>().AddAsync(instance, Ct);
        var catalog = Get<IAppCatalog>();
        if (catalog.Load().Apps.FirstOrDefault(a => a.Manifest.Id == app && a.Manifest.Version == version) is { } package)
        {
            await Get<IPackageArchive>().SaveAsync(name, version, catalog.Package(package), Ct);
        }

        return instance;
    }

    private sealed class TestLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
