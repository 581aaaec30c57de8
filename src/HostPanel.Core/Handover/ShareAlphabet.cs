namespace HostPanel.Core.Handover;

/// <summary>
/// Crockford's base 32 for share lines a person types: digits and capitals without I, L, O and U;
/// reading forgives case and the look-alikes O → 0, I and L → 1. Each group of letters carries a
/// Luhn mod 32 check letter, which catches every single mistyped letter and most swaps of two
/// neighbours, so a typo is named by its group.
/// </summary>
internal static class ShareAlphabet
{
    public const string Letters = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var text = new System.Text.StringBuilder((data.Length * 8 + 4) / 5);
        var buffer = 0;
        var bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                text.Append(Letters[(buffer >> bits) & 31]);
            }
        }

        if (bits > 0)
        {
            text.Append(Letters[(buffer << (5 - bits)) & 31]);
        }

        return text.ToString();
    }

    /// <summary>The bytes of <paramref name="text"/>, or null when a letter is not of the alphabet or the padding bits are not zero.</summary>
    public static byte[]? Decode(string text)
    {
        var bytes = new byte[text.Length * 5 / 8];
        var buffer = 0;
        var bits = 0;
        var index = 0;
        foreach (var c in text)
        {
            var value = ValueOf(c);
            if (value < 0)
            {
                return null;
            }

            buffer = ((buffer << 5) | value) & 0xFFFF;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes[index++] = (byte)(buffer >> bits);
            }
        }

        return (buffer & ((1 << bits) - 1)) == 0 ? bytes : null;
    }

    /// <summary>The letter's value (0..31), or −1.</summary>
    public static int ValueOf(char c) => char.ToUpperInvariant(c) switch
    {
        'O' => 0,
        'I' or 'L' => 1,
        var u => Letters.IndexOf(u, StringComparison.Ordinal),
    };

    /// <summary>The canonical spelling: capitals, look-alikes replaced.</summary>
    public static string Normalize(string text) =>
        string.Concat(text.Select(c => ValueOf(c) is var v and >= 0 ? Letters[v] : c));

    /// <summary>The Luhn mod 32 check letter of <paramref name="group"/> (letters of the alphabet only).</summary>
    public static char CheckLetter(string group)
    {
        var factor = 2;
        var sum = 0;
        for (var i = group.Length - 1; i >= 0; i--)
        {
            var addend = factor * ValueOf(group[i]);
            factor = factor == 2 ? 1 : 2;
            sum += (addend / 32) + (addend % 32);
        }

        return Letters[(32 - (sum % 32)) % 32];
    }
}
