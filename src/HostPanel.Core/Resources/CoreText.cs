using System.Globalization;
using System.Resources;

namespace HostPanel.Core.Resources;

/// <summary>
/// Words HostPanel's core says to people (request refusals, operation outcomes), from
/// Resources/CoreText.resx (French) and its English translation, in the current UI culture.
/// </summary>
public static class CoreText
{
    private static readonly ResourceManager Resources = new("HostPanel.Core.Resources.CoreText", typeof(CoreText).Assembly);

    public static string Get(string key) =>
        Resources.GetString(key, CultureInfo.CurrentUICulture) ?? throw new InvalidOperationException($"Missing text '{key}'.");

    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);
}
