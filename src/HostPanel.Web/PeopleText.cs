namespace HostPanel.Web;

/// <summary>Names the texts of the People page: Resources/PeopleText.resx (French) and PeopleText.en.resx.</summary>
public sealed class PeopleText;
