using System.Globalization;
using HostPanel.Core.Catalog.Loading;
using HostPanel.Core.Catalog.Model;

namespace HostPanel.Web.Panel;

/// <summary>The catalog's search: what a person types, matched as they read the apps.</summary>
public static class CatalogSearch
{
    private const CompareOptions Loose = CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace;

    /// <summary>
    /// The apps of <paramref name="category"/> (all when null) whose name, description or
    /// categories hold every word of <paramref name="search"/>, ignoring case and accents
    /// ("video" finds "Vidéo").
    /// </summary>
    /// <param name="apps">The apps offered.</param>
    /// <param name="search">What the person typed; empty keeps every app.</param>
    /// <param name="category">The category chosen, or null.</param>
    /// <param name="categoryWord">A category as the person reads it.</param>
    public static IReadOnlyList<CatalogApp> Filter(IEnumerable<CatalogApp> apps, string? search, Category? category, Func<Category, string> categoryWord)
    {
        ArgumentNullException.ThrowIfNull(apps);
        ArgumentNullException.ThrowIfNull(categoryWord);
        var words = (search ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var compare = CultureInfo.CurrentCulture.CompareInfo;
        return [.. apps.Where(app =>
        {
            var manifest = app.Manifest;
            if (category is { } wanted && !manifest.Categories.Contains(wanted))
            {
                return false;
            }

            string[] texts = [manifest.Name, manifest.Id, manifest.Description.In(CatalogWords.Language), .. manifest.Categories.Select(categoryWord)];
            return words.All(word => texts.Any(text => compare.IndexOf(text, word, Loose) >= 0));
        })];
    }
}
