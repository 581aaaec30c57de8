namespace HostPanel.Web;

/// <summary>
/// Names the catalog pages' texts: Resources/CatalogText.resx (French, the default) and
/// Resources/CatalogText.en.resx (English).
/// </summary>
public sealed class CatalogText;
