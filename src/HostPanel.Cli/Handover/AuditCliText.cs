using System.Globalization;
using System.Resources;

namespace HostPanel.Cli.Handover;

/// <summary>The audit commands' words, from Resources/AuditCliText.resx (French) and its English translation.</summary>
internal static class AuditCliText
{
    private static readonly ResourceManager Resources = new("HostPanel.Cli.Resources.AuditCliText", typeof(AuditCliText).Assembly);

    public static string Get(string key) =>
        Resources.GetString(key, CultureInfo.CurrentUICulture)
        ?? throw new InvalidOperationException($"Missing CLI text '{key}'.");

    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);
}
