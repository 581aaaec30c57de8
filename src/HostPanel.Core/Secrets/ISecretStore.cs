namespace HostPanel.Core.Secrets;

/// <summary>
/// The installed apps' secrets — generated values, password answers, captured outputs — kept
/// encrypted at rest, never logged. A secret is written once and then only read: nothing here
/// regenerates a value that exists.
/// </summary>
public interface ISecretStore
{
    /// <summary>All secrets of one instance, decrypted, by name (for example "secrets.db_password").</summary>
    Task<IReadOnlyDictionary<string, string>> GetAllAsync(string instance, CancellationToken ct = default);

    /// <summary>Stores the values whose names are not stored yet; existing ones are left as they are.</summary>
    Task AddMissingAsync(string instance, IReadOnlyDictionary<string, string> values, CancellationToken ct = default);

    /// <summary>Stores or replaces one value (captured outputs).</summary>
    Task SetAsync(string instance, string name, string value, CancellationToken ct = default);

    /// <summary>Deletes every secret of the instance (purge only).</summary>
    Task DeleteAllAsync(string instance, CancellationToken ct = default);
}
