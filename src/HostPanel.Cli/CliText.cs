using System.Globalization;
using System.Resources;

namespace HostPanel.Cli;

/// <summary>The command's words, from Resources/CliText.resx (French) and its English translation.</summary>
internal static class CliText
{
    private static readonly ResourceManager Resources = new("HostPanel.Cli.Resources.CliText", typeof(CliText).Assembly);

    public static string Get(string key) =>
        Resources.GetString(key, CultureInfo.CurrentUICulture)
        ?? throw new InvalidOperationException($"Missing CLI text '{key}'.");

    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);
}
