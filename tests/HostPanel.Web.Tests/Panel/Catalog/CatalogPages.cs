using Bunit;
using Microsoft.AspNetCore.Components;

namespace HostPanel.Web.Tests.Panel.Catalog;

/// <summary>Waiting for the catalog and install pages, which read the catalog from disk first.</summary>
internal static class CatalogPages
{
    /// <summary>Long enough for a loaded machine (the catalog is parsed and checked on each page).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static IRenderedComponent<T> Ready<T>(this IRenderedComponent<T> page, string selector)
        where T : IComponent
    {
        page.WaitForElement(selector, Patience);
        return page;
    }

    public static void Eventually<T>(this IRenderedComponent<T> page, Action assertion)
        where T : IComponent => page.WaitForAssertion(assertion, Patience);

    /// <summary>The ids of the app cards shown, in order.</summary>
    public static string[] AppsShown<T>(this IRenderedComponent<T> page)
        where T : IComponent =>
        [.. page.FindAll("li[id^='catalog-app-']").Select(e => e.Id!["catalog-app-".Length..])];
}
