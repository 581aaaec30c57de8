using System.Text.RegularExpressions;
using HostPanel.Core.Organizations;
using HostPanel.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HostPanel.Infrastructure.State;

/// <summary>Organizations in the panel's database.</summary>
internal sealed class EfOrganizationStore(IDbContextFactory<HostPanelDbContext> contexts, TimeProvider time) : IOrganizationStore
{
    public async Task<Organization?> FindAsync(string id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        return row?.ToOrganization();
    }

    public async Task<IReadOnlyList<Organization>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Organizations.AsNoTracking().OrderBy(o => o.CreatedAt).ThenBy(o => o.Id).ToListAsync(ct);
        return [.. rows.Select(r => r.ToOrganization())];
    }

    /// <remarks>
    /// The default organization's name is its id, "default": the interface shows it in the
    /// reader's language until someone renames it.
    /// </remarks>
    public async Task<Organization> EnsureDefaultAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);

        // The write lock is taken at once: the panel and the CLI may both get here on first run.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var existing = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == Organization.DefaultId, ct);
        if (existing is not null)
        {
            return existing.ToOrganization();
        }

        var created = new Organization(Organization.DefaultId, Organization.DefaultId, time.GetUtcNow());
        db.Organizations.Add(OrganizationRow.From(created));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return created;
    }

    public async Task AddAsync(Organization organization, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(organization);
        if (!Regex.IsMatch(organization.Id, Organization.IdPattern))
        {
            throw new ArgumentException(
                $"'{organization.Id}' is not a valid organization id: lowercase letters, digits and hyphens, starting with a letter.",
                nameof(organization));
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Organizations.Add(OrganizationRow.From(organization));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (SqliteConstraint.IsUniqueViolation(e))
        {
            throw new InvalidOperationException($"An organization with the id '{organization.Id}' already exists.", e);
        }
    }
}
