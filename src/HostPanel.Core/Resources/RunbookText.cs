using System.Globalization;
using System.Resources;

namespace HostPanel.Core.Resources;

/// <summary>
/// The runbook's words (headings, labels, restore steps), from Resources/RunbookText.resx
/// (French) and its English translation, in the current UI culture.
/// </summary>
public static class RunbookText
{
    private static readonly ResourceManager Resources = new("HostPanel.Core.Resources.RunbookText", typeof(RunbookText).Assembly);

    public static string Get(string key) =>
        Resources.GetString(key, CultureInfo.CurrentUICulture) ?? throw new InvalidOperationException($"Missing text '{key}'.");

    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);
}
