namespace HostPanel.Infrastructure.Secrets;

/// <summary>
/// A stored secret that cannot be decrypted: the key ring in the data directory is not the one it
/// was written with (lost, replaced, or a database restored without its keys), or the record was
/// altered. The message never holds the value.
/// </summary>
public sealed class SecretUnreadableException(string instance, string name, Exception inner)
    : InvalidOperationException(
        $"The secret '{name}' of the app '{instance}' cannot be decrypted. The key ring (the 'keys' folder of the data "
        + "directory) is probably not the one it was written with: restore the keys saved with the database.",
        inner)
{
    public string Instance { get; } = instance;

    public string SecretName { get; } = name;
}
