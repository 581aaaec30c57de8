namespace HostPanel.Web;

/// <summary>Names the texts of the handover section of the Continuity page: Resources/HandoverPageText.resx (French) and HandoverPageText.en.resx.</summary>
public sealed class HandoverPageText;
