using System.Globalization;
using System.Resources;

namespace HostPanel.Cli.Handover;

/// <summary>The recovery-kit commands' words, from Resources/RecoveryCliText.resx (French) and its English translation.</summary>
internal static class RecoveryCliText
{
    private static readonly ResourceManager Resources = new("HostPanel.Cli.Resources.RecoveryCliText", typeof(RecoveryCliText).Assembly);

    public static string Get(string key) =>
        Resources.GetString(key, CultureInfo.CurrentUICulture)
        ?? throw new InvalidOperationException($"Missing CLI text '{key}'.");

    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);
}
