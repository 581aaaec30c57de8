using System.Security.Cryptography;
using System.Text.RegularExpressions;
using HostPanel.Core.Apps;
using HostPanel.Core.Configuration;
using HostPanel.Core.Resources;
using HostPanel.Core.Secrets;

namespace HostPanel.Core.Backups;

/// <summary>Where an organization's backups go (its restic repository). The password is in the secret store.</summary>
public sealed record BackupTarget(string OrganizationId, string Location, string? SshKeyFile, string? SshKnownHostsFile, DateTimeOffset UpdatedAt);

/// <summary>
/// Where an organization's backups go, as it may be shown: the place and the files SFTP uses,
/// never the password. <see cref="IsDefault"/> when no target was chosen (the data directory's disk).
/// </summary>
public sealed record BackupPlace(string Location, string? SshKeyFile, string? SshKnownHostsFile, bool IsDefault, DateTimeOffset? UpdatedAt);

public interface IBackupTargetStore
{
    Task<BackupTarget?> FindAsync(string organizationId, CancellationToken ct = default);

    Task SaveAsync(BackupTarget target, CancellationToken ct = default);
}

/// <summary>
/// One restic repository per organization, each with its own random password kept encrypted in
/// the secret store. Until an administrator chooses a target, an organization's backups go to a
/// local repository in the data directory (on the same disk: the panel says so).
/// </summary>
public sealed partial class BackupRepositories(IBackupTargetStore targets, ISecretStore secrets, IRestic restic, HostPanelOptions options, TimeProvider time)
{
    public const string PasswordName = "backup.password";
    private const string PasswordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _opened = new(StringComparer.Ordinal);

    /// <summary>The secret store's owner for an organization's secrets (instance names cannot look like this).</summary>
    public static string SecretOwner(string organizationId) => $"org:{organizationId}";

    public string DefaultLocation(string organizationId) => Path.Combine(options.DataDirectory, "backups", organizationId);

    /// <summary>
    /// The organization's repository, created on first use; its password generated once. Each
    /// opening costs restic a key derivation, so a repository found once is not checked again by
    /// this process (a repository that went away makes the next restic command fail plainly).
    /// </summary>
    public async Task<ResticRepository> OpenAsync(string organizationId, CancellationToken ct = default)
    {
        var repository = await DescribeAsync(organizationId, ct).ConfigureAwait(false);
        var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(repository.Location + "\n" + repository.Password)));
        if (_opened.ContainsKey(key) || IsPresentLocally(repository))
        {
            return repository;
        }

        if (!await restic.ExistsAsync(repository, ct).ConfigureAwait(false))
        {
            if (repository.Location.StartsWith('/'))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(repository.Location)!);
            }

            await restic.InitAsync(repository, ct).ConfigureAwait(false);
        }

        _opened.TryAdd(key, true);
        return repository;
    }

    /// <summary>
    /// Runs <paramref name="call"/>; when restic finds the repository locked, the locks a dead
    /// process of this server left are cleared (restic's own <c>unlock</c> only removes stale
    /// ones; callers hold the repository's lock, so no HostPanel process of this server is using
    /// it) and the call is made once more. A lock of a live process is left alone.
    /// </summary>
    public async Task<T> ClearingStaleLocksAsync<T>(ResticRepository repository, Func<Task<T>> call, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ResticException e) when (e.Failure == ResticFailure.Locked)
        {
            var held = await restic.LocksAsync(repository, ct).ConfigureAwait(false);
            if (!held.Any(l => l.Hostname == Environment.MachineName && !ProcessAlive(l.Pid)))
            {
                throw;
            }

            await restic.UnlockStaleAsync(repository, ct).ConfigureAwait(false);
            return await call().ConfigureAwait(false);
        }
    }

    private static bool ProcessAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// A local repository is there when its config file is: known without a restic run (each
    /// one derives the key); a wrong password still shows at the next restic command.
    /// </summary>
    public static bool IsPresentLocally(ResticRepository repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return repository.Location.StartsWith('/') && File.Exists(Path.Combine(repository.Location, "config"));
    }

    /// <summary>Where the organization's backups go, without the password and without touching the repository.</summary>
    public async Task<BackupPlace> PlaceAsync(string organizationId, CancellationToken ct = default) =>
        await targets.FindAsync(organizationId, ct).ConfigureAwait(false) is { } target
            ? new BackupPlace(target.Location, target.SshKeyFile, target.SshKnownHostsFile, false, target.UpdatedAt)
            : new BackupPlace(DefaultLocation(organizationId), null, null, true, null);

    /// <summary>The repository as recorded, without touching it.</summary>
    public async Task<ResticRepository> DescribeAsync(string organizationId, CancellationToken ct = default)
    {
        var target = await targets.FindAsync(organizationId, ct).ConfigureAwait(false);
        return new ResticRepository
        {
            Location = target?.Location ?? DefaultLocation(organizationId),
            Password = await PasswordAsync(organizationId, ct).ConfigureAwait(false),
            SshKeyFile = target?.SshKeyFile,
            SshKnownHostsFile = target?.SshKnownHostsFile,
        };
    }

    /// <summary>
    /// Sets the organization's target after checking it: the repository is opened (or created
    /// when the place is empty) with the organization's password. Refused with a plain reason
    /// when the place holds a repository with another password or cannot be reached.
    /// </summary>
    public async Task<ResticRepository> SetTargetAsync(string organizationId, string location, string? sshKeyFile, string? sshKnownHostsFile, CancellationToken ct = default)
    {
        var normalized = ValidateLocation(location);
        if (normalized.StartsWith("sftp:", StringComparison.Ordinal) && (sshKeyFile is null || !File.Exists(sshKeyFile)))
        {
            throw new AppRequestException("ssh-key", CoreText.Format("BackupSshKeyMissing", sshKeyFile ?? "?"));
        }

        var repository = new ResticRepository
        {
            Location = normalized,
            Password = await PasswordAsync(organizationId, ct).ConfigureAwait(false),
            SshKeyFile = sshKeyFile,
            SshKnownHostsFile = sshKnownHostsFile,
        };
        try
        {
            if (!await restic.ExistsAsync(repository, ct).ConfigureAwait(false))
            {
                if (Path.IsPathRooted(normalized))
                {
                    Directory.CreateDirectory(normalized);
                }

                await restic.InitAsync(repository, ct).ConfigureAwait(false);
            }
        }
        catch (ResticException e)
        {
            throw new AppRequestException("target", Explain(e, normalized), e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The folder cannot be made here (a read-only or virtual file system, a file in the way).
            throw new AppRequestException("target", CoreText.Format("BackupTargetUnusable", normalized), e);
        }

        await targets.SaveAsync(new BackupTarget(organizationId, normalized, sshKeyFile, sshKnownHostsFile, time.GetUtcNow()), ct).ConfigureAwait(false);
        return repository;
    }

    /// <summary>
    /// Gives the organization's repository a new password: a new key is added, the new password
    /// kept, then every other key removed (the old password, and any key someone added by hand,
    /// no longer open the repository). The caller holds the repository's lock. A crash between
    /// the steps leaves a repository the kept password opens: before the new password is kept,
    /// the old one still works (the new key is removed at the next rotation); after, the new one.
    /// </summary>
    public async Task<IReadOnlyList<string>> RotatePasswordAsync(string organizationId, ResticRepository repository, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var password = RandomNumberGenerator.GetString(PasswordAlphabet, 40);
        await restic.AddKeyAsync(repository, password, ct).ConfigureAwait(false);
        await secrets.SetAsync(SecretOwner(organizationId), PasswordName, password, ct).ConfigureAwait(false);
        var renewed = repository with { Password = password };
        var removed = new List<string>();
        foreach (var key in (await restic.KeysAsync(renewed, ct).ConfigureAwait(false)).Where(k => !k.Current))
        {
            await restic.RemoveKeyAsync(renewed, key.Id, ct).ConfigureAwait(false);
            removed.Add(key.Id);
        }

        _opened.Clear();
        return removed;
    }

    /// <summary>A restic failure in words a volunteer can act on.</summary>
    public static string Explain(ResticException e, string location)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Failure switch
        {
            ResticFailure.WrongPassword => CoreText.Format("BackupWrongPassword", location),
            ResticFailure.RepositoryNotFound => CoreText.Format("BackupRepositoryNotFound", location),
            ResticFailure.Unreachable => CoreText.Format("BackupUnreachable", location, Shorten(e.Message)),
            ResticFailure.NoSpace => CoreText.Format("BackupNoSpace", location),
            ResticFailure.Locked => CoreText.Format("BackupLocked", location),
            ResticFailure.Damaged => CoreText.Format("BackupDamaged", location, Shorten(e.Message)),
            _ => CoreText.Format("BackupFailedOther", location, Shorten(e.Message)),
        };
    }

    /// <summary>
    /// Accepts a local absolute directory, <c>sftp://user@host[:port]//path</c> (or restic's
    /// <c>sftp:user@host:/path</c>) and <c>s3:https://host/bucket[/path]</c>; refuses anything
    /// else with the forms it takes.
    /// </summary>
    public static string ValidateLocation(string location)
    {
        var value = (location ?? string.Empty).Trim();
        if (value.Length is 0 or > 1024 || value.Any(char.IsControl))
        {
            throw new AppRequestException("target", CoreText.Format("BackupTargetInvalid", location ?? string.Empty));
        }

        if (value.StartsWith('/'))
        {
            var full = Path.GetFullPath(value).TrimEnd('/');
            if (value.Split('/').Contains("..") || full.Length == 0 || full == "/")
            {
                throw new AppRequestException("target", CoreText.Format("BackupTargetInvalid", location));
            }

            return full;
        }

        if (SftpUrl().IsMatch(value) || SftpShort().IsMatch(value) || S3Url().IsMatch(value))
        {
            return value;
        }

        throw new AppRequestException("target", CoreText.Format("BackupTargetInvalid", location));
    }

    private async Task<string> PasswordAsync(string organizationId, CancellationToken ct)
    {
        var owner = SecretOwner(organizationId);
        var stored = await secrets.GetAllAsync(owner, ct).ConfigureAwait(false);
        if (stored.TryGetValue(PasswordName, out var password))
        {
            return password;
        }

        // Generated once; AddMissing never replaces a password another process stored first.
        await secrets.AddMissingAsync(owner, new Dictionary<string, string> { [PasswordName] = RandomNumberGenerator.GetString(PasswordAlphabet, 40) }, ct).ConfigureAwait(false);
        return (await secrets.GetAllAsync(owner, ct).ConfigureAwait(false))[PasswordName];
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    [GeneratedRegex(@"^sftp://[A-Za-z0-9._-]+@[A-Za-z0-9.-]+(:[0-9]{1,5})?/(/[^\s]*)?$")]
    private static partial Regex SftpUrl();

    [GeneratedRegex(@"^sftp:[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:/[^\s]*$")]
    private static partial Regex SftpShort();

    [GeneratedRegex(@"^s3:https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/[A-Za-z0-9._-]+(/[^\s]*)?$")]
    private static partial Regex S3Url();
}
