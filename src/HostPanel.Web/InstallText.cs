namespace HostPanel.Web;

/// <summary>
/// Names the install wizard's texts: Resources/InstallText.resx (French, the default) and
/// Resources/InstallText.en.resx (English).
/// </summary>
public sealed class InstallText;
