using System.Security.Cryptography;
using HostPanel.Core.Apps;
using HostPanel.Core.Handover;

namespace HostPanel.Core.Tests.Handover;

public class ShamirTests
{
    [Fact]
    public void TheFieldMultipliesAsTheAesStandardSays()
    {
        // FIPS-197 §4.2: {57} • {83} = {c1}, {57} • {13} = {fe}; §5.1.1: {53} and {ca} are inverses.
        Assert.Equal(0xC1, GaloisField.Multiply(0x57, 0x83));
        Assert.Equal(0xFE, GaloisField.Multiply(0x57, 0x13));
        Assert.Equal(0xCA, GaloisField.Inverse(0x53));
        Assert.Equal(0x53, GaloisField.Inverse(0xCA));
        Assert.Throws<DivideByZeroException>(() => GaloisField.Inverse(0));
    }

    [Fact]
    public void TheFieldObeysItsLaws()
    {
        for (var a = 0; a < 256; a++)
        {
            Assert.Equal(0, GaloisField.Multiply((byte)a, 0));
            Assert.Equal(a, GaloisField.Multiply((byte)a, 1));
            if (a != 0)
            {
                Assert.Equal(1, GaloisField.Multiply((byte)a, GaloisField.Inverse((byte)a)));
            }

            for (var b = 0; b < 256; b++)
            {
                Assert.Equal(GaloisField.Multiply((byte)a, (byte)b), GaloisField.Multiply((byte)b, (byte)a));
                Assert.Equal(CarrylessProduct((byte)a, (byte)b), GaloisField.Multiply((byte)a, (byte)b));
            }
        }

        var random = new Random(9);
        for (var i = 0; i < 20_000; i++)
        {
            var (a, b, c) = ((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
            Assert.Equal(GaloisField.Add(GaloisField.Multiply(a, b), GaloisField.Multiply(a, c)), GaloisField.Multiply(a, GaloisField.Add(b, c)));
            Assert.Equal(GaloisField.Multiply(GaloisField.Multiply(a, b), c), GaloisField.Multiply(a, GaloisField.Multiply(b, c)));
        }
    }

    [Fact]
    public void AKnownSplitGivesTheValuesWorkedOutByHand()
    {
        // f(x) = 0x42 + 0x05·x: f(1) = 0x47, f(2) = 0x42 ^ 0x0A = 0x48, f(3) = 0x42 ^ (0x05·3 = 0x0F) = 0x4D.
        var shares = Shamir.Split([0x42], 2, 3, span => span.Fill(0x05));

        Assert.Equal([0x47, 0x48, 0x4D], shares.Select(s => s.Value[0]));
        Assert.Equal([1, 2, 3], shares.Select(s => (int)s.X));
        Assert.Equal([0x42], Shamir.Combine([shares[0], shares[2]]));
        Assert.Equal([0x42], Shamir.Combine([new ShamirShare(2, 3, [0x4D]), new ShamirShare(2, 2, [0x48])]));
    }

    [Fact]
    public void EveryKSubsetRebuildsAndEverySmallerSubsetIsRefused()
    {
        var random = new Random(2026);
        for (var n = 2; n <= 7; n++)
        {
            for (var k = 2; k <= n; k++)
            {
                var secret = RandomNumberGenerator.GetBytes(random.Next(1, 70));
                var shares = Shamir.Split(secret, k, n);
                Assert.Equal(n, shares.Count);
                foreach (var subset in Subsets(n, k))
                {
                    Assert.Equal(secret, Shamir.Combine([.. subset.Select(i => shares[i])]));
                }

                foreach (var subset in Subsets(n, k - 1))
                {
                    Assert.Throws<AppRequestException>(() => Shamir.Combine([.. subset.Select(i => shares[i])]));
                }
            }
        }
    }

    [Theory]
    [InlineData(2, 20)]
    [InlineData(5, 20)]
    [InlineData(13, 40)]
    [InlineData(3, 255)]
    [InlineData(128, 255)]
    [InlineData(255, 255)]
    public void RandomSubsetsOfLargeSplitsRebuild(int k, int n)
    {
        var random = new Random(k * 1000 + n);
        foreach (var length in new[] { 1, 2, 16, 32, 33, 64, 100 })
        {
            var secret = RandomNumberGenerator.GetBytes(length);
            var shares = Shamir.Split(secret, k, n);
            for (var round = 0; round < 10; round++)
            {
                var picked = shares.OrderBy(_ => random.Next()).ToList();
                Assert.Equal(secret, Shamir.Combine([.. picked.Take(k)]));
                Assert.Equal(secret, Shamir.Combine([.. picked.Take(random.Next(k, n + 1))]));
                Assert.Throws<AppRequestException>(() => Shamir.Combine([.. picked.Take(k - 1)]));
            }
        }
    }

    [Fact]
    public void TooFewSharesAreRefusedBeforeAnyArithmetic()
    {
        // A share of a 2-of-3 split whose bytes would make interpolation throw (x = 0 has no inverse
        // role, lengths differ): the refusal is about the count, so nothing was computed.
        var error = Assert.Throws<AppRequestException>(() => Shamir.Combine([new ShamirShare(3, 0, [1]), new ShamirShare(3, 0, [1, 2])]));
        Assert.Contains("2", error.Message, StringComparison.Ordinal);
        Assert.Contains("3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoSplitsOfTheSameSecretDiffer()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var first = Shamir.Split(secret, 2, 3);
        var second = Shamir.Split(secret, 2, 3);

        for (var i = 0; i < 3; i++)
        {
            Assert.NotEqual(first[i].Value, second[i].Value);
        }

        // Mixing shares of two splits does not give the secret back.
        Assert.NotEqual(secret, Shamir.Combine([first[0], second[1]]));
    }

    [Fact]
    public void OneShareOfATwoOfNSplitFitsEverySecretEqually()
    {
        // With k = 2 the coefficient is uniform: over all 256 coefficients, a share's byte takes
        // every value exactly once, whatever the secret byte (so it tells nothing about it).
        foreach (var secret in new byte[] { 0, 0x42, 0xFF })
        {
            var seen = new HashSet<byte>();
            for (var a = 0; a < 256; a++)
            {
                seen.Add(Shamir.Split([secret], 2, 2, span => span.Fill((byte)a))[1].Value[0]);
            }

            Assert.Equal(256, seen.Count);
        }
    }

    [Theory]
    [InlineData(1, 3, "threshold")]
    [InlineData(4, 3, "threshold")]
    [InlineData(0, 3, "threshold")]
    [InlineData(2, 1, "holders")]
    [InlineData(2, 256, "holders")]
    public void ImpossibleShapesAreRefusedNamingTheField(int k, int n, string field)
    {
        var error = Assert.Throws<AppRequestException>(() => Shamir.Split([1, 2, 3], k, n));
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void InconsistentSharesAreRefused()
    {
        var shares = Shamir.Split([1, 2, 3], 2, 3);
        Assert.Throws<AppRequestException>(() => Shamir.Split([], 2, 3));
        Assert.Throws<AppRequestException>(() => Shamir.Combine([shares[0], shares[0]]));
        Assert.Throws<AppRequestException>(() => Shamir.Combine([shares[0], shares[1] with { Value = [1, 2] }]));
        Assert.Throws<AppRequestException>(() => Shamir.Combine([shares[0], shares[1] with { Threshold = 3 }]));
        Assert.Throws<AppRequestException>(() => Shamir.Combine([shares[0], shares[1] with { X = 0 }]));
        Assert.Throws<AppRequestException>(() => Shamir.Combine([]));
    }

    /// <summary>Multiplication done the slow way: shift-and-add, reduced by 0x11B.</summary>
    private static byte CarrylessProduct(byte a, byte b)
    {
        var product = 0;
        for (var bit = 0; bit < 8; bit++)
        {
            if ((b >> bit & 1) != 0)
            {
                product ^= a << bit;
            }
        }

        for (var bit = 14; bit >= 8; bit--)
        {
            if ((product >> bit & 1) != 0)
            {
                product ^= 0x11B << (bit - 8);
            }
        }

        return (byte)product;
    }

    private static IEnumerable<int[]> Subsets(int n, int size)
    {
        for (var mask = 0; mask < 1 << n; mask++)
        {
            if (System.Numerics.BitOperations.PopCount((uint)mask) == size)
            {
                yield return [.. Enumerable.Range(0, n).Where(i => (mask >> i & 1) != 0)];
            }
        }
    }
}
