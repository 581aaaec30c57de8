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

            // Darker than Material's defaults, so that text in these colours (alerts, chips)
            // reads at a contrast of at least 4.5:1 on white and on their own light tints.
            Success = "#1e6b2a",
            Info = "#1a5fa8",
            Warning = "#8a5300",
            Error = "#b3261e",
            TextSecondary = "#5f6368",
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
