using System.Security.Cryptography;
using HostPanel.Core.Apps;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Handover;

/// <summary>
/// One share of a secret split with <see cref="Shamir"/>: its x-coordinate (1..255), the
/// polynomial's values there (one byte per byte of the secret), and the threshold it was made
/// with, so that combining too few shares is refused before any arithmetic.
/// </summary>
public sealed record ShamirShare(int Threshold, byte X, byte[] Value);

/// <summary>
/// Shamir's secret sharing over GF(256), byte by byte: each byte of the secret is the constant
/// term of a random polynomial of degree k − 1; share x holds the polynomials' values at x. Any k
/// shares give the secret back by Lagrange interpolation at 0; fewer tell nothing about it.
/// </summary>
public static class Shamir
{
    public const int MaxShares = 255;

    /// <summary>Splits <paramref name="secret"/> into <paramref name="count"/> shares (x = 1..n), any <paramref name="threshold"/> of which rebuild it.</summary>
    public static IReadOnlyList<ShamirShare> Split(ReadOnlySpan<byte> secret, int threshold, int count) =>
        Split(secret, threshold, count, RandomNumberGenerator.Fill);

    /// <summary>With the coefficients' source given (tests use a fixed one for known answers).</summary>
    internal static IReadOnlyList<ShamirShare> Split(ReadOnlySpan<byte> secret, int threshold, int count, RandomFill random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ValidateShape(threshold, count);
        if (secret.IsEmpty)
        {
            throw new AppRequestException("secret", RecoveryText.Get("ShamirEmptySecret"));
        }

        var values = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            values[i] = new byte[secret.Length];
        }

        var coefficients = new byte[threshold];
        try
        {
            for (var b = 0; b < secret.Length; b++)
            {
                coefficients[0] = secret[b];
                random(coefficients.AsSpan(1));
                for (var i = 0; i < count; i++)
                {
                    values[i][b] = GaloisField.Evaluate(coefficients, (byte)(i + 1));
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(coefficients);
        }

        return [.. values.Select((v, i) => new ShamirShare(threshold, (byte)(i + 1), v))];
    }

    /// <summary>
    /// The secret from at least as many shares as their threshold. Refused, before any
    /// interpolation, when there are too few, when they disagree on the threshold or the length,
    /// or when two have the same x.
    /// </summary>
    public static byte[] Combine(IReadOnlyList<ShamirShare> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        if (shares.Count == 0)
        {
            throw new AppRequestException("share", RecoveryText.Format("ShamirTooFew", 0, 2));
        }

        var threshold = shares[0].Threshold;
        if (shares.Any(s => s.Threshold != threshold))
        {
            throw new AppRequestException("share", RecoveryText.Get("ShamirThresholdsDiffer"));
        }

        if (threshold is < 2 or > MaxShares)
        {
            throw new AppRequestException("share", RecoveryText.Format("ShamirThresholdInvalid", threshold, MaxShares));
        }

        if (shares.Count < threshold)
        {
            throw new AppRequestException("share", RecoveryText.Format("ShamirTooFew", shares.Count, threshold));
        }

        var length = shares[0].Value.Length;
        if (length == 0 || shares.Any(s => s.Value.Length != length))
        {
            throw new AppRequestException("share", RecoveryText.Get("ShamirLengthsDiffer"));
        }

        if (shares.Any(s => s.X == 0))
        {
            throw new AppRequestException("share", RecoveryText.Get("ShamirZeroX"));
        }

        if (shares.GroupBy(s => s.X).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new AppRequestException("share", RecoveryText.Format("ShamirDuplicateX", duplicate.Key));
        }

        // Exactly k points define the polynomial; more add nothing.
        var used = shares.Take(threshold).ToArray();
        var weights = new byte[used.Length];
        for (var i = 0; i < used.Length; i++)
        {
            // Lagrange basis at 0: prod over j != i of x_j / (x_j - x_i); minus is XOR here.
            byte numerator = 1;
            byte denominator = 1;
            for (var j = 0; j < used.Length; j++)
            {
                if (j != i)
                {
                    numerator = GaloisField.Multiply(numerator, used[j].X);
                    denominator = GaloisField.Multiply(denominator, GaloisField.Add(used[j].X, used[i].X));
                }
            }

            weights[i] = GaloisField.Divide(numerator, denominator);
        }

        var secret = new byte[length];
        for (var b = 0; b < length; b++)
        {
            byte value = 0;
            for (var i = 0; i < used.Length; i++)
            {
                value = GaloisField.Add(value, GaloisField.Multiply(weights[i], used[i].Value[b]));
            }

            secret[b] = value;
        }

        return secret;
    }

    /// <summary>2 ≤ k ≤ n ≤ 255, else a refusal naming the field and the fix.</summary>
    public static void ValidateShape(int threshold, int count)
    {
        if (count is < 2 or > MaxShares)
        {
            throw new AppRequestException("holders", RecoveryText.Format("ShamirCountInvalid", count, MaxShares));
        }

        if (threshold < 2 || threshold > count)
        {
            throw new AppRequestException("threshold", RecoveryText.Format("ShamirThresholdOutOfRange", threshold, count));
        }
    }
}

/// <summary>Fills a span with random bytes (<see cref="RandomNumberGenerator.Fill(Span{byte})"/> outside tests).</summary>
internal delegate void RandomFill(Span<byte> data);
