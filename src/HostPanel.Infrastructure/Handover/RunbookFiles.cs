using System.Globalization;
using System.Text;
using HostPanel.Core.Handover;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HostPanel.Infrastructure.Handover;

/// <summary>The formats a runbook is handed out in.</summary>
public enum RunbookFormat
{
    Markdown,
    Html,
    Pdf,
}

/// <summary>A rendered runbook: its bytes, media type and a file name that says what and when.</summary>
public sealed record RunbookFile(byte[] Content, string ContentType, string FileName);

/// <summary>Renders one runbook document in the format asked for.</summary>
public static class RunbookFiles
{
    /// <summary>The words the CLI and the panel accept for each format.</summary>
    public static IReadOnlyDictionary<string, RunbookFormat> Words { get; } = new Dictionary<string, RunbookFormat>(StringComparer.OrdinalIgnoreCase)
    {
        ["md"] = RunbookFormat.Markdown,
        ["markdown"] = RunbookFormat.Markdown,
        ["html"] = RunbookFormat.Html,
        ["pdf"] = RunbookFormat.Pdf,
    };

    public static RunbookFile Render(RunbookDocument document, RunbookFormat format)
    {
        ArgumentNullException.ThrowIfNull(document);
        var name = $"runbook-{document.OrganizationId ?? "server"}-{document.GeneratedAt.UtcDateTime.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture)}";
        return format switch
        {
            RunbookFormat.Markdown => new RunbookFile(Encoding.UTF8.GetBytes(RunbookMarkdown.Render(document)), "text/markdown; charset=utf-8", name + ".md"),
            RunbookFormat.Html => new RunbookFile(Encoding.UTF8.GetBytes(RunbookHtml.Render(document)), "text/html; charset=utf-8", name + ".html"),
            RunbookFormat.Pdf => new RunbookFile(RunbookPdf.Render(document), "application/pdf", name + ".pdf"),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
    }
}

public static class RunbookServiceCollectionExtensions
{
    /// <summary>
    /// The runbook. It reads the recovery kit, the external accounts and the bus-factor checks
    /// through their interfaces, registered with those features.
    /// </summary>
    public static IServiceCollection AddHostPanelRunbook(this IServiceCollection services)
    {
        services.TryAddSingleton<RunbookService>();
        return services;
    }
}
