using System.Security.Cryptography;
using HostPanel.Core.Apps;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Handover;

/// <summary>
/// Opens a recovery kit from k shares and the sealed block, as <c>hostpanel recover</c> does on a
/// fresh server. Every refusal is plain words naming the share at fault (by its place among those
/// given) and what to do; with too few shares nothing is computed, so nothing is revealed.
/// </summary>
public static class RecoveryKitReader
{
    /// <summary>
    /// The kit's contents from <paramref name="shareTexts"/> (share lines, or whole share
    /// documents) and the armored block <paramref name="sealedKit"/>. Throws
    /// <see cref="AppRequestException"/> when the shares are too few, damaged, of another kit, or
    /// do not open the kit.
    /// </summary>
    public static RecoveryKitContents Open(IReadOnlyList<string> shareTexts, string sealedKit)
    {
        ArgumentNullException.ThrowIfNull(shareTexts);
        var header = SealedKit.ReadHeader(sealedKit);
        if (shareTexts.Count == 0)
        {
            throw new AppRequestException("share", RecoveryText.Format("SharesTooFew", 0, header.Threshold));
        }

        var shares = shareTexts.Select((text, i) => RecoveryShareFormat.Parse(RecoveryShareFormat.FindLine(text ?? string.Empty) ?? text, i + 1)).ToList();
        var first = shares[0];
        var tag = RecoveryShareFormat.KitTag(header.KitId);
        for (var i = 0; i < shares.Count; i++)
        {
            var share = shares[i];
            if (i > 0 && (share.KitTag != first.KitTag || share.Threshold != first.Threshold || share.Count != first.Count || !share.Commitment.AsSpan().SequenceEqual(first.Commitment)))
            {
                throw new AppRequestException("share", RecoveryText.Format("SharesMismatched", RecoveryText.Ordinal(i + 1), RecoveryText.Ordinal(1), share.KitTag, first.KitTag));
            }

            if (share.KitTag != tag)
            {
                throw new AppRequestException("share", RecoveryText.Format("ShareOtherKitThanSealed", RecoveryText.Ordinal(i + 1), share.KitTag, tag));
            }

            var twin = shares.FindIndex(s => s.X == share.X);
            if (twin < i)
            {
                throw new AppRequestException("share", RecoveryText.Format("SharesDuplicate", RecoveryText.Ordinal(twin + 1), RecoveryText.Ordinal(i + 1), share.X));
            }
        }

        if (first.Threshold != header.Threshold || first.Count != header.Count)
        {
            throw new AppRequestException("share", RecoveryText.Format("ShareOtherKitThanSealed", RecoveryText.Ordinal(1), first.KitTag, tag));
        }

        // Refused before any arithmetic: fewer than k shares say nothing, and this says nothing either.
        if (shares.Count < first.Threshold)
        {
            throw new AppRequestException("share", RecoveryText.Format("SharesTooFew", shares.Count, first.Threshold));
        }

        var key = Shamir.Combine([.. shares.Select(s => s.ToShamir())]);
        try
        {
            if (!CryptographicOperations.FixedTimeEquals(RecoveryShareFormat.Commitment(key), first.Commitment))
            {
                throw new AppRequestException("share", RecoveryText.Get("SharesDoNotFit"));
            }

            return SealedKit.Open(sealedKit, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Opens the kit from share documents alone (<c>--share FILE --share FILE</c>): each carries
    /// the same sealed block after its share line.
    /// </summary>
    public static RecoveryKitContents OpenDocuments(IReadOnlyList<string> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return Open(documents, FindSealedKit(documents));
    }

    /// <summary>The sealed block carried by the documents; refused when none carries one.</summary>
    public static string FindSealedKit(IReadOnlyList<string> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return documents.Select(d => SealedKit.Find(d ?? string.Empty)).FirstOrDefault(b => b is not null)
            ?? throw new AppRequestException("kit", RecoveryText.Get("KitBlockMissing"));
    }
}
