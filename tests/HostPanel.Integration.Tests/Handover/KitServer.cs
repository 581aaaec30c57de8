using HostPanel.Infrastructure.Accounts;
using HostPanel.Core.Backups;
using HostPanel.Core.Configuration;
using HostPanel.Core.Handover;
using HostPanel.Core.Organizations;
using HostPanel.Core.Secrets;
using HostPanel.Infrastructure.Apps;
using HostPanel.Infrastructure.Data;
using HostPanel.Infrastructure.State;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Integration.Tests.Handover;

/// <summary>
/// HostPanel's state as the CLI builds it, in a temporary data directory, without the test world:
/// making a kit reads the database, the secret store and the key ring, never the engine or restic.
/// </summary>
internal sealed class KitServer : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private readonly bool _ownsDirectory;

    private KitServer(ServiceProvider services, string dataDirectory, List<AuditRecord> audit, bool ownsDirectory)
    {
        _services = services;
        DataDirectory = dataDirectory;
        Audit = audit;
        _ownsDirectory = ownsDirectory;
    }

    public string DataDirectory { get; }

    public List<AuditRecord> Audit { get; }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public RecoveryKitService Kits => Get<RecoveryKitService>();

    /// <summary>On a new temporary data directory, deleted at the end; or on <paramref name="dataDirectory"/>, left in place.</summary>
    public static async Task<KitServer> StartAsync(CancellationToken ct, string? dataDirectory = null)
    {
        var directory = dataDirectory ?? Directory.CreateTempSubdirectory("hp-kit-").FullName;
        var options = new HostPanelOptions { DataDirectory = directory, PanelUrl = "https://panel.velo-lyon.fr" };
        var audit = new List<AuditRecord>();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IAuditLog>(new ListAuditLog(audit));
        services.AddHostPanelState(options);
        services.AddHostPanelLifecycle(options);
        services.AddHostPanelAccounts(options);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<HostPanelDatabase>().MigrateAsync(ct);
        return new KitServer(provider, directory, audit, ownsDirectory: dataDirectory is null);
    }

    /// <summary>An organization whose backups go over SFTP, with its key and known_hosts files.</summary>
    public async Task<BackupTarget> AddSftpOrganizationAsync(string id, CancellationToken ct)
    {
        // As on a real server, where the default organization exists from the first command on.
        await Get<IOrganizationStore>().EnsureDefaultAsync(ct);
        await Get<IOrganizationStore>().AddAsync(new Organization(id, $"Org {id}", DateTimeOffset.UtcNow), ct);
        var key = Path.Combine(DataDirectory, $"{id}.key");
        var knownHosts = Path.Combine(DataDirectory, $"{id}.known_hosts");
        await File.WriteAllTextAsync(key, $"-----BEGIN OPENSSH PRIVATE KEY-----\n{id}-key-material\n-----END OPENSSH PRIVATE KEY-----\n", ct);
        await File.WriteAllTextAsync(knownHosts, "[127.0.0.1]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample\n", ct);
        var target = new BackupTarget(id, $"sftp:backup@127.0.0.1:/srv/{id}", key, knownHosts, DateTimeOffset.UtcNow);
        await Get<IBackupTargetStore>().SaveAsync(target, ct);
        return target;
    }

    public async Task<string> PasswordAsync(string organizationId, CancellationToken ct) =>
        (await Get<ISecretStore>().GetAllAsync(BackupRepositories.SecretOwner(organizationId), ct))[BackupRepositories.PasswordName];

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_ownsDirectory)
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private sealed class ListAuditLog(List<AuditRecord> records) : IAuditLog
    {
        public Task RecordAsync(AuditRecord record, CancellationToken ct = default)
        {
            records.Add(record);
            return Task.CompletedTask;
        }
    }
}
