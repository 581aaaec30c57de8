using HostPanel.Core.Apps;
using HostPanel.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HostPanel.Infrastructure.State;

/// <summary>The packages of installed versions, in the panel's database.</summary>
internal sealed class EfPackageArchive(IDbContextFactory<HostPanelDbContext> contexts) : IPackageArchive
{
    /// <summary>Stores the package of <paramref name="version"/>, replacing one saved before for the same version.</summary>
    public async Task SaveAsync(string instance, string version, AppPackage package, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instance);
        ArgumentException.ThrowIfNullOrEmpty(version);
        ArgumentNullException.ThrowIfNull(package);

        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var row = await db.AppPackages.SingleOrDefaultAsync(p => p.Instance == instance && p.Version == version, ct);
        if (row is null)
        {
            row = new AppPackageRow { Instance = instance, Version = version };
            db.AppPackages.Add(row);
        }

        row.ManifestYaml = package.ManifestYaml;
        row.FilesJson = AppPackageRow.FilesToJson(package.Files);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    public async Task<AppPackage?> GetAsync(string instance, string version, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.AppPackages.AsNoTracking()
            .SingleOrDefaultAsync(p => p.Instance == instance && p.Version == version, ct);
        return row?.ToPackage();
    }

    public async Task DeleteAllAsync(string instance, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.AppPackages.Where(p => p.Instance == instance).ExecuteDeleteAsync(ct);
    }
}
