namespace HostPanel.Web;

/// <summary>
/// Names the texts of the operations' pages and of what they share with other pages (the words
/// for kinds, states and steps of operations, sizes): Resources/OperationsText.resx (French, the
/// default) and Resources/OperationsText.en.resx (English).
/// </summary>
public sealed class OperationsText
{
    private OperationsText()
    {
    }
}
