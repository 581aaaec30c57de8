using System.Globalization;
using System.Resources;

namespace HostPanel.Core.Resources;

/// <summary>The audit log's words, from Resources/AuditText.resx (French) and its English translation.</summary>
public static class AuditText
{
    private static readonly ResourceManager Resources = new("HostPanel.Core.Resources.AuditText", typeof(AuditText).Assembly);

    public static string Get(string key) =>
        Resources.GetString(key, CultureInfo.CurrentUICulture) ?? throw new InvalidOperationException($"Missing audit text '{key}'.");

    /// <summary>The text, or null when there is none for <paramref name="key"/>.</summary>
    public static string? Find(string key) => Resources.GetString(key, CultureInfo.CurrentUICulture);

    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);
}
