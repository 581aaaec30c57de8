using HostPanel.Web.Panel;
using Microsoft.AspNetCore.Components;

namespace HostPanel.Web.Components.Panel;

/// <summary>
/// A part of a page that makes changes through a service: it says what was done or what the
/// service refused (in the service's plain words), disables its buttons meanwhile, and tells the
/// page after a change (<see cref="Changed"/>) so that it reads what it shows again.
/// </summary>
public abstract class PanelSection : ComponentBase
{
    [Parameter]
    public EventCallback Changed { get; set; }

    /// <summary>What the last change did, in words; null when none was made or it was refused.</summary>
    protected string? Done { get; set; }

    /// <summary>Why the service refused the last change; null when it did not.</summary>
    protected Refusal? Refused { get; set; }

    /// <summary>While a change is being made (its buttons are disabled, its progress is said).</summary>
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
}
