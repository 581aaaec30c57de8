using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HostPanel.Core.Handover;

/// <summary>
/// One entry of the audit log as it is kept: its place in the chain (<see cref="Sequence"/>, from
/// 1), when it was written (UTC), the action recorded, the hash of the entry before it and its
/// own hash over all of that (<see cref="AuditChain"/>).
/// </summary>
public sealed record AuditEntry(
    long Sequence,
    DateTimeOffset At,
    string Actor,
    string? OrganizationId,
    string Action,
    string? Subject,
    AuditResult Result,
    Guid? OperationId,
    string? Detail,
    string PreviousHash,
    string Hash);

/// <summary>
/// The newest entry the log has confirmed, kept outside the table (DATA_DIR/audit.head) so that
/// removing the newest rows is noticed too.
/// </summary>
public sealed record AuditAnchor(long Sequence, string Hash);

/// <summary>
/// How entries are chained: each one's hash is SHA-256 over a versioned, length-prefixed encoding
/// of every field, its sequence and the previous entry's hash included. No field can be changed,
/// and no entry removed or moved, without a hash that no longer matches.
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>Identifies the encoding below; a new encoding gets a new tag, old entries keep theirs.</summary>
    internal const string EncodingTag = "hostpanel-audit/1";

    public const int ActorMaxLength = 320;
    public const int ActionMaxLength = 100;
    public const int OrganizationMaxLength = 64;
    public const int SubjectMaxLength = 500;
    public const int DetailMaxLength = 2000;

    /// <summary>
    /// The entry that follows <paramref name="previous"/> (null for the first one), written at
    /// <paramref name="at"/>. Over-long texts are cut to the columns' lengths before hashing, so
    /// what is kept is exactly what was hashed.
    /// </summary>
    public static AuditEntry Next(AuditEntry? previous, AuditRecord record, DateTimeOffset at) =>
        Next(previous?.Sequence ?? 0, previous?.Hash ?? Genesis, record, at);

    /// <summary>The entry that follows the one numbered <paramref name="previousSequence"/> (0: none) with hash <paramref name="previousHash"/>.</summary>
    public static AuditEntry Next(long previousSequence, string previousHash, AuditRecord record, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(previousHash);
        if (string.IsNullOrWhiteSpace(record.Actor))
        {
            throw new ArgumentException("An audit record needs an actor.", nameof(record));
        }

        if (string.IsNullOrWhiteSpace(record.Action))
        {
            throw new ArgumentException("An audit record needs an action code.", nameof(record));
        }

        // Ticks are what the store keeps: an instant with sub-tick precision would hash differently once read back.
        var entry = new AuditEntry(
            previousSequence + 1,
            new DateTimeOffset(at.UtcTicks, TimeSpan.Zero),
            Cut(record.Actor, ActorMaxLength)!,
            Cut(record.OrganizationId, OrganizationMaxLength),
            Cut(record.Action, ActionMaxLength)!,
            Cut(record.Subject, SubjectMaxLength),
            record.Result,
            record.OperationId,
            Cut(record.Detail, DetailMaxLength),
            previousHash,
            string.Empty);
        return entry with { Hash = HashOf(entry) };
    }

    /// <summary>The hash <paramref name="entry"/> must carry, computed from its content (its own <see cref="AuditEntry.Hash"/> aside).</summary>
    public static string HashOf(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var buffer = new MemoryStream();
        Text(buffer, EncodingTag);
        Number(buffer, entry.Sequence);
        Number(buffer, entry.At.UtcTicks);
        Text(buffer, entry.Actor);
        Text(buffer, entry.OrganizationId);
        Text(buffer, entry.Action);
        Text(buffer, entry.Subject);
        Text(buffer, entry.Result.ToString());
        Text(buffer, entry.OperationId?.ToString("D", CultureInfo.InvariantCulture));
        Text(buffer, entry.Detail);
        Text(buffer, entry.PreviousHash);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    private static string? Cut(string? text, int length) =>
        text is null || text.Length <= length ? text : text[..length];

    private static void Number(Stream buffer, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        buffer.Write(bytes);
    }

    /// <summary>Null is one byte 0; a text is 1, its UTF-8 length (4 bytes, big-endian), its bytes: no two field lists encode alike.</summary>
    private static void Text(Stream buffer, string? text)
    {
        if (text is null)
        {
            buffer.WriteByte(0);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        buffer.WriteByte(1);
        buffer.Write(length);
        buffer.Write(bytes);
    }
}
