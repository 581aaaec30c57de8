using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace HostPanel.Tests;

/// <summary>RFC 6238 codes (HMAC-SHA1, 30-second steps, 6 digits) computed in the test, as an authenticator app does.</summary>
internal static class Totp
{
    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static long StepAt(DateTimeOffset at) => at.ToUnixTimeSeconds() / 30;

    public static string Code(string base32Key, long step)
    {
        var counter = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(FromBase32(base32Key), counter);
        var offset = hash[^1] & 0x0f;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset, 4)) & 0x7fffffff) % 1_000_000;
        return binary.ToString("D6", CultureInfo.InvariantCulture);
    }

    public static byte[] FromBase32(string key)
    {
        var clean = key.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var bytes = new List<byte>(clean.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in clean)
        {
            var value = Base32Alphabet.IndexOf(c, StringComparison.Ordinal);
            Assert.True(value >= 0, $"'{c}' is not base32");
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }

        return [.. bytes];
    }
}

/// <summary>
/// The codes of one authenticator, each given once: the panel refuses a code a second time, and
/// accepts those of two steps before and after the current one.
/// </summary>
public sealed class Authenticator(string base32Key)
{
    private readonly HashSet<long> _used = [];

    public string Key { get; } = base32Key;

    /// <summary>A valid code not given before (this step, then the next ones, then the previous one).</summary>
    public string Next()
    {
        var now = Totp.StepAt(DateTimeOffset.UtcNow);
        foreach (var step in new[] { now, now + 1, now + 2, now - 1 })
        {
            if (_used.Add(step))
            {
                return Totp.Code(Key, step);
            }
        }

        throw new InvalidOperationException("Every code of this minute was used; the test asks for too many.");
    }

    /// <summary>A code of this key that the panel refuses (ten minutes old).</summary>
    public string Stale() => Totp.Code(Key, Totp.StepAt(DateTimeOffset.UtcNow) - 20);
}
