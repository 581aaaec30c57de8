using System.Globalization;
using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Organizations;
using Microsoft.Extensions.Localization;

namespace HostPanel.Web.Panel;

/// <summary>How the catalog pages write an app's manifest for people, in the current culture.</summary>
public static class CatalogWords
{
    /// <summary>The language a manifest's texts are read in: the interface's.</summary>
    public static string Language => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;

    /// <summary>A category as a word of the interface ("Fichiers", "Files").</summary>
    public static string Word(this IStringLocalizer<CatalogText> text, Category category)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text[$"Category.{category}"];
    }

    /// <summary>The categories of an app, as words, in the manifest's order.</summary>
    public static string Words(this IStringLocalizer<CatalogText> text, IEnumerable<Category> categories) =>
        string.Join(", ", categories.Select(c => text.Word(c)));

    /// <summary>"Processeur : 0,2 cœur au minimum", "Processor: at least 2 cores".</summary>
    public static string Cpu(this IStringLocalizer<CatalogText> text, double cores)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text[cores <= 1 ? "Needs.CpuOne" : "Needs.CpuMany", cores.ToString("0.##", CultureInfo.CurrentCulture)];
    }

    /// <summary>A size in the units of the reader's language ("512 Mio", "1,5 Gio").</summary>
    public static string Size(ByteSize size) => OrganizationService.Shown(size.Bytes);
}
