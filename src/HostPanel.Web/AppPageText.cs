namespace HostPanel.Web;

/// <summary>
/// Names the texts of the app page (/apps/{name}): Resources/AppPageText.resx (French, the
/// default) and Resources/AppPageText.en.resx (English).
/// </summary>
public sealed class AppPageText
{
    private AppPageText()
    {
    }
}
