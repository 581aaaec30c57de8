namespace HostPanel.Web;

/// <summary>Names the texts of the Continuity page and the dashboard's continuity alert: Resources/ContinuityPageText.resx (French) and ContinuityPageText.en.resx.</summary>
public sealed class ContinuityPageText;
