using System.Buffers.Text;
using System.Security.Cryptography;
using HostPanel.Core.Catalog.Model;

namespace HostPanel.Core.Catalog.Secrets;

/// <summary>
/// A generated secret: one value, or (for key pairs) a private and a public part. Generated once
/// at install and then only ever read back: never regenerated on update or restore.
/// </summary>
public sealed record GeneratedSecret(string? Value, string? Private = null, string? Public = null)
{
    public bool IsPair => Private is not null;

    /// <summary>The value a placeholder asks for: null part for a single value, "private"/"public" for a pair.</summary>
    public string? Part(string? part) => (part, IsPair) switch
    {
        (null, false) => Value,
        ("private", true) => Private,
        ("public", true) => Public,
        _ => null,
    };

    public override string ToString() => "GeneratedSecret(***)";
}

/// <summary>The secret generators of the manifest format, on the operating system's CSPRNG.</summary>
public static class SecretGenerator
{
    public const string AlnumAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static GeneratedSecret Generate(SecretSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Generator switch
        {
            SecretGeneratorKind.Alnum => new GeneratedSecret(Alnum(spec.Length ?? throw Missing("length"))),
            SecretGeneratorKind.Hex => new GeneratedSecret(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(spec.Bytes ?? throw Missing("bytes")))),
            SecretGeneratorKind.Base64Url => new GeneratedSecret(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(spec.Bytes ?? throw Missing("bytes")))),
            SecretGeneratorKind.VapidP256 => VapidKeyPair(),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Generator, "Unknown secret generator."),
        };
    }

    /// <summary>Random letters and digits, each drawn uniformly (no modulo bias).</summary>
    public static string Alnum(int length) => RandomNumberGenerator.GetString(AlnumAlphabet, length);

    /// <summary>
    /// A Web Push (VAPID, RFC 8292) key pair on P-256: the private key is the 32-byte scalar, the
    /// public key the 65-byte uncompressed point 0x04‖X‖Y, both URL-safe base64 without padding —
    /// the encoding Mastodon's VAPID_PRIVATE_KEY / VAPID_PUBLIC_KEY expect.
    /// </summary>
    public static GeneratedSecret VapidKeyPair()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(includePrivateParameters: true);
        try
        {
            var point = new byte[65];
            point[0] = 0x04;
            parameters.Q.X!.CopyTo(point, 1);
            parameters.Q.Y!.CopyTo(point, 33);
            return new GeneratedSecret(null, Base64Url.EncodeToString(parameters.D!), Base64Url.EncodeToString(point));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    private static ArgumentException Missing(string field) => new($"The secret's '{field}' is required for this generator.");
}
