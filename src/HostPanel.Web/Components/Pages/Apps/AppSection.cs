using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using HostPanel.Web.Components.Panel;
using HostPanel.Web.Panel;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace HostPanel.Web.Components.Pages.Apps;

/// <summary>What asking for work from the app page gave: the operation it started, or why it was refused.</summary>
/// <param name="OperationId">The operation to follow; null when the work ended without one (or was refused).</param>
/// <param name="Refusal">Why nothing was done, in plain words.</param>
/// <param name="Field">The input at fault, when the refusal names one.</param>
/// <param name="Detail">The technical cause, for the folded details.</param>
public sealed record WorkResult(Guid? OperationId, string? Refusal = null, string? Field = null, string? Detail = null)
{
    public bool Refused => Refusal is not null;
}

/// <summary>
/// One section of the app page. It receives what the page read and starts work through
/// <see cref="PanelWork"/> as the person acting now: who they are is read again first, so a role
/// taken away since the page opened counts, and the services decide.
/// </summary>
public abstract class AppSection : ComponentBase
{
    [Parameter, EditorRequired]
    public AppView App { get; set; } = default!;

    /// <summary>Told the operation that work started from the section runs, for the page to follow it.</summary>
    [Parameter]
    public EventCallback<Guid> Started { get; set; }

    [Inject]
    protected PanelWork Work { get; set; } = default!;

    [Inject]
    protected PanelSession Session { get; set; } = default!;

    [Inject]
    protected IStringLocalizer<AppPageText> T { get; set; } = default!;

    [Inject]
    private IStringLocalizer<OperationsText> OperationText { get; set; } = default!;

    [Inject]
    private ILogger<AppSection> Logger { get; set; } = default!;

    /// <summary>A moment as the person reads it, in their language, on the server's clock.</summary>
    protected static string When(DateTimeOffset at) => PanelFormat.Long(at);

    /// <summary>What an operation does, in words ("Mise à jour").</summary>
    protected string KindWord(OperationKind kind) => OperationWords.Kind(OperationText, kind);

    /// <summary>Starts <paramref name="work"/> for the person acting; a refusal before any operation comes back in words.</summary>
    protected Task<WorkResult> StartAsync(Func<Caller, IServiceProvider, CancellationToken, Task> work) => StartAsync(null, work);

    /// <summary>As <see cref="StartAsync(Func{Caller, IServiceProvider, CancellationToken, Task})"/>, following the first operation of kind <paramref name="expected"/>.</summary>
    protected async Task<WorkResult> StartAsync(OperationKind? expected, Func<Caller, IServiceProvider, CancellationToken, Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Session.Refresh();
        Guid? id;
        try
        {
            var caller = await Session.CallerAsync();
            id = await Work.StartAsync(expected, (services, ct) => work(caller, services, ct));
        }
        catch (AppRequestException e)
        {
            return new WorkResult(null, e.Message, e.Field);
        }
        catch (AccessDeniedException e)
        {
            return new WorkResult(null, e.Message);
        }
        catch (ContainerEngineException e)
        {
            return new WorkResult(null, T["Engine.Unreachable"], Detail: e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not a refusal the services foresaw: said plainly all the same, the cause kept for whoever helps.
            Logger.LogError(e, "Work started from the app page failed before its operation began.");
            return new WorkResult(null, T["Work.Unexpected"], Detail: e.Message);
        }

        if (id is { } started)
        {
            await Started.InvokeAsync(started);
        }

        return new WorkResult(id);
    }
}
