using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using HostPanel.Core.Apps;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Handover;

/// <summary>
/// One holder's share of a recovery kit, as its line carries it: which kit (<see cref="KitTag"/>),
/// how many shares rebuild the key (<see cref="Threshold"/>) out of <see cref="Count"/>, its
/// number <see cref="X"/>, its bytes, and a short commitment to the kit key (the first bytes of
/// its SHA-256) that tells a wrong combination once the shares are combined.
/// </summary>
public sealed record RecoveryShare(string KitTag, int Threshold, int Count, byte X, byte[] Value, byte[] Commitment)
{
    public ShamirShare ToShamir() => new(Threshold, X, Value);
}

/// <summary>
/// The share line, one line a person can type or scan:
/// <c>HPK1-KITTAG00-2of3-1-GGGGC-GGGGC-…-CHECKSUM</c>. After the prefix come the kit's tag (8
/// letters), k "of" n, the share's number, then the share's bytes and the commitment in groups of
/// four letters each followed by a check letter, and a final check (8 letters of a SHA-256 of
/// everything before it). A typo is named by its group; a change in the header by the final check.
/// </summary>
public static partial class RecoveryShareFormat
{
    public const string Prefix = "HPK1";
    public const int CommitmentLength = 4;
    private const int GroupLetters = 4;
    private const int CheckLength = 8;
    private const int KitTagLength = 8;

    /// <summary>The kit's 8-letter tag in share lines: the first 40 bits of its id.</summary>
    public static string KitTag(Guid kitId) => ShareAlphabet.Encode(kitId.ToByteArray(bigEndian: true).AsSpan(0, 5));

    /// <summary>The first bytes of the SHA-256 of the kit key.</summary>
    public static byte[] Commitment(ReadOnlySpan<byte> key) => SHA256.HashData(key)[..CommitmentLength];

    public static string Format(RecoveryShare share)
    {
        ArgumentNullException.ThrowIfNull(share);
        var letters = ShareAlphabet.Encode([.. share.Value, .. share.Commitment]);
        var header = string.Create(CultureInfo.InvariantCulture, $"{Prefix}-{share.KitTag}-{share.Threshold}of{share.Count}-{share.X}");
        var groups = letters.Chunk(GroupLetters).Select(g => new string(g)).Select(g => g + ShareAlphabet.CheckLetter(g));
        return $"{header}-{string.Join('-', groups)}-{Check(header, letters)}";
    }

    /// <summary>
    /// Reads a share line (spaces, line breaks and case are forgiven). Refused with plain words
    /// naming the share by its place among those given (<paramref name="position"/>, from 1) and
    /// the part that is wrong.
    /// </summary>
    public static RecoveryShare Parse(string? text, int position)
    {
        var which = RecoveryText.Ordinal(position);
        var compact = string.Concat((text ?? string.Empty).Where(c => !char.IsWhiteSpace(c)));
        if (compact.Length == 0)
        {
            throw Refused("ShareEmpty", which);
        }

        var parts = compact.Split('-');
        if (!parts[0].Equals(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            throw Refused("ShareNotHostPanel", which, Prefix);
        }

        // Prefix, kit, k of n, number, at least one group, final check.
        if (parts.Length < 6)
        {
            throw Refused("ShareTruncated", which);
        }

        var tag = ShareAlphabet.Normalize(parts[1]);
        if (tag.Length != KitTagLength || ShareAlphabet.Decode(tag) is null)
        {
            throw Refused("ShareKitTagInvalid", which, parts[1]);
        }

        var shape = Shape().Match(parts[2]);
        if (!shape.Success)
        {
            throw Refused("ShareShapeInvalid", which, parts[2]);
        }

        var threshold = int.Parse(shape.Groups[1].Value, CultureInfo.InvariantCulture);
        var count = int.Parse(shape.Groups[2].Value, CultureInfo.InvariantCulture);
        if (count is < 2 or > Shamir.MaxShares || threshold < 2 || threshold > count)
        {
            throw Refused("ShareShapeInvalid", which, parts[2]);
        }

        if (!Number().IsMatch(parts[3]) || int.Parse(parts[3], CultureInfo.InvariantCulture) is var x && (x < 1 || x > count))
        {
            throw Refused("ShareNumberInvalid", which, parts[3], count);
        }

        var letters = new StringBuilder();
        var groups = parts[4..^1];
        for (var g = 0; g < groups.Length; g++)
        {
            var group = groups[g];
            if (group.Length < 2 || group.Length > GroupLetters + 1 || (group.Length != GroupLetters + 1 && g != groups.Length - 1))
            {
                throw Refused("ShareGroupLength", which, g + 1, group);
            }

            if (group.FirstOrDefault(c => ShareAlphabet.ValueOf(c) < 0) is var bad and not '\0')
            {
                throw Refused("ShareGroupLetter", which, g + 1, group, bad);
            }

            var data = ShareAlphabet.Normalize(group[..^1]);
            if (ShareAlphabet.CheckLetter(data) != ShareAlphabet.Normalize(group[^1..])[0])
            {
                throw Refused("ShareGroupCheck", which, g + 1, group);
            }

            letters.Append(data);
        }

        var check = ShareAlphabet.Normalize(parts[^1]);
        if (check.Length != CheckLength || check.Any(c => ShareAlphabet.ValueOf(c) < 0))
        {
            throw Refused("ShareFinalCheckInvalid", which, parts[^1]);
        }

        var header = string.Create(CultureInfo.InvariantCulture, $"{Prefix}-{tag}-{threshold}of{count}-{x}");
        if (Check(header, letters.ToString()) != check)
        {
            throw Refused("ShareCheckMismatch", which);
        }

        var payload = ShareAlphabet.Decode(letters.ToString());
        if (payload is null || payload.Length <= CommitmentLength)
        {
            throw Refused("ShareCheckMismatch", which);
        }

        return new RecoveryShare(tag, threshold, count, (byte)x, payload[..^CommitmentLength], payload[^CommitmentLength..]);
    }

    /// <summary>
    /// The kit <paramref name="key"/> split into <paramref name="count"/> share lines, any
    /// <paramref name="threshold"/> of which rebuild it; line i carries share number i + 1.
    /// </summary>
    public static IReadOnlyList<string> Lines(Guid kitId, ReadOnlySpan<byte> key, int threshold, int count)
    {
        var tag = KitTag(kitId);
        var commitment = Commitment(key);
        return [.. Shamir.Split(key, threshold, count).Select(s => Format(new RecoveryShare(tag, threshold, count, s.X, s.Value, commitment)))];
    }

    /// <summary>Whether the (trimmed) line is written as a share line: "HPK1-…".</summary>
    public static bool IsShareLine(string line) =>
        line.StartsWith(Prefix + "-", StringComparison.OrdinalIgnoreCase);

    /// <summary>The share line in <paramref name="text"/> (a share document or the line alone), or null.</summary>
    public static string? FindLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split('\n').Select(l => l.Trim()).FirstOrDefault(IsShareLine);
    }

    private static string Check(string header, string letters) =>
        ShareAlphabet.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(header + "-" + letters)).AsSpan(0, 5));

    private static AppRequestException Refused(string key, params object?[] args) =>
        new("share", RecoveryText.Format(key, args));

    [GeneratedRegex("^([0-9]{1,3})of([0-9]{1,3})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    [GeneratedRegex("^[0-9]{1,3}$", RegexOptions.CultureInvariant)]
    private static partial Regex Number();
}
