namespace HostPanel.Web;

/// <summary>
/// Names the texts of the recovery kit's page (/continuity/kit) and its downloads:
/// Resources/RecoveryKitPageText.resx (French, the default) and RecoveryKitPageText.en.resx.
/// </summary>
public sealed class RecoveryKitPageText;
