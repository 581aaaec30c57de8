namespace HostPanel.Web;

/// <summary>
/// Names the dashboard's texts: Resources/DashboardText.resx (French, the default) and
/// Resources/DashboardText.en.resx (English).
/// </summary>
public sealed class DashboardText
{
    private DashboardText()
    {
    }
}
