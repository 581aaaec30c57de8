using System.Security.Cryptography;
using System.Text;
using HostPanel.Core.Secrets;
using HostPanel.Infrastructure.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace HostPanel.Infrastructure.Secrets;

/// <summary>
/// App secrets encrypted with ASP.NET Core Data Protection (the key ring in DATA_DIR/keys) and
/// stored in the panel's database. Each value is bound to its app and its name: a ciphertext
/// copied to another app or another name does not decrypt. Values never reach a log or a message.
/// </summary>
internal sealed class DataProtectionSecretStore(IDbContextFactory<HostPanelDbContext> contexts, IDataProtectionProvider protection)
    : ISecretStore
{
    /// <summary>The Data Protection purpose; change the version only with a migration of the stored values.</summary>
    public const string Purpose = "HostPanel.InstanceSecrets.v1";

    public async Task<IReadOnlyDictionary<string, string>> GetAllAsync(string instance, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instance);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.InstanceSecrets.AsNoTracking().Where(s => s.Instance == instance).ToListAsync(ct);
        return rows.ToDictionary(r => r.Name, r => Unprotect(r.Instance, r.Name, r.Protected), StringComparer.Ordinal);
    }

    public async Task AddMissingAsync(string instance, IReadOnlyDictionary<string, string> values, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instance);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var stored = (await db.InstanceSecrets.Where(s => s.Instance == instance).Select(s => s.Name).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            if (!stored.Contains(name))
            {
                db.InstanceSecrets.Add(new InstanceSecretRow { Instance = instance, Name = name, Protected = Protect(instance, name, value) });
            }
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    public async Task SetAsync(string instance, string name, string value, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instance);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);

        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var row = await db.InstanceSecrets.SingleOrDefaultAsync(s => s.Instance == instance && s.Name == name, ct);
        if (row is null)
        {
            row = new InstanceSecretRow { Instance = instance, Name = name };
            db.InstanceSecrets.Add(row);
        }

        row.Protected = Protect(instance, name, value);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    public async Task DeleteAllAsync(string instance, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instance);
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.InstanceSecrets.Where(s => s.Instance == instance).ExecuteDeleteAsync(ct);
    }

    private IDataProtector ProtectorFor(string instance, string name) => protection.CreateProtector(Purpose, instance, name);

    private byte[] Protect(string instance, string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        return ProtectorFor(instance, name).Protect(Encoding.UTF8.GetBytes(value));
    }

    private string Unprotect(string instance, string name, byte[] protectedValue)
    {
        try
        {
            return Encoding.UTF8.GetString(ProtectorFor(instance, name).Unprotect(protectedValue));
        }
        catch (CryptographicException e)
        {
            throw new SecretUnreadableException(instance, name, e);
        }
    }
}
