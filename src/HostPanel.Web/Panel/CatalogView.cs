using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Catalog.Loading;
using HostPanel.Core.Organizations;

namespace HostPanel.Web.Panel;

/// <summary>
/// What the catalog pages read first: the catalog as it is on disk now, the organization shown,
/// and whether the person may install there (its administrators and hosters). The install
/// itself is decided again by <see cref="AppService"/>.
/// </summary>
public sealed record CatalogView(CatalogLoadResult Catalog, Organization? Organization, bool MayInstall)
{
    public static async Task<CatalogView> ReadAsync(IAppCatalog catalog, PanelSession session, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(session);
        var organization = await session.OrganizationAsync(ct).ConfigureAwait(false);
        var role = await session.RoleAsync(ct).ConfigureAwait(false);
        // Reading the catalog reads every manifest from disk: off the page's thread.
        var loaded = await Task.Run(catalog.Load, ct).ConfigureAwait(false);
        return new CatalogView(loaded, organization, organization is not null && role == OrganizationRole.Administrator);
    }

    /// <summary>The app offered under <paramref name="appId"/>, or null (unknown, or its manifest unreadable).</summary>
    public CatalogApp? Find(string appId) => Catalog.Apps.FirstOrDefault(a => a.Manifest.Id == appId);

    /// <summary>The organization's name, for sentences.</summary>
    public string OrganizationName => Organization?.Name ?? string.Empty;
}
