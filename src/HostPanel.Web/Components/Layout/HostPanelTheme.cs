using MudBlazor;

namespace HostPanel.Web.Components.Layout;

/// <summary>The panel's colours and type: calm, readable, no web fonts fetched from elsewhere.</summary>
internal static class HostPanelTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5f8b",
            Secondary = "#5b6b79",
            AppbarBackground = "#1f5f8b",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Noto Sans", "Helvetica", "Arial", "sans-serif"],
            },

            // Buttons in sentence case read as plain words, not as shouting.
            Button = new ButtonTypography { TextTransform = "none" },
        },
    };
}
