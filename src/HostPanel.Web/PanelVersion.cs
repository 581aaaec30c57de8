using System.Reflection;

namespace HostPanel.Web;

/// <summary>The panel's version as people see it (without the build's source revision).</summary>
public static class PanelVersion
{
    public static string Current { get; } = Read();

    private static string Read()
    {
        var informational = typeof(PanelVersion).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrWhiteSpace(informational))
        {
            return typeof(PanelVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        }

        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
