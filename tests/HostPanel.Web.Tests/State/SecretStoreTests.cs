using System.Text;
using HostPanel.Core.Secrets;
using HostPanel.Infrastructure.Secrets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.State;

public sealed class SecretStoreTests : StateTestBase
{
    private const string Distinctive = "Zèbre-7f1d2c-correct-horse-battery-staple";

    private ISecretStore Secrets => Get<ISecretStore>();

    [Fact]
    public async Task SecretsComeBackDecryptedByName()
    {
        await Secrets.AddMissingAsync("cloud", new Dictionary<string, string>
        {
            ["secrets.db_password"] = "s3cr3t-db",
            ["secrets.admin_password"] = "un mot de passe très long",
            ["secrets.empty"] = "",
        }, Ct);
        await Secrets.SetAsync("cloud", "outputs.api_token", "tok-123", Ct);

        var all = await Secrets.GetAllAsync("cloud", Ct);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["secrets.db_password"] = "s3cr3t-db",
                ["secrets.admin_password"] = "un mot de passe très long",
                ["secrets.empty"] = "",
                ["outputs.api_token"] = "tok-123",
            },
            all);
        Assert.Empty(await Secrets.GetAllAsync("nobody", Ct));
    }

    [Fact]
    public async Task AddingMissingValuesNeverOverwritesAStoredOne()
    {
        await Secrets.AddMissingAsync("cloud", new Dictionary<string, string> { ["secrets.db_password"] = "first" }, Ct);

        await Secrets.AddMissingAsync("cloud", new Dictionary<string, string>
        {
            ["secrets.db_password"] = "regenerated",
            ["secrets.new_one"] = "added",
        }, Ct);

        var all = await Secrets.GetAllAsync("cloud", Ct);
        Assert.Equal("first", all["secrets.db_password"]);
        Assert.Equal("added", all["secrets.new_one"]);
    }

    [Fact]
    public async Task SettingReplacesOneValue()
    {
        await Secrets.SetAsync("cloud", "outputs.api_token", "old", Ct);
        await Secrets.SetAsync("cloud", "outputs.api_token", "new", Ct);

        Assert.Equal("new", (await Secrets.GetAllAsync("cloud", Ct))["outputs.api_token"]);
    }

    [Fact]
    public async Task EachInstanceHasItsOwnSecretsAndDeletingAllTouchesOnlyOne()
    {
        await Secrets.SetAsync("cloud", "secrets.db_password", "cloud-pw", Ct);
        await Secrets.SetAsync("wiki", "secrets.db_password", "wiki-pw", Ct);

        Assert.Equal("cloud-pw", (await Secrets.GetAllAsync("cloud", Ct))["secrets.db_password"]);
        Assert.Equal("wiki-pw", (await Secrets.GetAllAsync("wiki", Ct))["secrets.db_password"]);

        await Secrets.DeleteAllAsync("cloud", Ct);

        Assert.Empty(await Secrets.GetAllAsync("cloud", Ct));
        Assert.Single(await Secrets.GetAllAsync("wiki", Ct));
    }

    [Fact]
    public async Task AnInstancesCiphertextDoesNotDecryptAsAnotherInstances()
    {
        await Secrets.SetAsync("cloud", "secrets.db_password", Distinctive, Ct);

        // Someone with write access to the database file copies the value to another app.
        await ExecuteAsync("INSERT INTO InstanceSecrets (Instance, Name, Protected) SELECT 'wiki', Name, Protected FROM InstanceSecrets WHERE Instance = 'cloud';");

        var error = await Assert.ThrowsAsync<SecretUnreadableException>(() => Secrets.GetAllAsync("wiki", Ct));
        Assert.Equal("wiki", error.Instance);
        Assert.Equal("secrets.db_password", error.SecretName);
        Assert.DoesNotContain(Distinctive, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACiphertextDoesNotDecryptUnderAnotherName()
    {
        await Secrets.SetAsync("cloud", "secrets.db_password", Distinctive, Ct);
        await Secrets.SetAsync("cloud", "secrets.admin_password", "visible to the admin", Ct);

        await ExecuteAsync(
            "UPDATE InstanceSecrets SET Protected = (SELECT Protected FROM InstanceSecrets WHERE Name = 'secrets.db_password') WHERE Name = 'secrets.admin_password';");

        var error = await Assert.ThrowsAsync<SecretUnreadableException>(() => Secrets.GetAllAsync("cloud", Ct));
        Assert.Equal("secrets.admin_password", error.SecretName);
    }

    [Fact]
    public async Task NoSecretIsInClearInTheDatabaseFiles()
    {
        await Secrets.AddMissingAsync("cloud", new Dictionary<string, string> { ["secrets.db_password"] = Distinctive }, Ct);
        await Secrets.SetAsync("cloud", "outputs.token", Distinctive + "-output", Ct);

        // Before a checkpoint the values sit in the write-ahead log; after it, in the database itself.
        AssertNotInClear(DatabaseFiles());
        await ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        AssertNotInClear(DatabaseFiles());
        Assert.Equal(Distinctive, (await Secrets.GetAllAsync("cloud", Ct))["secrets.db_password"]);
    }

    [Fact]
    public async Task NothingTheStoreShowsOfItselfHoldsAValue()
    {
        await Secrets.SetAsync("cloud", "secrets.db_password", Distinctive, Ct);
        var all = await Secrets.GetAllAsync("cloud", Ct);

        Assert.DoesNotContain(Distinctive, Secrets.ToString()!, StringComparison.Ordinal);
        Assert.DoesNotContain(Distinctive, all.ToString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherProcessOnTheSameDataDirectoryReadsTheSecrets()
    {
        await Secrets.SetAsync("cloud", "secrets.db_password", Distinctive, Ct);

        // The CLI and the panel share the key ring in DATA_DIR/keys.
        var other = (await StartServicesAsync()).GetRequiredService<ISecretStore>();

        Assert.Equal(Distinctive, (await other.GetAllAsync("cloud", Ct))["secrets.db_password"]);
        Assert.NotEmpty(Directory.GetFiles(Options.KeyRingDirectory, "key-*.xml"));
    }

    [Fact]
    public async Task WithoutItsKeyRingASecretIsUnreadableNotWrong()
    {
        await Secrets.SetAsync("cloud", "secrets.db_password", Distinctive, Ct);
        Directory.Move(Options.KeyRingDirectory, Options.KeyRingDirectory + "-lost");

        var other = (await StartServicesAsync()).GetRequiredService<ISecretStore>();

        await Assert.ThrowsAsync<SecretUnreadableException>(() => other.GetAllAsync("cloud", Ct));
    }

    private IEnumerable<string> DatabaseFiles()
    {
        string[] files = [DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm"];
        Assert.True(File.Exists(DatabasePath));
        return files.Where(File.Exists);
    }

    private static void AssertNotInClear(IEnumerable<string> files)
    {
        string[] needles = [Distinctive, "7f1d2c-correct-horse"];
        foreach (var file in files)
        {
            // The stores keep the files open; read them without getting in their way.
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            foreach (var needle in needles)
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) < 0, $"'{needle}' is in clear in {Path.GetFileName(file)}.");
                Assert.True(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(needle)) < 0, $"'{needle}' is in clear (UTF-16) in {Path.GetFileName(file)}.");
            }
        }
    }
}
