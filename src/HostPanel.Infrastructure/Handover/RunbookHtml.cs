using System.Net;
using HostPanel.Core.Handover;
using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;

namespace HostPanel.Infrastructure.Handover;

/// <summary>
/// The runbook as HTML, made by Markdig from the runbook's own Markdown (so the page and the
/// download say the same thing): raw HTML is not allowed through, each section's heading carries
/// the section's stable id, and the page has a style for screens and one for paper.
/// </summary>
public static class RunbookHtml
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();

    /// <summary>The look of the runbook, on screen and printed (shared with the panel's page).</summary>
    public const string Style = """
        .runbook { font-family: "DejaVu Sans", system-ui, sans-serif; line-height: 1.45; color: #1b1b1b; max-width: 60rem; }
        .runbook h1 { font-size: 1.7rem; margin: 0 0 1rem; }
        .runbook h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid #d0d7de; }
        .runbook h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
        .runbook table { border-collapse: collapse; margin: .4rem 0 1rem; width: 100%; }
        .runbook th, .runbook td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
        .runbook th { background: #f3f5f7; }
        .runbook pre { background: #f3f5f7; border: 1px solid #d0d7de; border-radius: 4px; padding: .5rem .7rem; overflow-x: auto; }
        .runbook code { font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: .85rem; }
        @media print {
          @page { size: A4; margin: 18mm 16mm; }
          body { background: #fff; }
          .runbook { max-width: none; font-size: 10.5pt; color: #000; }
          .runbook h2 { break-after: avoid; page-break-after: avoid; }
          .runbook h3 { break-after: avoid; page-break-after: avoid; }
          .runbook pre, .runbook tr { break-inside: avoid; page-break-inside: avoid; }
          .runbook pre { white-space: pre-wrap; overflow-wrap: anywhere; }
        }
        """;

    /// <summary>The runbook's body (an <c>article class="runbook"</c>), for a page that brings its own head and style.</summary>
    public static string RenderFragment(RunbookDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var parsed = Markdown.Parse(RunbookMarkdown.Render(document), Pipeline);
        var sections = document.Sections.GetEnumerator();
        foreach (var heading in parsed.Descendants<HeadingBlock>())
        {
            if (heading.Level == 2 && sections.MoveNext())
            {
                heading.GetAttributes().Id = sections.Current.Id;
            }
        }

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(parsed);
        writer.Flush();
        return $"<article class=\"runbook\" lang=\"{WebUtility.HtmlEncode(document.Language)}\">\n{writer}</article>\n";
    }

    /// <summary>A whole printable page.</summary>
    public static string Render(RunbookDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return $$"""
            <!DOCTYPE html>
            <html lang="{{WebUtility.HtmlEncode(document.Language)}}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{WebUtility.HtmlEncode(document.Title)}}</title>
            <style>
            body { margin: 2rem; }
            {{Style}}
            </style>
            </head>
            <body>
            {{RenderFragment(document)}}
            </body>
            </html>

            """;
    }
}
