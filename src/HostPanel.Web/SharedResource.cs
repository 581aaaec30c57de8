namespace HostPanel.Web;

/// <summary>
/// Names the panel's interface texts: Resources/SharedResource.resx (French, the default) and
/// Resources/SharedResource.en.resx (English).
/// </summary>
public sealed class SharedResource
{
    private SharedResource()
    {
    }
}
