using AngleSharp.Dom;
using Bunit;
using HostPanel.Core.Handover;
using HostPanel.Web.Panel.RecoveryKit;

namespace HostPanel.Web.Tests.Panel.RecoveryKit;

/// <summary>The panel's page context with the recovery kit page's helpers, in French unless a test says otherwise.</summary>
public abstract class RecoveryKitPageContext : PanelPageContext
{
    protected RecoveryKitPageContext()
    {
        UseCulture("fr");
    }

    protected RecoveryKitService Kits => Get<RecoveryKitService>();

    protected RecoveryKitDownloads Downloads => Get<RecoveryKitDownloads>();

    protected IRenderedComponent<RecoveryKitPage> RenderPage()
    {
        var page = Render<RecoveryKitPage>();
        page.WaitForElement("#kit-status, #kit-not-allowed", TimeSpan.FromSeconds(10));
        return page;
    }

    /// <summary>The error MudBlazor shows under the field whose input is <paramref name="inputId"/>; null when none.</summary>
    protected static string? ErrorUnder(IRenderedComponent<RecoveryKitPage> page, string inputId)
    {
        var control = page.Find("#" + inputId).Closest(".mud-input-control")!;
        return control.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim();
    }

    protected static async Task FillAsync(IRenderedComponent<RecoveryKitPage> page, string holders, int? threshold)
    {
        await page.InvokeAsync(() => page.Find("#kit-holders").Input(holders));
        await page.InvokeAsync(() => page.Find("#kit-threshold").Input(threshold?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty));
    }
}
