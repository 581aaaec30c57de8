namespace HostPanel.Web;

/// <summary>Names the texts of the Settings page: Resources/SettingsText.resx (French) and SettingsText.en.resx.</summary>
public sealed class SettingsText;
