using System.Net;
using AngleSharp.Dom;
using Bunit;
using HostPanel.Core.Domains;
using HostPanel.Web.Components.Pages.Install;
using HostPanel.Web.Tests.Panel.Catalog;
using Microsoft.AspNetCore.Components;

namespace HostPanel.Web.Tests.Panel.Install;

/// <summary>Steps through the install wizard as a person does: typing, then Continue.</summary>
internal static class InstallPages
{
    public static Task TypeAsync(this IRenderedComponent<InstallWizard> page, string id, string text) =>
        page.Find($"#{id}").InputAsync(new ChangeEventArgs { Value = text });

    /// <summary>Presses the step's main button (Continue, or Install on the summary) and waits for the page to settle.</summary>
    public static async Task ContinueAsync(this IRenderedComponent<InstallWizard> page) =>
        await page.Find("#install-form").SubmitAsync().WaitAsync(CatalogPages.Patience);

    public static string Step(this IRenderedComponent<InstallWizard> page) =>
        page.Find("#install-step-title").TextContent.Trim();

    /// <summary>The text of a field's block: its control, help and error.</summary>
    public static string Field(this IRenderedComponent<InstallWizard> page, string field) =>
        page.Find($"#install-field-{field}").TextContent;

    public static IElement Submit(this IRenderedComponent<InstallWizard> page) => page.Find("#install-submit");
}

/// <summary>A DNS where only the names the test gives exist.</summary>
internal sealed class TestResolver : IDomainResolver
{
    public Dictionary<string, IPAddress[]> Names { get; } = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<IPAddress>> ResolveAsync(string asciiName, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<IPAddress>>(Names.GetValueOrDefault(asciiName) ?? []);
}
