using HostPanel.Web.Panel;
using Microsoft.AspNetCore.Components;

namespace HostPanel.Web.Components.Pages.People;

/// <summary>
/// A part of the People page: it shows <see cref="Data"/>, makes changes through the member
/// service, says what was done or what the service refused, and lets the page read everything
/// again after a change (<see cref="Changed"/>).
/// </summary>
public abstract class PeopleSection : ComponentBase
{
    [Parameter, EditorRequired]
    public PeopleData Data { get; set; } = default!;

    [Parameter]
    public EventCallback Changed { get; set; }

    /// <summary>What the last change did, in words; null when none was made or it was refused.</summary>
    protected string? Done { get; set; }

    /// <summary>Why the service refused the last change; null when it did not.</summary>
    protected Refusal? Refused { get; set; }

    /// <summary>While a change is being made (its buttons are disabled).</summary>
    protected bool Busy { get; private set; }

    /// <summary>Runs <paramref name="change"/>, which returns its words of success; a refusal is kept for the page to show.</summary>
    protected async Task ActAsync(Func<Task<string>> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        (Done, Refused, Busy) = (null, null, true);
        try
        {
            Done = await change();
        }
        catch (Exception e) when (Refusal.From(e) is { } refusal)
        {
            Refused = refusal;
        }
        finally
        {
            Busy = false;
        }

        if (Refused is null)
        {
            await Changed.InvokeAsync();
        }
    }

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
