namespace HostPanel.Core.Certificates;

/// <summary>When to try, when to try again, and when to warn. Pure.</summary>
public static class CertificatePolicy
{
    /// <summary>Days before expiry at which people are warned, largest first.</summary>
    public static readonly IReadOnlyList<int> WarningDays = [14, 7, 3];

    /// <summary>
    /// How long to wait after <paramref name="failures"/> failed attempts in a row: one hour, then
    /// six, then a day — so a domain whose DNS is wrong costs at most one attempt a day, and
    /// never uses up the certificate authority's limits.
    /// </summary>
    public static TimeSpan Backoff(int failures) => failures switch
    {
        <= 0 => TimeSpan.Zero,
        1 => TimeSpan.FromHours(1),
        2 => TimeSpan.FromHours(6),
        _ => TimeSpan.FromDays(1),
    };

    /// <summary>Whether an attempt is due: no certificate yet, or its renewal time has come; and no backoff running.</summary>
    public static bool Due(CertificateRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.NextAttempt is { } next && now < next)
        {
            return false;
        }

        return record.Serial is null || record.NextRenewal is not { } renewal || now >= renewal;
    }

    /// <summary>The record after a failed attempt: the error kept, the next attempt pushed back; the certificate in use untouched.</summary>
    public static CertificateRecord Failed(CertificateRecord record, DateTimeOffset now, string error)
    {
        ArgumentNullException.ThrowIfNull(record);
        var failures = record.Failures + 1;
        return record with { LastAttempt = now, LastError = error, Failures = failures, NextAttempt = now + Backoff(failures) };
    }

    /// <summary>
    /// The warning to give now, if any: the smallest threshold of <see cref="WarningDays"/> the
    /// remaining time has crossed and that was not given yet; 0 for none.
    /// </summary>
    public static int WarningDue(CertificateRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.NotAfter is not { } notAfter)
        {
            return 0;
        }

        var left = notAfter - now;
        var crossed = WarningDays.Where(d => left <= TimeSpan.FromDays(d)).DefaultIfEmpty(0).Min();
        return crossed > 0 && (record.WarnedDays == 0 || crossed < record.WarnedDays) ? crossed : 0;
    }
}
