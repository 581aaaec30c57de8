using System.Globalization;
using System.Text;
using HostPanel.Core.Resources;
using QRCoder;

namespace HostPanel.Core.Handover;

/// <summary>
/// What one holder receives: a text sheet (who, k of n, date, kit, what it is and what to do in
/// French then English, the share line, then the sealed kit, the same for every holder) and a QR
/// code of the share line. <see cref="FileStem"/> names both files (share-alice.txt/.png).
/// </summary>
public sealed record RecoveryShareDocument(string Holder, int Number, string FileStem, string Text, byte[] QrCodePng);

/// <summary>Builds the share documents of a kit.</summary>
public static class RecoveryShareDocuments
{
    public static RecoveryShareDocument Build(RecoveryKitContents kit, int count, string holder, int number, string shareLine, string sealedKit, string fileStem)
    {
        ArgumentNullException.ThrowIfNull(kit);
        var others = string.Join(", ", kit.Holders.Where(h => h != holder));
        var text = new StringBuilder();
        var date = kit.IssuedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        text.Append(RecoveryText.Get("DocTitle", RecoveryText.French)).Append(" / ").Append(RecoveryText.Get("DocTitle", RecoveryText.English)).Append('\n');
        text.Append(new string('=', 72)).Append('\n');
        foreach (var culture in new[] { RecoveryText.French, RecoveryText.English })
        {
            text.Append(RecoveryText.Format(culture, "DocLabel", holder, number, kit.Threshold, count, date, kit.KitId)).Append('\n');
        }

        text.Append('\n');
        foreach (var culture in new[] { RecoveryText.French, RecoveryText.English })
        {
            text.Append(RecoveryText.Format(culture, "DocExplain", kit.Threshold, count, others)).Append("\n\n");
        }

        var emergency = (kit.PanelAddress?.TrimEnd('/') ?? string.Empty) + EmergencyAccess.PagePath;
        foreach (var culture in new[] { RecoveryText.French, RecoveryText.English })
        {
            text.Append(RecoveryText.Format(culture, "DocEmergency", kit.Threshold, emergency)).Append("\n\n");
        }

        text.Append(RecoveryText.Get("DocShareHeading", RecoveryText.French)).Append(" / ").Append(RecoveryText.Get("DocShareHeading", RecoveryText.English)).Append('\n');
        text.Append('\n').Append(shareLine).Append("\n\n");
        text.Append(RecoveryText.Get("DocSealedHeading", RecoveryText.French)).Append(" / ").Append(RecoveryText.Get("DocSealedHeading", RecoveryText.English)).Append('\n');
        text.Append('\n').Append(sealedKit);
        return new RecoveryShareDocument(holder, number, fileStem, text.ToString(), QrCode(shareLine));
    }

    /// <summary>The share line as a QR code (PNG), error correction M.</summary>
    public static byte[] QrCode(string shareLine)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(shareLine, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(8);
    }

    /// <summary>
    /// "share-" and the holder's name in lower-case letters, digits and dashes (accents dropped),
    /// made distinct from those already <paramref name="taken"/> by the share's number.
    /// </summary>
    public static string FileStem(string holder, int number, ISet<string> taken)
    {
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentNullException.ThrowIfNull(taken);
        var slug = new StringBuilder();
        foreach (var c in holder.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            if (lower is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                slug.Append(lower);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var name = slug.ToString().Trim('-');
        var stem = name.Length == 0 ? $"share-{number}" : $"share-{name[..Math.Min(name.Length, 40)].TrimEnd('-')}";
        if (!taken.Add(stem))
        {
            stem = $"{stem}-{number}";
            taken.Add(stem);
        }

        return stem;
    }
}
