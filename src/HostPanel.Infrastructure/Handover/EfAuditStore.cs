using System.Text.Json;
using HostPanel.Core.Handover;
using HostPanel.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace HostPanel.Infrastructure.Handover;

/// <summary>
/// The audit log in the panel's database, chained entry to entry, with its head anchor beside it
/// (DATA_DIR/audit.head). The CLI and the panel write the same file: each append reads the newest
/// entry and inserts the next inside one transaction that takes SQLite's write lock first
/// (<c>BEGIN IMMEDIATE</c>, what Microsoft.Data.Sqlite begins by default), and the unique index on
/// the sequence refuses a second entry with the same number should that ever be bypassed.
/// </summary>
internal sealed class EfAuditStore(
    IDbContextFactory<HostPanelDbContext> contexts,
    string dataDirectory,
    TimeProvider time,
    ILogger<EfAuditStore> logger) : IAuditStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly AuditAnchorFile _anchor = new(System.IO.Path.Combine(dataDirectory, "audit.head"));

    /// <summary>Where actions that could not be written in the log are kept, one JSON line each.</summary>
    public string UnrecordedPath { get; } = System.IO.Path.Combine(dataDirectory, "audit.unrecorded");

    /// <summary>
    /// Records an action that was done. It never throws for a failed write: the action happened
    /// and its own result must reach the person. The failure is logged as an error and the action
    /// kept in DATA_DIR/audit.unrecorded, which <c>hostpanel audit verify</c> reports. The write is
    /// not cancelled with the request: a done action is recorded even if the caller went away.
    /// </summary>
    public async Task RecordAsync(AuditRecord record, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        AuditEntry entry;
        try
        {
            entry = await InsertAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogError(e, "The audit log could not record {Action} by {Actor} on {Subject}; kept in {File}", record.Action, record.Actor, record.Subject, UnrecordedPath);
            await KeepUnrecordedAsync(record, e).ConfigureAwait(false);
            return;
        }

        try
        {
            await _anchor.AdvanceAsync(entry, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The entry is in the log; the check will say the anchor is behind.
            logger.LogError(e, "The audit log's head anchor {File} could not be moved to entry {Sequence}", _anchor.Path, entry.Sequence);
        }
    }

    public async Task<AuditEntry> AppendAsync(AuditRecord record, CancellationToken ct = default)
    {
        var entry = await InsertAsync(record, ct).ConfigureAwait(false);

        // After the commit: a crash here leaves the anchor one entry behind, which is not tampering.
        await _anchor.AdvanceAsync(entry, CancellationToken.None).ConfigureAwait(false);
        return entry;
    }

    private async Task<AuditEntry> InsertAsync(AuditRecord record, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
        var last = await db.AuditEntries.AsNoTracking()
            .OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash })
            .FirstOrDefaultAsync(ct).ConfigureAwait(false);
        var entry = AuditChain.Next(last?.Sequence ?? 0, last?.Hash ?? AuditChain.Genesis, record, time.GetUtcNow());
        db.AuditEntries.Add(AuditEntryRow.From(entry));
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return entry;
    }

    private async Task KeepUnrecordedAsync(AuditRecord record, Exception cause)
    {
        try
        {
            var line = JsonSerializer.Serialize(new UnrecordedAction(time.GetUtcNow(), record, cause.Message), Json);
            await File.AppendAllTextAsync(UnrecordedPath, line + "\n", CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogError(e, "The unrecorded audit action could not be kept in {File} either", UnrecordedPath);
        }
    }

    public async Task<IReadOnlyList<AuditEntry>> ChainAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var rows = await db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync(ct).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToEntry())];
    }

    public Task<AuditAnchor?> AnchorAsync(CancellationToken ct = default) => _anchor.ReadAsync(ct);

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(AuditQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var rows = db.AuditEntries.AsNoTracking();
        if (query.OrganizationIds is { } organizations)
        {
            var ids = organizations.ToList();
            rows = rows.Where(e => e.OrganizationId != null && ids.Contains(e.OrganizationId));
        }

        if (query.Since is { } since)
        {
            rows = rows.Where(e => e.At >= since);
        }

        rows = rows.OrderByDescending(e => e.Sequence);
        if (query.Limit is { } limit)
        {
            rows = rows.Take(limit);
        }

        return [.. (await rows.ToListAsync(ct).ConfigureAwait(false)).Select(r => r.ToEntry())];
    }

    public async Task<IReadOnlyList<UnrecordedAction>> UnrecordedAsync(CancellationToken ct = default)
    {
        if (!File.Exists(UnrecordedPath))
        {
            return [];
        }

        var actions = new List<UnrecordedAction>();
        foreach (var line in await File.ReadAllLinesAsync(UnrecordedPath, ct).ConfigureAwait(false))
        {
            if (line.Length > 0 && JsonSerializer.Deserialize<UnrecordedAction>(line, Json) is { } action)
            {
                actions.Add(action);
            }
        }

        return actions;
    }
}
