using Bunit;
using HostPanel.Core.Apps;
using HostPanel.Core.Backups;
using HostPanel.Core.Operations;
using HostPanel.Web.Panel;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Panel.AppPage;

using Page = HostPanel.Web.Components.Pages.Apps.AppPage;

/// <summary>The panel's page context with the app page's arrangements: installed apps, operations, backups.</summary>
public abstract class AppPageContext : PanelPageContext
{
    protected AppPageContext(int catalogVersion = 1)
        : base(catalogVersion)
    {
        Services.AddSingleton<IRestic>(Restic);
    }

    protected PageRestic Restic { get; } = new();

    /// <summary>An installed app, recorded as the lifecycle records one.</summary>
    protected Task<AppInstance> AddAppAsync(string name = "notes", string organization = "default", string version = "1", InstanceState state = InstanceState.Running, string? domain = "notes.asso.example") =>
        AddInstanceAsync(name, organization, "notes", version, state, domain);

    /// <summary>An operation of the app in the journal, left in <paramref name="state"/>.</summary>
    protected async Task<Operation> AddOperationAsync(string instance, OperationKind kind, OperationState state, string? from = "1", string? to = "1", string? outcome = null, string? detail = null)
    {
        var operation = new Operation
        {
            Id = Guid.CreateVersion7(),
            Instance = instance,
            OrganizationId = "default",
            Kind = kind,
            Actor = "user:alice@asso.example",
            FromVersion = from,
            ToVersion = to,
            CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
        };
        var journal = Get<IOperationJournal>();
        await journal.CreateAsync(operation, [], Ct);
        if (state != OperationState.Pending)
        {
            await journal.SetStateAsync(operation.Id, state, outcome, detail, DateTimeOffset.UtcNow.AddMinutes(-4), Ct);
        }

        return operation;
    }

    /// <summary>The app page of <paramref name="name"/>, once it has read what it shows.</summary>
    protected IRenderedComponent<Page> RenderApp(string name = "notes", string? restore = null, string? remove = null)
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var address = navigation.GetUriWithQueryParameters($"/apps/{name}", new Dictionary<string, object?> { ["restore"] = restore, ["remove"] = remove });
        navigation.NavigateTo(address);
        var page = Render<Page>(p => p.Add(x => x.Name, name));
        page.WaitForElement("#app-status, #app-not-found, #app-page .hp-problem", TimeSpan.FromSeconds(10));
        return page;
    }

    /// <summary>Waits for the work the page started in the background, so the test ends with it.</summary>
    protected Task DrainAsync() => Get<PanelWork>().DrainAsync(TimeSpan.FromSeconds(30));
}
