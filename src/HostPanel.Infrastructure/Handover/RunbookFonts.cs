using HostPanel.Core.Resources;
using PdfSharp.Fonts;

namespace HostPanel.Infrastructure.Handover;

/// <summary>The fonts a PDF needs are not on this server.</summary>
public sealed class RunbookFontsMissingException(string message) : Exception(message);

/// <summary>
/// Gives PDFsharp the DejaVu fonts (Sans and Sans Mono, regular and bold) from the system's font
/// folder: on Linux PDFsharp finds no font by itself. Set once for the process, as PDFsharp wants.
/// </summary>
public sealed class DejaVuFontResolver : IFontResolver
{
    public const string Sans = "DejaVu Sans";
    public const string Mono = "DejaVu Sans Mono";
    public const string Package = "fonts-dejavu-core";
    public const string DefaultDirectory = "/usr/share/fonts/truetype/dejavu";

    private static readonly Lock Gate = new();
    private static DejaVuFontResolver? _installed;
    private readonly string _directory;

    private DejaVuFontResolver(string directory) => _directory = directory;

    /// <summary>
    /// Makes PDFsharp use the DejaVu fonts of <paramref name="directory"/>; throws
    /// <see cref="RunbookFontsMissingException"/> naming the package to install when a file is missing.
    /// </summary>
    public static void Install(string directory = DefaultDirectory)
    {
        foreach (var face in new[] { "DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono", "DejaVuSansMono-Bold" })
        {
            var file = Path.Combine(directory, face + ".ttf");
            if (!File.Exists(file))
            {
                throw new RunbookFontsMissingException(RunbookText.Format("PdfFontsMissing", file, Package));
            }
        }

        lock (Gate)
        {
            if (_installed is null)
            {
                _installed = new DejaVuFontResolver(directory);
                GlobalFontSettings.FontResolver = _installed;
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
    {
        var face = familyName.Equals(Mono, StringComparison.OrdinalIgnoreCase) ? "DejaVuSansMono" : "DejaVuSans";

        // No italic faces are loaded: PDFsharp slants the upright one when italic is asked for.
        return new FontResolverInfo(bold ? face + "-Bold" : face, false, italic);
    }

    public byte[]? GetFont(string faceName)
    {
        var file = Path.Combine(_directory, faceName + ".ttf");
        return File.Exists(file) ? File.ReadAllBytes(file) : throw new RunbookFontsMissingException(RunbookText.Format("PdfFontsMissing", file, Package));
    }
}
