using System.Text.Json;
using HostPanel.Core.Apps;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using HostPanel.Core.Resources;
using HostPanel.Integration.Tests.Apps;
using HostPanel.Integration.Tests.Cli;

namespace HostPanel.Integration.Tests.Organizations;

/// <summary>Organizations made by the hoster, and the limits their installs are held to.</summary>
public sealed class QuotaTests : IAsyncDisposable
{
    private readonly Scratch _scratch = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _scratch.DisposeAsync();

    private Task<HostPanelProcess.Run> HostPanelAsync(params string[] args) => HostPanelProcess.RunAsync(_scratch.DataDirectory, 1, Ct, args);

    [Fact]
    public async Task InstallsPastAnOrganizationsLimitsAreRefusedBeforeAnythingIsDone()
    {
        var add = await HostPanelAsync("org", "add", "velo", "--name", "Atelier vélo");
        Assert.True(add.Code == 0, add.ToString());
        var quota = await HostPanelAsync("org", "quota", "velo", "--apps", "1", "--memory", "100M");
        Assert.True(quota.Code == 0, quota.ToString());

        await using var life = await Lifecycle.StartAsync(_scratch.DataDirectory, 1, Ct);
        var first = _scratch.Name("q1");
        var installed = await life.Apps.InstallAsync(new InstallRequest("hello", Callers.Root) { Name = first, Domain = $"{first}.example.org", OrganizationId = "velo" }, Ct);
        Assert.Equal(OperationState.Succeeded, installed.State);

        // A second app: over the number of apps; nothing recorded for it.
        var second = _scratch.Name("q2");
        var apps = await Assert.ThrowsAsync<AppRequestException>(() => life.Apps.InstallAsync(new InstallRequest("hello", Callers.Root) { Name = second, Domain = $"{second}.example.org", OrganizationId = "velo" }, Ct));
        Assert.Equal("quota", apps.Field);
        Assert.Equal(CoreText.Format("QuotaAppsExceeded", "velo", 1), apps.Message);
        Assert.Null(await life.Instances.FindAsync(second, Ct));

        // More apps allowed, but gallery asks for 256 MiB beside hello's 16 MiB, over 100 MiB.
        await life.Get<OrganizationService>().SetQuotaAsync(Callers.Root, "velo", 5, "100M", null, Ct);
        var memory = await Assert.ThrowsAsync<AppRequestException>(() => life.Apps.InstallAsync(new InstallRequest("gallery", Callers.Root) { Name = second, Domain = $"{second}.example.org", OrganizationId = "velo" }, Ct));
        Assert.Equal(CoreText.Format("QuotaMemoryExceeded", "velo", OrganizationService.Shown(100L << 20), OrganizationService.Shown(16L << 20), "Gallery", OrganizationService.Shown(256L << 20)), memory.Message);
        Assert.Null(await life.Instances.FindAsync(second, Ct));

        // A new app made from a backup is held to the quota like an install.
        await life.Get<OrganizationService>().SetQuotaAsync(Callers.Root, "velo", 1, null, null, Ct);
        Assert.Equal(OperationState.Succeeded, (await life.Backups.BackupAsync(first, Callers.Root, Ct)).State);
        var snapshot = Assert.Single(await life.Backups.ListAsync(Callers.Root, "velo", first, Ct)).SnapshotId;
        var restore = await Assert.ThrowsAsync<AppRequestException>(() => life.Backups.RestoreAsync(snapshot, Callers.Root, second, "velo", $"{second}.example.org", Ct));
        Assert.Equal(CoreText.Format("QuotaAppsExceeded", "velo", 1), restore.Message);
        Assert.Null(await life.Instances.FindAsync(second, Ct));

        // Another organization is not held to this one's limits.
        var other = _scratch.Name("q3");
        Assert.Equal(OperationState.Succeeded, (await life.Apps.InstallAsync(new InstallRequest("hello", Callers.Root) { Name = other, Domain = $"{other}.example.org" }, Ct)).State);

        var list = await HostPanelAsync("org", "list", "--json");
        using var doc = JsonDocument.Parse(list.Stdout);
        var velo = doc.RootElement.EnumerateArray().Single(o => o.GetProperty("id").GetString() == "velo");
        Assert.Equal(1, velo.GetProperty("apps").GetInt32());
        Assert.Equal(16L << 20, velo.GetProperty("memoryBytes").GetInt64());
        Assert.Equal(1, velo.GetProperty("quota").GetProperty("apps").GetInt32());
        Assert.Equal(JsonValueKind.Null, velo.GetProperty("quota").GetProperty("memoryBytes").ValueKind);
        Assert.Equal(JsonValueKind.Null, velo.GetProperty("quota").GetProperty("storageBytes").ValueKind);
    }

    [Theory]
    [InlineData(new[] { "org", "add", "Velo", "--name", "x" }, "Velo")]
    [InlineData(new[] { "org", "add", "v", "--name", "x" }, "“v”")]
    [InlineData(new[] { "org", "add", "velo2", "--name", "  " }, "readable name")]
    [InlineData(new[] { "org", "quota", "nowhere", "--apps", "2" }, "nowhere")]
    [InlineData(new[] { "org", "quota", "velo", "--memory", "lots" }, "lots")]
    [InlineData(new[] { "org", "quota", "velo", "--apps", "-1" }, "-1")]
    public async Task BadOrganizationInputIsRefusedInPlainWords(string[] args, string named)
    {
        Assert.Equal(0, (await HostPanelAsync("org", "add", "velo", "--name", "Atelier vélo")).Code);
        var run = await HostPanelAsync(args);

        Assert.True(run.Code == 1, run.ToString());
        Assert.Contains(named, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOrganizationIdIsTakenOnce()
    {
        Assert.Equal(0, (await HostPanelAsync("org", "add", "edition", "--name", "Éditions")).Code);
        var again = await HostPanelAsync("org", "add", "edition", "--name", "Autre");

        Assert.Equal(1, again.Code);
        Assert.Contains("edition", again.Stderr, StringComparison.Ordinal);
        var list = await HostPanelAsync("org", "list", "--json");
        Assert.Equal("Éditions", JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().Single(o => o.GetProperty("id").GetString() == "edition").GetProperty("name").GetString());
    }
}
