using HostPanel.Web.Components.Panel;
using Microsoft.AspNetCore.Components;

namespace HostPanel.Web.Components.Pages.People;

/// <summary>A part of the People page: it shows <see cref="Data"/> and makes its changes through the member service.</summary>
public abstract class PeopleSection : PanelSection
{
    [Parameter, EditorRequired]
    public PeopleData Data { get; set; } = default!;

    /// <summary>Adds <paramref name="name"/> to <paramref name="set"/> or takes it out (a checkbox).</summary>
    protected static void Toggle(ISet<string> set, string name, bool on)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (on)
        {
            set.Add(name);
        }
        else
        {
            set.Remove(name);
        }
    }
}
