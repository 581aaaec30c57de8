namespace HostPanel.Web;

/// <summary>
/// Names the texts of the runbook page and its navigation entry: Resources/RunbookPageText.resx
/// (French, the default) and Resources/RunbookPageText.en.resx (English).
/// </summary>
public sealed class RunbookPageText
{
    private RunbookPageText()
    {
    }
}
