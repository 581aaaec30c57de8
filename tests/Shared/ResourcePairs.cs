using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Resources;

namespace HostPanel.Tests;

/// <summary>
/// The French (neutral) and English resource files of an assembly, read as a person would check
/// them: every French text has an English one, with the same {n} placeholders.
/// </summary>
internal static class ResourcePairs
{
    /// <summary>The base names of the assembly's resource files below <paramref name="prefix"/>.</summary>
    public static IReadOnlyList<string> BaseNames(Assembly assembly, string prefix) =>
        [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".resources", StringComparison.Ordinal))
            .Select(n => n[..^".resources".Length])
            .Order(StringComparer.Ordinal)];

    public static Dictionary<string, string> Texts(Assembly assembly, string baseName, string culture)
    {
        var resources = new ResourceManager(baseName, assembly);
        var set = resources.GetResourceSet(CultureInfo.GetCultureInfo(culture), createIfNotExists: true, tryParents: false);
        Assert.NotNull(set);
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }

    /// <summary>Fails naming the file and the text when the English file lacks a text, has one more, or its placeholders differ.</summary>
    public static void AssertPaired(Assembly assembly, string baseName)
    {
        var french = Texts(assembly, baseName, CultureInfo.InvariantCulture.Name);
        var english = Texts(assembly, baseName, "en");
        Assert.True(french.Count > 0, $"no text found in the neutral (French) resources of {baseName}");
        Assert.Empty(french.Keys.Except(english.Keys));
        Assert.Empty(english.Keys.Except(french.Keys));
        foreach (var (key, text) in french)
        {
            Assert.False(string.IsNullOrWhiteSpace(english[key]), $"{baseName}: {key}");
            for (var i = 0; i < 10; i++)
            {
                var placeholder = "{" + i.ToString(CultureInfo.InvariantCulture);
                Assert.True(text.Contains(placeholder, StringComparison.Ordinal) == english[key].Contains(placeholder, StringComparison.Ordinal), $"{baseName}: {key}");
            }
        }
    }
}
