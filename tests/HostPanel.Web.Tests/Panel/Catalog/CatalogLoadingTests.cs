using Bunit;
using HostPanel.Core.Apps;
using HostPanel.Core.Catalog.Loading;
using HostPanel.Web.Components.Pages.Catalog;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Panel.Catalog;

/// <summary>A catalog that answers only when the test says so, to see the page while it waits.</summary>
public sealed class CatalogLoadingTests : PanelPageContext
{
    private readonly SlowCatalog _catalog = new(new DirectoryAppCatalog(RepositoryPaths.TestCatalog(1)));

    public CatalogLoadingTests() => Services.AddSingleton<IAppCatalog>(_catalog);

    [Fact]
    public async Task Says_it_is_reading_the_catalog_until_the_apps_arrive()
    {
        UseCulture("fr");
        await SignInAsync("alice@velo.example");

        var page = Render<CatalogList>();

        page.Eventually(() => Assert.Contains("Chargement", page.Find("#catalog-list [role='status']").TextContent));
        Assert.Empty(page.FindAll("li[id^='catalog-app-']"));
        _catalog.Release();
        page.Ready("#catalog-app-hello");
        Assert.Empty(page.FindAll(".hp-loading"));
    }

    private sealed class SlowCatalog(IAppCatalog inner) : IAppCatalog
    {
        private readonly ManualResetEventSlim _open = new();

        public void Release() => _open.Set();

        public CatalogLoadResult Load()
        {
            _open.Wait(TimeSpan.FromSeconds(30));
            return inner.Load();
        }

        public AppPackage Package(CatalogApp app) => inner.Package(app);
    }
}
