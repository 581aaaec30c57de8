using HostPanel.Core.Accounts;
using System.Globalization;
using System.Text.RegularExpressions;
using HostPanel.Core.Apps;
using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Handover;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Organizations;

/// <summary>
/// What one organization may use on the server, set by a hoster administrator: apps, memory
/// and disk (null: no limit). Memory and disk are counted from what each app's manifest asks
/// for (recommended memory, else its minimum; its minimum disk), so an install is refused before
/// it starts rather than after the server is full.
/// </summary>
public sealed record OrganizationQuota(string OrganizationId, int? MaxApps, long? MaxMemoryBytes, long? MaxStorageBytes)
{
    public static OrganizationQuota None(string organizationId) => new(organizationId, null, null, null);
}

/// <summary>What an organization's apps take, as counted against its quota.</summary>
public sealed record QuotaUsage(int Apps, long MemoryBytes, long StorageBytes);

/// <summary>Where quotas are kept.</summary>
public interface IQuotaStore
{
    Task<OrganizationQuota?> FindAsync(string organizationId, CancellationToken ct = default);

    Task SaveAsync(OrganizationQuota quota, CancellationToken ct = default);
}

/// <summary>Organizations: created by hoster administrators, each with its quota.</summary>
public sealed partial class OrganizationService(IOrganizationStore organizations, IQuotaStore quotas, IInstanceStore instances, IPackageArchive packages, TimeProvider time, AccessControl access, IAuditLog? audit = null)
{
    public const int NameMaxLength = 100;

    /// <summary>Creates organization <paramref name="id"/> (a short lower-case name) called <paramref name="name"/>.</summary>
    public async Task<Organization> AddAsync(Caller caller, string? id, string? name, CancellationToken ct = default)
    {
        await access.RequireHosterAsync(caller, AuditActions.OrganizationAdd, ct).ConfigureAwait(false);
        if (string.IsNullOrEmpty(id) || !IdRegex().IsMatch(id))
        {
            throw new AppRequestException("id", CoreText.Format("OrganizationIdInvalid", id ?? string.Empty));
        }

        var shown = (name ?? string.Empty).Trim();
        if (shown.Length is 0 or > NameMaxLength || shown.Any(char.IsControl))
        {
            throw new AppRequestException("name", CoreText.Format("OrganizationNameInvalid", NameMaxLength));
        }

        if (await organizations.FindAsync(id, ct).ConfigureAwait(false) is not null)
        {
            throw new AppRequestException("id", CoreText.Format("OrganizationExists", id));
        }

        var organization = new Organization(id, shown, time.GetUtcNow());
        await organizations.AddAsync(organization, ct).ConfigureAwait(false);
        await audit.RecordAsync(caller, AuditActions.OrganizationAdd, null, organization.Id, detail: organization.Name, ct: ct).ConfigureAwait(false);
        return organization;
    }

    /// <summary>The organizations the caller belongs to (every one for a hosting administrator).</summary>
    public Task<IReadOnlyList<Organization>> ListAsync(Caller caller, CancellationToken ct = default) => access.OrganizationsAsync(caller, ct);

    public async Task<OrganizationQuota> QuotaAsync(Caller caller, string? organizationId, CancellationToken ct = default)
    {
        var organization = await access.OrganizationAsync(caller, organizationId, OrganizationRole.Member, ct).ConfigureAwait(false);
        return await quotas.FindAsync(organization.Id, ct).ConfigureAwait(false) ?? OrganizationQuota.None(organization.Id);
    }

    /// <summary>What the organization's apps take now, for a person of that organization.</summary>
    public async Task<QuotaUsage> UsageAsync(Caller caller, string? organizationId, CancellationToken ct = default)
    {
        var organization = await access.OrganizationAsync(caller, organizationId, OrganizationRole.Member, ct).ConfigureAwait(false);
        return await UsageAsync(organization.Id, null, ct).ConfigureAwait(false);
    }

    /// <summary>Sets the organization's quota; a limit left null means none.</summary>
    public async Task<OrganizationQuota> SetQuotaAsync(Caller caller, string organizationId, int? maxApps, string? maxMemory, string? maxStorage, CancellationToken ct = default)
    {
        await access.RequireHosterAsync(caller, AuditActions.OrganizationQuota, ct).ConfigureAwait(false);
        await RequireAsync(organizationId, ct).ConfigureAwait(false);
        if (maxApps is < 0)
        {
            throw new AppRequestException("apps", CoreText.Format("QuotaAppsInvalid", maxApps));
        }

        var quota = new OrganizationQuota(organizationId, maxApps, Size("memory", maxMemory), Size("storage", maxStorage));
        await quotas.SaveAsync(quota, ct).ConfigureAwait(false);
        await audit.RecordAsync(caller, AuditActions.OrganizationQuota, organizationId, organizationId, detail: Describe(quota), ct: ct).ConfigureAwait(false);
        return quota;
    }

    /// <summary>The limits in a few words for the audit log: "apps 3, memory 1 GiB, storage none".</summary>
    private static string Describe(OrganizationQuota quota) => string.Join(", ",
        $"apps {quota.MaxApps?.ToString(CultureInfo.InvariantCulture) ?? "-"}",
        $"memory {(quota.MaxMemoryBytes is { } m ? Shown(m) : "-")}",
        $"storage {(quota.MaxStorageBytes is { } d ? Shown(d) : "-")}");

    /// <summary>What the organization's apps take now (apps being removed are not counted).</summary>
    internal async Task<QuotaUsage> UsageAsync(string organizationId, string? except, CancellationToken ct = default)
    {
        int apps = 0;
        long memory = 0, storage = 0;
        foreach (var instance in await instances.ListAsync(organizationId, false, ct).ConfigureAwait(false))
        {
            if (instance.State == InstanceState.Removed || instance.Name == except)
            {
                continue;
            }

            var manifest = await packages.ManifestAsync(instance.Name, instance.Version, ct).ConfigureAwait(false);
            apps++;
            memory += Memory(manifest);
            storage += manifest.Resources.DiskMin.Bytes;
        }

        return new QuotaUsage(apps, memory, storage);
    }

    /// <summary>
    /// Refuses, in plain words, an install (or an update, <paramref name="replacing"/> the app it
    /// updates) that would take the organization over its quota.
    /// </summary>
    public async Task EnsureWithinQuotaAsync(string organizationId, AppManifest manifest, string? replacing, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var quota = await quotas.FindAsync(organizationId, ct).ConfigureAwait(false);
        if (quota is null || (quota.MaxApps is null && quota.MaxMemoryBytes is null && quota.MaxStorageBytes is null))
        {
            return;
        }

        var used = await UsageAsync(organizationId, replacing, ct).ConfigureAwait(false);
        if (quota.MaxApps is { } apps && used.Apps + 1 > apps)
        {
            throw new AppRequestException("quota", CoreText.Format("QuotaAppsExceeded", organizationId, apps));
        }

        if (quota.MaxMemoryBytes is { } memory && used.MemoryBytes + Memory(manifest) > memory)
        {
            throw new AppRequestException("quota", CoreText.Format("QuotaMemoryExceeded", organizationId, Shown(memory), Shown(used.MemoryBytes), manifest.Name, Shown(Memory(manifest))));
        }

        if (quota.MaxStorageBytes is { } storage && used.StorageBytes + manifest.Resources.DiskMin.Bytes > storage)
        {
            throw new AppRequestException("quota", CoreText.Format("QuotaStorageExceeded", organizationId, Shown(storage), Shown(used.StorageBytes), manifest.Name, Shown(manifest.Resources.DiskMin.Bytes)));
        }
    }

    /// <summary>A size for people: "1.5 GiB" / "1,5 Gio", "256 MiB".</summary>
    public static string Shown(long bytes)
    {
        var culture = CultureInfo.CurrentCulture;
        return bytes >= 1L << 30
            ? CoreText.Format("SizeGiB", Math.Round(bytes / (double)(1L << 30), 1).ToString("0.#", culture))
            : CoreText.Format("SizeMiB", Math.Round(bytes / (double)(1L << 20), 1).ToString("0.#", culture));
    }

    private static long Memory(AppManifest manifest) => (manifest.Resources.RamRecommended ?? manifest.Resources.RamMin).Bytes;

    private static long? Size(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return ByteSize.TryParse(text.Trim(), out var size)
            ? size.Bytes
            : throw new AppRequestException(field, CoreText.Format("QuotaSizeInvalid", field, text));
    }

    private async Task RequireAsync(string organizationId, CancellationToken ct)
    {
        if (await organizations.FindAsync(organizationId, ct).ConfigureAwait(false) is null)
        {
            throw new AppRequestException("org", CoreText.Format("UnknownOrganization", organizationId, string.Join(", ", (await organizations.ListAsync(ct).ConfigureAwait(false)).Select(o => o.Id))));
        }
    }

    [GeneratedRegex(Organization.IdPattern, RegexOptions.CultureInvariant)]
    private static partial Regex IdRegex();
}
