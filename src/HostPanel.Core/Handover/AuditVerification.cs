namespace HostPanel.Core.Handover;

/// <summary>What is wrong with the audit log, at the first place it goes wrong.</summary>
public enum AuditProblem
{
    /// <summary>The entry's content no longer matches its hash (or the head anchor's).</summary>
    Edited,

    /// <summary>An entry is missing: a gap in the sequence, or an entry not chained to the one before it.</summary>
    Removed,

    /// <summary>The entries are not in the order they were written.</summary>
    Reordered,

    /// <summary>The head anchor names entries the table no longer has: the newest ones were removed.</summary>
    NewestRemoved,

    /// <summary>The log has entries but its head anchor file is gone.</summary>
    AnchorMissing,

    /// <summary>The head anchor is more than one entry behind the table (a crash leaves it one behind at most).</summary>
    AnchorBehind,
}

/// <summary>
/// The outcome of checking the log: intact with <see cref="Count"/> entries, or the first
/// <see cref="Problem"/> found, at entry <see cref="Sequence"/> (the entry that is wrong, or
/// the first one missing). <see cref="Found"/> is the sequence found where
/// <see cref="Sequence"/> was expected, for gaps and reorderings; <see cref="Position"/> the
/// row's place in the table (1 for the first row), when a row is at fault.
/// </summary>
public sealed record AuditVerdict(int Count, AuditProblem? Problem = null, long? Sequence = null, long? Found = null, int? Position = null)
{
    public bool IsIntact => Problem is null;
}

/// <summary>Checks an audit log: a pure function of its entries, in the order the table holds them, and its head anchor.</summary>
public static class AuditVerifier
{
    /// <summary>
    /// Walks <paramref name="entries"/> (in storage order) and stops at the first entry whose
    /// hash does not match its content, whose sequence is not the next one, or that is not
    /// chained to the entry before; then holds the last entries against <paramref name="anchor"/>.
    /// </summary>
    public static AuditVerdict Verify(IReadOnlyList<AuditEntry> entries, AuditAnchor? anchor)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var previousHash = AuditChain.Genesis;
        long expected = 1;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (!string.Equals(AuditChain.HashOf(entry), entry.Hash, StringComparison.Ordinal))
            {
                return new AuditVerdict(entries.Count, AuditProblem.Edited, entry.Sequence, Position: i + 1);
            }

            if (entry.Sequence != expected)
            {
                // The expected entry further down (or this one an older one) means the rows were
                // moved; nowhere at all means it was removed.
                var moved = entry.Sequence < expected || entries.Skip(i + 1).Any(e => e.Sequence < entry.Sequence);
                return moved
                    ? new AuditVerdict(entries.Count, AuditProblem.Reordered, entry.Sequence, expected, i + 1)
                    : new AuditVerdict(entries.Count, AuditProblem.Removed, expected, entry.Sequence, i + 1);
            }

            if (!string.Equals(entry.PreviousHash, previousHash, StringComparison.Ordinal))
            {
                return new AuditVerdict(entries.Count, AuditProblem.Removed, entry.Sequence, Position: i + 1);
            }

            previousHash = entry.Hash;
            expected++;
        }

        var last = entries.Count == 0 ? 0 : entries[^1].Sequence;
        if (anchor is null)
        {
            // The first entry may be written and the process stopped before its anchor was.
            return last > 1 ? new AuditVerdict(entries.Count, AuditProblem.AnchorMissing) : new AuditVerdict(entries.Count);
        }

        if (anchor.Sequence > last)
        {
            return new AuditVerdict(entries.Count, AuditProblem.NewestRemoved, last + 1, anchor.Sequence);
        }

        if (anchor.Sequence > 0)
        {
            var index = (int)(anchor.Sequence - 1);
            if (!string.Equals(entries[index].Hash, anchor.Hash, StringComparison.Ordinal))
            {
                // The chain holds together but is not the one written: rewritten from this entry on.
                return new AuditVerdict(entries.Count, AuditProblem.Edited, anchor.Sequence, Position: index + 1);
            }
        }

        return last - anchor.Sequence > 1
            ? new AuditVerdict(entries.Count, AuditProblem.AnchorBehind, anchor.Sequence + 1, last)
            : new AuditVerdict(entries.Count);
    }
}
