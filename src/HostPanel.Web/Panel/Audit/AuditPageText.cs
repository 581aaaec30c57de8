namespace HostPanel.Web;

/// <summary>
/// Names the texts of the audit log page, its export and its navigation entry:
/// Resources/AuditPageText.resx (French, the default) and Resources/AuditPageText.en.resx (English).
/// </summary>
public sealed class AuditPageText
{
    private AuditPageText()
    {
    }
}
