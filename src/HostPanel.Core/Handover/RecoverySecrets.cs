using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HostPanel.Core.Apps;
using HostPanel.Core.Backups;
using HostPanel.Core.Configuration;
using HostPanel.Core.Organizations;
using HostPanel.Core.Resources;
using HostPanel.Core.Secrets;

namespace HostPanel.Core.Handover;

/// <summary>
/// The secrets a recovery kit covers, as they are now: every organization's backup repository
/// (place, password, SSH key and known_hosts) and the key ring files, with the newest change time
/// known among them.
/// </summary>
public sealed record CoveredSecrets(
    IReadOnlyList<RecoveryRepository> Repositories,
    IReadOnlyDictionary<string, string> KeyRing,
    DateTimeOffset? NewestChange)
{
    public const string RepositoryItem = "repository:";
    public const string KeyRingItem = "keyring:";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// One hash per covered thing ("repository:velo", "keyring:key-….xml"), so that a kit's status
    /// can say what changed. Hashes of random passwords and key material only: nothing to read back.
    /// </summary>
    public IReadOnlyDictionary<string, string> ItemFingerprints()
    {
        var items = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var repository in Repositories)
        {
            items[RepositoryItem + repository.OrganizationId] = Hash("repository\n" + JsonSerializer.Serialize(repository, Json));
        }

        foreach (var (name, content) in KeyRing)
        {
            items[KeyRingItem + name] = Hash("keyring\n" + name + "\n" + content);
        }

        return items;
    }

    /// <summary>The fingerprint of the whole: a hash over the sorted item hashes.</summary>
    public static string Fingerprint(IReadOnlyDictionary<string, string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return Hash(string.Concat(items.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => $"{i.Key}={i.Value}\n")));
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>Gathers the <see cref="CoveredSecrets"/>, the same way when a kit is made and when its status is asked.</summary>
public sealed class RecoverySecrets(IOrganizationStore organizations, IBackupTargetStore targets, ISecretStore secrets, BackupRepositories repositories, HostPanelOptions options)
{
    /// <summary>
    /// For a kit (<paramref name="forKit"/>): every organization's password is made when it does
    /// not exist yet (the kit must hold the one the repository will use), and an SSH file that
    /// cannot be read is refused, naming it. For a status: nothing is created, and a missing
    /// password or file counts as a difference.
    /// </summary>
    public async Task<CoveredSecrets> CollectAsync(bool forKit, CancellationToken ct = default)
    {
        var all = await organizations.ListAsync(ct).ConfigureAwait(false);
        if (all.Count == 0 && forKit)
        {
            all = [await organizations.EnsureDefaultAsync(ct).ConfigureAwait(false)];
        }

        DateTimeOffset? newest = null;
        void Seen(DateTimeOffset? at)
        {
            if (at is { } value && (newest is null || value > newest))
            {
                newest = value;
            }
        }

        var found = new List<RecoveryRepository>();
        foreach (var organization in all.OrderBy(o => o.Id, StringComparer.Ordinal))
        {
            Seen(organization.CreatedAt);
            var target = await targets.FindAsync(organization.Id, ct).ConfigureAwait(false);
            Seen(target?.UpdatedAt);
            string password;
            if (forKit)
            {
                password = (await repositories.DescribeAsync(organization.Id, ct).ConfigureAwait(false)).Password;
            }
            else
            {
                var stored = await secrets.GetAllAsync(BackupRepositories.SecretOwner(organization.Id), ct).ConfigureAwait(false);
                password = stored.TryGetValue(BackupRepositories.PasswordName, out var value) ? value : string.Empty;
            }

            found.Add(new RecoveryRepository
            {
                OrganizationId = organization.Id,
                Location = target?.Location ?? repositories.DefaultLocation(organization.Id),
                Password = password,
                SshKeyFile = target?.SshKeyFile,
                SshKey = ReadFile(target?.SshKeyFile, organization.Id, forKit, Seen),
                SshKnownHostsFile = target?.SshKnownHostsFile,
                SshKnownHosts = ReadFile(target?.SshKnownHostsFile, organization.Id, forKit, Seen),
            });
        }

        // After the passwords: storing the first one is what makes Data Protection write its first key.
        var keyRing = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (Directory.Exists(options.KeyRingDirectory))
        {
            foreach (var file in Directory.GetFiles(options.KeyRingDirectory, "*.xml"))
            {
                keyRing[Path.GetFileName(file)] = await File.ReadAllTextAsync(file, ct).ConfigureAwait(false);
                Seen(File.GetLastWriteTimeUtc(file));
            }
        }

        return new CoveredSecrets(found, keyRing, newest);
    }

    private static string? ReadFile(string? path, string organizationId, bool forKit, Action<DateTimeOffset?> seen)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        try
        {
            var content = File.ReadAllText(path);
            seen(File.GetLastWriteTimeUtc(path));
            return content;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (forKit)
            {
                throw new AppRequestException("ssh-key", RecoveryText.Format("SshFileUnreadable", path, organizationId), e);
            }

            return null;
        }
    }
}
