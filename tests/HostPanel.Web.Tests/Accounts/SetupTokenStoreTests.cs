using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using HostPanel.Infrastructure.Accounts;

namespace HostPanel.Web.Tests.Accounts;

// The panel runs on Linux; file modes are part of what is tested.
[SupportedOSPlatform("linux")]
public sealed partial class SetupTokenStoreTests : IDisposable
{
    private readonly TempDataDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex UrlSafe();

    [Fact]
    public void CreatesAnUrlSafeTokenOfAtLeast128BitsReadableByTheOwnerOnly()
    {
        var store = new SetupTokenStore(_data.Path);

        var token = store.EnsureExists();

        Assert.Matches(UrlSafe(), token);
        Assert.True(token.Length * 6 >= 128, $"token of {token.Length} characters carries fewer than 128 bits");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_data.SetupTokenFile));
        Assert.Equal(token, File.ReadAllText(_data.SetupTokenFile).Trim());
        Assert.Empty(Directory.GetFiles(_data.Path, "*.tmp"));
    }

    [Fact]
    public void KeepsTheExistingTokenSoThatWhatTheInstallerPrintedStaysValid()
    {
        var first = new SetupTokenStore(_data.Path).EnsureExists();

        var again = new SetupTokenStore(_data.Path).EnsureExists();

        Assert.Equal(first, again);
    }

    [Fact]
    public void TightensTheModeOfAReusedTokenFile()
    {
        var store = new SetupTokenStore(_data.Path);
        store.EnsureExists();
        File.SetUnixFileMode(_data.SetupTokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        store.EnsureExists();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_data.SetupTokenFile));
    }

    [Fact]
    public void ReplacesAnEmptyTokenFile()
    {
        File.WriteAllText(_data.SetupTokenFile, "\n");

        var token = new SetupTokenStore(_data.Path).EnsureExists();

        Assert.Matches(UrlSafe(), token);
        Assert.Equal(token, File.ReadAllText(_data.SetupTokenFile).Trim());
    }

    [Fact]
    public void CreatesTheDataDirectoryWhenMissing()
    {
        var nested = Path.Combine(_data.Path, "not", "yet");

        var token = new SetupTokenStore(nested).EnsureExists();

        Assert.Equal(token, File.ReadAllText(Path.Combine(nested, SetupTokenStore.FileName)).Trim());
    }

    [Fact]
    public void ManyStoresStartingTogetherAgreeOnOneToken()
    {
        // Separate stores stand for separate processes (the panel, the CLI) racing on one file.
        for (var round = 0; round < 20; round++)
        {
            var directory = Path.Combine(_data.Path, "round-" + round);
            var tokens = new System.Collections.Concurrent.ConcurrentBag<string>();
            using var start = new Barrier(8);

            var racers = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
            {
                var store = new SetupTokenStore(directory);
                start.SignalAndWait(TestContext.Current.CancellationToken);
                tokens.Add(store.EnsureExists());
            })).ToList();
            racers.ForEach(t => t.Start());
            racers.ForEach(t => t.Join());

            Assert.Single(tokens.Distinct());
            Assert.Equal(tokens.First(), File.ReadAllText(Path.Combine(directory, SetupTokenStore.FileName)).Trim());
        }
    }

    [Fact]
    public void VerifiesOnlyTheExactToken()
    {
        var store = new SetupTokenStore(_data.Path);
        var token = store.EnsureExists();

        Assert.True(store.Verify(token));
        Assert.True(store.Verify("  " + token + "\n"));
        Assert.False(store.Verify(null));
        Assert.False(store.Verify(""));
        Assert.False(store.Verify(token[..^1]));
        Assert.False(store.Verify(token + "x"));
        Assert.False(store.Verify(token.ToUpperInvariant() == token ? token.ToLowerInvariant() : token.ToUpperInvariant()));
        Assert.False(store.Verify((token[0] == 'A' ? "B" : "A") + token[1..]));
    }

    [Fact]
    public void VerifyRefusesEverythingWhenThereIsNoToken()
    {
        var store = new SetupTokenStore(_data.Path);

        Assert.False(store.Verify(""));
        Assert.False(store.Verify("anything"));
    }

    [Fact]
    public void VerifyComparesFixedLengthDigestsInFixedTime()
    {
        // The comparison itself cannot be timed reliably in a test; what can be checked is that
        // the store relies on the framework's fixed-time comparison of equal-length digests.
        var source = File.ReadAllText(Path.Combine(SourceRoot(), "src", "HostPanel.Infrastructure", "Accounts", "SetupToken.cs"));
        Assert.Contains("CryptographicOperations.FixedTimeEquals", source, StringComparison.Ordinal);
        Assert.Contains("SHA256.HashData", source, StringComparison.Ordinal);
    }

    [Fact]
    public void DeleteRemovesTheTokenAndItNoLongerVerifies()
    {
        var store = new SetupTokenStore(_data.Path);
        var token = store.EnsureExists();

        store.Delete();

        Assert.False(File.Exists(_data.SetupTokenFile));
        Assert.False(store.Verify(token));
        store.Delete();
    }

    private static string SourceRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HostPanel.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root was not found above " + AppContext.BaseDirectory);
    }
}
