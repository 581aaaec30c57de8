using System.Text;

namespace HostPanel.Core.Handover;

/// <summary>
/// The runbook as Markdown (CommonMark with pipe tables): the document's title as the only
/// level-1 heading, each section a level-2 heading in the document's order, sub-headings at level
/// 3, commands in fenced <c>sh</c> blocks kept verbatim. Text from the state (names, notes) is
/// escaped, so it can never turn into markup, a link or a fence. Pure.
/// </summary>
public static class RunbookMarkdown
{
    public static string Render(RunbookDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var md = new StringBuilder();
        md.Append("# ").Append(Escape(document.Title)).Append("\n\n");
        foreach (var section in document.Sections)
        {
            md.Append("## ").Append(Escape(section.Heading)).Append("\n\n");
            foreach (var block in section.Blocks)
            {
                Write(md, block);
            }
        }

        return md.ToString();
    }

    private static void Write(StringBuilder md, RunbookBlock block)
    {
        switch (block)
        {
            case RunbookSubheading s:
                md.Append("### ").Append(Escape(s.Text)).Append("\n\n");
                break;
            case RunbookParagraph p:
                md.Append(Escape(p.Text)).Append("\n\n");
                break;
            case RunbookList l:
                foreach (var item in l.Items)
                {
                    md.Append("- ").Append(Escape(item)).Append('\n');
                }

                md.Append('\n');
                break;
            case RunbookTable t:
                md.Append("| ").Append(Cell(t.KeyHeading)).Append(" | ").Append(Cell(t.ValueHeading)).Append(" |\n");
                md.Append("| --- | --- |\n");
                foreach (var row in t.Rows)
                {
                    md.Append("| ").Append(Cell(row.Key)).Append(" | ").Append(Cell(row.Value)).Append(" |\n");
                }

                md.Append('\n');
                break;
            case RunbookCommands c:
                var fence = Fence(c.Lines);
                md.Append(fence).Append("sh\n");
                foreach (var line in c.Lines)
                {
                    md.Append(line.ReplaceLineEndings(" ")).Append('\n');
                }

                md.Append(fence).Append("\n\n");
                break;
            default:
                throw new InvalidOperationException($"No Markdown for the block {block.GetType().Name}.");
        }
    }

    /// <summary>A fence longer than any run of backticks in the commands.</summary>
    private static string Fence(IReadOnlyList<string> lines)
    {
        var longest = 0;
        foreach (var line in lines)
        {
            var run = 0;
            foreach (var c in line)
            {
                run = c == '`' ? run + 1 : 0;
                longest = Math.Max(longest, run);
            }
        }

        return new string('`', Math.Max(3, longest + 1));
    }

    /// <summary>A table cell: escaped like text, but a cell's start cannot open a block.</summary>
    private static string Cell(string text) => EscapeInline(text);

    /// <summary>
    /// Text as literal Markdown: one line, every character that could start markup (emphasis,
    /// code, links, HTML, entities, table cells) backslash-escaped, and a line start that would
    /// make a heading, a list, a quote or a rule escaped too.
    /// </summary>
    public static string Escape(string text)
    {
        var result = EscapeInline(text);
        if (result.Length > 0 && result[0] is '-' or '+' or '=')
        {
            return "\\" + result;
        }

        var digits = 0;
        while (digits < result.Length && char.IsAsciiDigit(result[digits]))
        {
            digits++;
        }

        return digits > 0 && digits < result.Length && result[digits] is '.' or ')'
            ? result[..digits] + "\\" + result[digits..]
            : result;
    }

    private static string EscapeInline(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // Leading spaces would make an indented code block.
        var one = text.ReplaceLineEndings(" ").Trim();
        var sb = new StringBuilder(one.Length + 8);
        foreach (var c in one)
        {
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '|' or '~' or '&' or '!' or '#')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
