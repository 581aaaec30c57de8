using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HostPanel.Core.Apps;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Handover;

/// <summary>The armored block's readable header: bound to the ciphertext as associated data.</summary>
public sealed record SealedKitHeader(Guid KitId, DateTimeOffset IssuedAt, int Threshold, int Count);

/// <summary>
/// The kit contents as an armored text block: JSON, compressed, then AES-256-GCM under the kit
/// key with the header (kit id, date, k, n) as associated data, so a changed header or a changed
/// letter of the body both fail to open. Useless without the key, which only k shares rebuild.
/// </summary>
public static class SealedKit
{
    public const string Begin = "-----BEGIN HOSTPANEL RECOVERY KIT-----";
    public const string End = "-----END HOSTPANEL RECOVERY KIT-----";
    /// <summary>The kit key's length: AES-256.</summary>
    public const int KeyLength = 32;

    /// <summary>What a kit may hold once uncompressed; real kits hold a few kilobytes.</summary>
    public const int MaxContentsLength = 16 * 1024 * 1024;

    private const int NonceLength = 12;
    private const int TagLength = 16;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Seal(RecoveryKitContents contents, int count, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(contents);
        var header = new SealedKitHeader(contents.KitId, contents.IssuedAt.ToUniversalTime(), contents.Threshold, count);
        byte[] plain;
        using (var buffer = new MemoryStream())
        {
            using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                JsonSerializer.Serialize(gzip, contents, Json);
            }

            plain = buffer.ToArray();
        }

        var sealedBytes = new byte[NonceLength + plain.Length + TagLength];
        var nonce = sealedBytes.AsSpan(0, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(key, TagLength))
        {
            aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceLength, plain.Length), sealedBytes.AsSpan(NonceLength + plain.Length), AssociatedData(header));
        }

        CryptographicOperations.ZeroMemory(plain);
        var text = new StringBuilder();
        text.Append(Begin).Append('\n');
        foreach (var (name, value) in HeaderLines(header))
        {
            text.Append(name).Append(": ").Append(value).Append('\n');
        }

        text.Append('\n');
        foreach (var line in Convert.ToBase64String(sealedBytes).Chunk(64))
        {
            text.Append(line).Append('\n');
        }

        text.Append(End).Append('\n');
        return text.ToString();
    }

    /// <summary>The armored block inside <paramref name="text"/> (a share document, kit.sealed), or null.</summary>
    public static string? Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = start < 0 ? -1 : text.IndexOf(End, start, StringComparison.Ordinal);
        return end < 0 ? null : text[start..(end + End.Length)] + "\n";
    }

    /// <summary>The header of an armored block; refused plainly when it is not one.</summary>
    public static SealedKitHeader ReadHeader(string armored) => Parse(armored).Header;

    /// <summary>Opens the block with the kit key; refused plainly when the key or the block is not the right one.</summary>
    public static RecoveryKitContents Open(string armored, ReadOnlySpan<byte> key)
    {
        var (header, body) = Parse(armored);
        if (body.Length < NonceLength + TagLength)
        {
            throw Damaged();
        }

        // Shares typed by anyone may combine into a key of another length: it opens nothing.
        if (key.Length != KeyLength)
        {
            throw new AppRequestException("kit", RecoveryText.Get("KitDoesNotOpen"));
        }

        var plain = new byte[body.Length - NonceLength - TagLength];
        try
        {
            using var aes = new AesGcm(key, TagLength);
            aes.Decrypt(body.AsSpan(0, NonceLength), body.AsSpan(NonceLength, plain.Length), body.AsSpan(NonceLength + plain.Length), plain, AssociatedData(header));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new AppRequestException("kit", RecoveryText.Get("KitDoesNotOpen"), e);
        }

        using var json = new MemoryStream();
        try
        {
            // Bounded: a block sealed by someone else under a key of their own may be a
            // decompression bomb.
            using (var gzip = new GZipStream(new MemoryStream(plain), CompressionMode.Decompress))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = gzip.Read(buffer)) > 0)
                {
                    if (json.Length + read > MaxContentsLength)
                    {
                        throw Damaged();
                    }

                    json.Write(buffer, 0, read);
                }
            }

            json.Position = 0;
            var contents = JsonSerializer.Deserialize<RecoveryKitContents>(json, Json) ?? throw Damaged();
            if (contents.KitId != header.KitId || contents.Threshold != header.Threshold)
            {
                throw Damaged();
            }

            return contents;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new AppRequestException("kit", RecoveryText.Get("KitDamaged"), e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
            CryptographicOperations.ZeroMemory(json.GetBuffer());
        }
    }

    private static (SealedKitHeader Header, byte[] Body) Parse(string armored)
    {
        var block = Find(armored ?? string.Empty) ?? throw new AppRequestException("kit", RecoveryText.Get("KitBlockMissing"));
        var lines = block.Split('\n').Select(l => l.Trim()).ToList();
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var index = 1;
        for (; index < lines.Count && lines[index].Length > 0 && lines[index] != End; index++)
        {
            var colon = lines[index].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw Damaged();
            }

            fields[lines[index][..colon].Trim()] = lines[index][(colon + 1)..].Trim();
        }

        if (!fields.TryGetValue("Kit", out var kit) || !Guid.TryParseExact(kit, "D", out var kitId)
            || !fields.TryGetValue("Issued", out var issued) || !DateTimeOffset.TryParseExact(issued, "O", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var issuedAt)
            || !fields.TryGetValue("Threshold", out var k) || !int.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out var threshold)
            || !fields.TryGetValue("Shares", out var n) || !int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            throw Damaged();
        }

        var body = string.Concat(lines.Skip(index).TakeWhile(l => l != End));
        try
        {
            return (new SealedKitHeader(kitId, issuedAt, threshold, count), Convert.FromBase64String(body));
        }
        catch (FormatException e)
        {
            throw new AppRequestException("kit", RecoveryText.Get("KitDamaged"), e);
        }
    }

    private static IEnumerable<(string Name, string Value)> HeaderLines(SealedKitHeader header) =>
    [
        ("Kit", header.KitId.ToString("D")),
        ("Issued", header.IssuedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)),
        ("Threshold", header.Threshold.ToString(CultureInfo.InvariantCulture)),
        ("Shares", header.Count.ToString(CultureInfo.InvariantCulture)),
    ];

    private static byte[] AssociatedData(SealedKitHeader header) =>
        Encoding.UTF8.GetBytes("HostPanel recovery kit 1\n" + string.Join('\n', HeaderLines(header).Select(h => $"{h.Name}: {h.Value}")));

    private static AppRequestException Damaged() => new("kit", RecoveryText.Get("KitDamaged"));
}
