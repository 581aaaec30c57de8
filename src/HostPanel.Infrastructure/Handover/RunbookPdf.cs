using HostPanel.Core.Handover;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace HostPanel.Infrastructure.Handover;

/// <summary>
/// The runbook as a PDF (A4), laid out here line by line with PDFsharp: words wrapped to the
/// width, long words and commands cut where they must, a new page when the current one is full.
/// The title and language are set in the document's metadata and each section is a bookmark.
/// </summary>
public static class RunbookPdf
{
    private const double Margin = 50;
    private const double BodySize = 10;
    private const double MonoSize = 8.5;

    public static byte[] Render(RunbookDocument document, string fontDirectory = DejaVuFontResolver.DefaultDirectory)
    {
        ArgumentNullException.ThrowIfNull(document);
        DejaVuFontResolver.Install(fontDirectory);
        using var pdf = new PdfDocument();
        pdf.Info.Title = document.Title;
        pdf.Info.Subject = document.Title;
        pdf.Info.Creator = "HostPanel";
        pdf.Info.CreationDate = document.GeneratedAt.UtcDateTime;
        pdf.Language = document.Language;

        var layout = new Layout(pdf);
        try
        {
            layout.Text(document.Title, layout.Title, 8);
            foreach (var section in document.Sections)
            {
                layout.Section(section.Heading);
                foreach (var block in section.Blocks)
                {
                    Write(layout, block);
                }
            }
        }
        finally
        {
            layout.Dispose();
        }

        using var output = new MemoryStream();
        pdf.Save(output, closeStream: false);
        return output.ToArray();
    }

    private static void Write(Layout layout, RunbookBlock block)
    {
        switch (block)
        {
            case RunbookSubheading s:
                layout.Gap(6);
                layout.KeepWithNext(layout.Heading3.Height * 3);
                layout.Text(s.Text, layout.Heading3, 3);
                break;
            case RunbookParagraph p:
                layout.Text(p.Text, layout.Body, 6);
                break;
            case RunbookList l:
                foreach (var item in l.Items)
                {
                    layout.Bullet(item);
                }

                layout.Gap(4);
                break;
            case RunbookTable t:
                layout.Table(t);
                break;
            case RunbookCommands c:
                layout.Commands(c.Lines);
                break;
            default:
                throw new InvalidOperationException($"No PDF layout for the block {block.GetType().Name}.");
        }
    }

    /// <summary>The pen on the current page: where the next line goes, and a new page when it does not fit.</summary>
    private sealed class Layout : IDisposable
    {
        private readonly PdfDocument _pdf;
        private XGraphics? _graphics;
        private PdfPage? _page;
        private double _y;

        public Layout(PdfDocument pdf)
        {
            _pdf = pdf;
            Title = new XFont(DejaVuFontResolver.Sans, 18, XFontStyleEx.Bold);
            Heading2 = new XFont(DejaVuFontResolver.Sans, 14, XFontStyleEx.Bold);
            Heading3 = new XFont(DejaVuFontResolver.Sans, 11.5, XFontStyleEx.Bold);
            Body = new XFont(DejaVuFontResolver.Sans, BodySize, XFontStyleEx.Regular);
            Strong = new XFont(DejaVuFontResolver.Sans, BodySize, XFontStyleEx.Bold);
            Mono = new XFont(DejaVuFontResolver.Mono, MonoSize, XFontStyleEx.Regular);
            NewPage();
        }

        public XFont Title { get; }

        public XFont Heading2 { get; }

        public XFont Heading3 { get; }

        public XFont Body { get; }

        public XFont Strong { get; }

        public XFont Mono { get; }

        private double Width => _page!.Width.Point - (2 * Margin);

        private double Bottom => _page!.Height.Point - Margin;

        private XGraphics G => _graphics!;

        public void Dispose() => _graphics?.Dispose();

        public void Gap(double points) => _y += points;

        /// <summary>Starts a new page when less than <paramref name="height"/> is left (a heading stays with what follows).</summary>
        public void KeepWithNext(double height)
        {
            if (_y + height > Bottom)
            {
                NewPage();
            }
        }

        public void Section(string heading)
        {
            _y += 12;
            KeepWithNext(Heading2.Height * 4);
            _pdf.Outlines.Add(heading, _page!, true);
            Text(heading, Heading2, 2);
            G.DrawLine(new XPen(XColor.FromArgb(0xd0, 0xd7, 0xde), 1), Margin, _y, Margin + Width, _y);
            _y += 6;
        }

        public void Text(string text, XFont font, double after)
        {
            foreach (var line in Wrap(text, font, Width))
            {
                Line(line, font, Margin);
            }

            _y += after;
        }

        public void Bullet(string text)
        {
            var indent = 14;
            var first = true;
            foreach (var line in Wrap(text, Body, Width - indent))
            {
                KeepWithNext(Body.Height);
                if (first)
                {
                    G.DrawString("•", Body, XBrushes.Black, Margin + 3, _y, XStringFormats.TopLeft);
                    first = false;
                }

                Line(line, Body, Margin + indent);
            }

            _y += 2;
        }

        public void Table(RunbookTable table)
        {
            var keyWidth = Width * 0.36;
            var valueWidth = Width - keyWidth;
            Row(table.KeyHeading, table.ValueHeading, keyWidth, valueWidth, Strong, header: true);
            foreach (var row in table.Rows)
            {
                Row(row.Key, row.Value, keyWidth, valueWidth, Body, header: false);
            }

            _y += 8;
        }

        public void Commands(IReadOnlyList<string> lines)
        {
            const double pad = 5;
            var wrapped = lines.SelectMany(l => Cut(l, Mono, Width - (2 * pad))).ToList();
            var lineHeight = Mono.Height + 1;

            // A short block stays on one page; a long one is cut between lines.
            KeepWithNext(Math.Min((wrapped.Count * lineHeight) + (2 * pad), Bottom - Margin));
            var index = 0;
            while (index < wrapped.Count)
            {
                var fits = Math.Max(1, (int)((Bottom - _y - (2 * pad)) / lineHeight));
                var part = wrapped.Skip(index).Take(fits).ToList();
                var height = (part.Count * lineHeight) + (2 * pad);
                G.DrawRectangle(new XPen(XColor.FromArgb(0xd0, 0xd7, 0xde), 0.6), new XSolidBrush(XColor.FromArgb(0xf3, 0xf5, 0xf7)), Margin, _y, Width, height);
                var y = _y + pad;
                foreach (var line in part)
                {
                    G.DrawString(line, Mono, XBrushes.Black, Margin + pad, y, XStringFormats.TopLeft);
                    y += lineHeight;
                }

                _y += height;
                index += part.Count;
                if (index < wrapped.Count)
                {
                    NewPage();
                }
            }

            _y += 8;
        }

        private void Row(string key, string value, double keyWidth, double valueWidth, XFont font, bool header)
        {
            const double pad = 3;
            var keyLines = Wrap(key, header ? Strong : Strong, keyWidth - (2 * pad));
            var valueLines = Wrap(value, font, valueWidth - (2 * pad));
            var height = (Math.Max(keyLines.Count, valueLines.Count) * font.Height) + (2 * pad);
            KeepWithNext(Math.Min(height, Bottom - Margin));
            if (header)
            {
                G.DrawRectangle(new XSolidBrush(XColor.FromArgb(0xf3, 0xf5, 0xf7)), Margin, _y, Width, height);
            }

            var y = _y + pad;
            foreach (var line in keyLines)
            {
                G.DrawString(line, Strong, XBrushes.Black, Margin + pad, y, XStringFormats.TopLeft);
                y += font.Height;
            }

            y = _y + pad;
            foreach (var line in valueLines)
            {
                G.DrawString(line, font, XBrushes.Black, Margin + keyWidth + pad, y, XStringFormats.TopLeft);
                y += font.Height;
            }

            _y += height;
            G.DrawLine(new XPen(XColor.FromArgb(0xd0, 0xd7, 0xde), 0.6), Margin, _y, Margin + Width, _y);
        }

        private void Line(string line, XFont font, double x)
        {
            KeepWithNext(font.Height);
            G.DrawString(line, font, XBrushes.Black, x, _y, XStringFormats.TopLeft);
            _y += font.Height;
        }

        private void NewPage()
        {
            _graphics?.Dispose();
            _page = _pdf.AddPage();
            _page.Size = PdfSharp.PageSize.A4;
            _graphics = XGraphics.FromPdfPage(_page);
            _y = Margin;
            var number = _pdf.PageCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _graphics.DrawString(number, Body, XBrushes.Gray, _page.Width.Point - Margin, _page.Height.Point - (Margin / 2), XStringFormats.BottomRight);
        }

        /// <summary>Words to lines no wider than <paramref name="width"/>; a word too long for a line is cut.</summary>
        private List<string> Wrap(string text, XFont font, double width)
        {
            var lines = new List<string>();
            var current = string.Empty;
            foreach (var word in text.ReplaceLineEndings(" ").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = current.Length == 0 ? word : current + " " + word;
                if (G.MeasureString(candidate, font).Width <= width)
                {
                    current = candidate;
                    continue;
                }

                if (current.Length > 0)
                {
                    lines.Add(current);
                }

                var pieces = Cut(word, font, width);
                lines.AddRange(pieces.Take(pieces.Count - 1));
                current = pieces[^1];
            }

            if (current.Length > 0 || lines.Count == 0)
            {
                lines.Add(current);
            }

            return lines;
        }

        /// <summary>A string cut into pieces no wider than <paramref name="width"/>, character by character.</summary>
        private List<string> Cut(string text, XFont font, double width)
        {
            var pieces = new List<string>();
            var start = 0;
            while (start < text.Length)
            {
                var length = text.Length - start;
                while (length > 1 && G.MeasureString(text.Substring(start, length), font).Width > width)
                {
                    length--;
                }

                pieces.Add(text.Substring(start, length));
                start += length;
            }

            if (pieces.Count == 0)
            {
                pieces.Add(string.Empty);
            }

            return pieces;
        }
    }
}
