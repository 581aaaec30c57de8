using System.Text.RegularExpressions;
using HostPanel.Core.Apps;
using HostPanel.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HostPanel.Infrastructure.State;

/// <summary>
/// Installed apps in the panel's database. Every write that checks before it writes runs in one
/// transaction that takes SQLite's write lock first, so the check still holds when the write
/// lands, even with the CLI and the panel writing at once.
/// </summary>
internal sealed class EfInstanceStore(IDbContextFactory<HostPanelDbContext> contexts) : IInstanceStore
{
    public async Task<AppInstance?> FindAsync(string name, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.AppInstances.AsNoTracking().SingleOrDefaultAsync(i => i.Name == name, ct);
        return row?.ToInstance();
    }

    public async Task<IReadOnlyList<AppInstance>> ListAsync(
        string? organizationId = null, bool includeRemoved = false, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.AppInstances.AsNoTracking();
        if (organizationId is not null)
        {
            query = query.Where(i => i.OrganizationId == organizationId);
        }

        if (!includeRemoved)
        {
            query = query.Where(i => i.State != InstanceState.Removed);
        }

        var rows = await query.OrderBy(i => i.Name).ToListAsync(ct);
        return [.. rows.Select(r => r.ToInstance())];
    }

    /// <exception cref="InstanceNameTakenException">The name is used, by a live or a removed app.</exception>
    /// <exception cref="DomainTakenException">Another live app uses the domain.</exception>
    public async Task AddAsync(AppInstance instance, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (!Regex.IsMatch(instance.Name, AppInstance.NamePattern))
        {
            throw new ArgumentException(
                $"'{instance.Name}' is not a valid app name: lowercase letters, digits and hyphens, starting with a letter.",
                nameof(instance));
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await db.AppInstances.AnyAsync(i => i.Name == instance.Name, ct))
        {
            throw new InstanceNameTakenException(instance.Name);
        }

        await EnsureDomainFreeAsync(db, instance, ct);
        await EnsureOrganizationExistsAsync(db, instance.OrganizationId, ct);
        db.AppInstances.Add(AppInstanceRow.From(instance));
        await SaveAsync(db, instance, ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>Replaces everything but the name and the creation time, which stay as first stored.</summary>
    /// <exception cref="DomainTakenException">Another live app uses the domain.</exception>
    public async Task UpdateAsync(AppInstance instance, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var row = await db.AppInstances.SingleOrDefaultAsync(i => i.Name == instance.Name, ct)
            ?? throw new InvalidOperationException($"There is no installed app named '{instance.Name}' to update.");

        await EnsureDomainFreeAsync(db, instance, ct);
        if (row.OrganizationId != instance.OrganizationId)
        {
            await EnsureOrganizationExistsAsync(db, instance.OrganizationId, ct);
        }

        row.CopyFrom(instance);
        await SaveAsync(db, instance, ct);
        await transaction.CommitAsync(ct);
    }

    public async Task DeleteAsync(string name, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.AppInstances.Where(i => i.Name == name).ExecuteDeleteAsync(ct);
    }

    private static async Task EnsureDomainFreeAsync(HostPanelDbContext db, AppInstance instance, CancellationToken ct)
    {
        if (instance.Domain is null || instance.State == InstanceState.Removed)
        {
            return;
        }

        var holder = await LiveHolderOfAsync(db, instance, ct);
        if (holder is not null)
        {
            throw new DomainTakenException(instance.Domain, holder);
        }
    }

    private static Task<string?> LiveHolderOfAsync(HostPanelDbContext db, AppInstance instance, CancellationToken ct) =>
        db.AppInstances
            .Where(i => i.Domain == instance.Domain && i.State != InstanceState.Removed && i.Name != instance.Name)
            .Select(i => i.Name)
            .FirstOrDefaultAsync(ct);

    private static async Task EnsureOrganizationExistsAsync(HostPanelDbContext db, string organizationId, CancellationToken ct)
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, ct))
        {
            throw new InvalidOperationException($"There is no organization '{organizationId}'.");
        }
    }

    /// <summary>
    /// Saves, turning a constraint failure into the error it means. The checks above normally
    /// come first; this covers a writer that does not go through this store.
    /// </summary>
    private static async Task SaveAsync(HostPanelDbContext db, AppInstance instance, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (SqliteConstraint.IsUniqueViolation(e))
        {
            if (SqliteConstraint.Names(e, "AppInstances", nameof(AppInstanceRow.Domain)) && instance.Domain is not null)
            {
                db.ChangeTracker.Clear();
                throw new DomainTakenException(instance.Domain, await LiveHolderOfAsync(db, instance, ct) ?? "?");
            }

            throw new InstanceNameTakenException(instance.Name);
        }
    }
}
