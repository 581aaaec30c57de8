using System.Globalization;
using System.Runtime.Versioning;
using System.Text.Json;
using HostPanel.Cli;
using HostPanel.Core.Backups;
using HostPanel.Core.Handover;
using HostPanel.Core.Secrets;

namespace HostPanel.Integration.Tests.Handover;

/// <summary>`hostpanel recovery-kit create|status` as a person types them, on a temporary data directory (no engine needed).</summary>
[SupportedOSPlatform("linux")]
public sealed class RecoveryKitCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hp-kitcli-").FullName;
    private readonly CultureInfo _culture = CultureInfo.CurrentUICulture;

    public RecoveryKitCommandTests() => CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DataDirectory => Path.Combine(_root, "data");

    public void Dispose()
    {
        CultureInfo.CurrentUICulture = _culture;
        Directory.Delete(_root, recursive: true);
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await HostPanelCli.RunAsync(["--data-dir", DataDirectory, .. args], output, error, Ct);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task AKitIsMadeForItsHoldersAndItsStatusFollowsTheSecrets()
    {
        var none = await RunAsync("recovery-kit", "status");
        Assert.Equal(HostPanelCli.ExitUnhealthy, none.Code);
        Assert.StartsWith("No recovery kit was issued", none.Output, StringComparison.Ordinal);

        var folder = Path.Combine(_root, "kit");
        var create = await RunAsync("recovery-kit", "create", "--threshold", "2", "--holder", "Alice", "--holder", "Bob Martin", "--holder", "Chloé", "-o", folder);

        Assert.True(create.Code == 0, create.Error);
        Assert.Equal(
            ["kit.sealed", "share-alice.png", "share-alice.txt", "share-bob-martin.png", "share-bob-martin.txt", "share-chloe.png", "share-chloe.txt"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(Directory.GetFiles(folder), f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        Assert.Contains("2 shares out of 3 open it", create.Output, StringComparison.Ordinal);
        Assert.Contains("Bob Martin: share-bob-martin.txt and share-bob-martin.png", create.Output, StringComparison.Ordinal);
        Assert.Contains("Never keep all the shares together", create.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("HPK1", create.Output, StringComparison.Ordinal);

        // Two sheets are enough to open the kit; the sealed file is the block every sheet carries.
        var alice = await File.ReadAllTextAsync(Path.Combine(folder, "share-alice.txt"), Ct);
        var chloe = await File.ReadAllTextAsync(Path.Combine(folder, "share-chloe.txt"), Ct);
        var opened = RecoveryKitReader.OpenDocuments([chloe, alice]);
        Assert.Equal(["Alice", "Bob Martin", "Chloé"], opened.Holders);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(folder, "kit.sealed"), Ct), RecoveryKitReader.FindSealedKit([alice]));
        Assert.Throws<HostPanel.Core.Apps.AppRequestException>(() => RecoveryKitReader.OpenDocuments([alice]));

        var current = await RunAsync("recovery-kit", "status");
        Assert.Equal(0, current.Code);
        Assert.Contains("2 shares out of 3 open it (Alice, Bob Martin, Chloé)", current.Output, StringComparison.Ordinal);
        Assert.Contains("It is up to date", current.Output, StringComparison.Ordinal);

        // The default organization's backup password changes: out of date, and why.
        await using (var server = await KitServer.StartAsync(Ct, DataDirectory))
        {
            await server.Get<ISecretStore>().SetAsync(BackupRepositories.SecretOwner("default"), BackupRepositories.PasswordName, "changed-password", Ct);
        }

        var outdated = await RunAsync("recovery-kit", "status");
        Assert.Equal(HostPanelCli.ExitUnhealthy, outdated.Code);
        Assert.Contains("It is out of date", outdated.Output, StringComparison.Ordinal);
        Assert.Contains("the backup target, password or SSH key of default changed", outdated.Output, StringComparison.Ordinal);
        Assert.Contains("hostpanel recovery-kit create --threshold 2 --holder Alice --holder \"Bob Martin\" --holder Chloé", outdated.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("changed-password", outdated.Output, StringComparison.Ordinal);

        var json = await RunAsync("recovery-kit", "status", "--json");
        Assert.Equal(HostPanelCli.ExitUnhealthy, json.Code);
        using (var document = JsonDocument.Parse(json.Output))
        {
            Assert.False(document.RootElement.GetProperty("current").GetBoolean());
            Assert.Equal("repository:default", document.RootElement.GetProperty("changes")[0].GetProperty("item").GetString());
        }

        var again = await RunAsync("recovery-kit", "create", "--threshold", "2", "--holder", "Alice", "--holder", "Bob Martin", "-o", Path.Combine(_root, "kit2"));
        Assert.Equal(0, again.Code);
        Assert.Equal(0, (await RunAsync("recovery-kit", "status")).Code);
    }

    [Fact]
    public async Task BadRequestsAreRefusedInPlainWordsAndWriteNothing()
    {
        var folder = Path.Combine(_root, "kit");
        var tooHigh = await RunAsync("recovery-kit", "create", "--threshold", "3", "--holder", "Alice", "--holder", "Bob", "-o", folder);
        var twice = await RunAsync("recovery-kit", "create", "--threshold", "2", "--holder", "Alice", "--holder", "alice", "-o", folder);
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "mine", Ct);
        var notEmpty = await RunAsync("recovery-kit", "create", "--threshold", "2", "--holder", "Alice", "--holder", "Bob", "-o", folder);

        Assert.Equal(1, tooHigh.Code);
        Assert.Contains("Impossible threshold (3)", tooHigh.Error, StringComparison.Ordinal);
        Assert.Equal(1, twice.Code);
        Assert.Contains("\"alice\" is given twice", twice.Error, StringComparison.Ordinal);
        Assert.Equal(1, notEmpty.Code);
        Assert.Contains(folder, notEmpty.Error, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Equal(HostPanelCli.ExitUnhealthy, (await RunAsync("recovery-kit", "status")).Code);
    }
}
