namespace HostPanel.Web.Components.Panel;

/// <summary>The colour a state is shown in, always beside its words.</summary>
public enum StatusTone
{
    Neutral,
    Info,
    Success,
    Warning,
    Error,
}
