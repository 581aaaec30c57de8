namespace HostPanel.Core.Handover;

/// <summary>
/// Arithmetic in GF(2^8) with the AES reduction polynomial x^8 + x^4 + x^3 + x + 1 (0x11B):
/// addition is XOR, multiplication goes through log/exp tables built from the generator 3.
/// </summary>
internal static class GaloisField
{
    private static readonly byte[] Exp = new byte[510];
    private static readonly byte[] Log = new byte[256];

    static GaloisField()
    {
        var value = 1;
        for (var i = 0; i < 255; i++)
        {
            Exp[i] = (byte)value;
            Log[value] = (byte)i;

            // value * 3 = value * 2 + value, reduced modulo 0x11B.
            var doubled = value << 1;
            if ((doubled & 0x100) != 0)
            {
                doubled ^= 0x11B;
            }

            value = doubled ^ value;
        }

        // A second copy spares a modulo in Multiply.
        for (var i = 255; i < Exp.Length; i++)
        {
            Exp[i] = Exp[i - 255];
        }
    }

    public static byte Add(byte a, byte b) => (byte)(a ^ b);

    public static byte Multiply(byte a, byte b) =>
        a == 0 || b == 0 ? (byte)0 : Exp[Log[a] + Log[b]];

    /// <summary>The multiplicative inverse; zero has none.</summary>
    public static byte Inverse(byte a)
    {
        if (a == 0)
        {
            throw new DivideByZeroException("Zero has no inverse in GF(256).");
        }

        return Exp[255 - Log[a]];
    }

    public static byte Divide(byte a, byte b) => Multiply(a, Inverse(b));

    /// <summary>The polynomial with <paramref name="coefficients"/> (constant term first) at <paramref name="x"/>, by Horner's rule.</summary>
    public static byte Evaluate(ReadOnlySpan<byte> coefficients, byte x)
    {
        byte result = 0;
        for (var i = coefficients.Length - 1; i >= 0; i--)
        {
            result = Add(Multiply(result, x), coefficients[i]);
        }

        return result;
    }
}
