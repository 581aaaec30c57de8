using System.Globalization;
using System.Resources;

namespace HostPanel.Core.Resources;

/// <summary>
/// Words of the continuity features (external accounts, bus-factor checks), from
/// Resources/ContinuityText.resx (French) and its English translation, in the current UI culture.
/// </summary>
public static class ContinuityText
{
    private static readonly ResourceManager Resources = new("HostPanel.Core.Resources.ContinuityText", typeof(ContinuityText).Assembly);

    public static string Get(string key) =>
        Resources.GetString(key, CultureInfo.CurrentUICulture) ?? throw new InvalidOperationException($"Missing text '{key}'.");

    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);
}
