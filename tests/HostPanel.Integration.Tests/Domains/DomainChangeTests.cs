using HostPanel.Core.Apps;
using HostPanel.Core.Domains;
using HostPanel.Core.Engine;
using HostPanel.Core.Operations;
using HostPanel.Core.Organizations;
using HostPanel.Core.Resources;
using HostPanel.Integration.Tests.Apps;
using HostPanel.Integration.Tests.TestWorld;

namespace HostPanel.Integration.Tests.Domains;

/// <summary>Moving an app to another address, where its manifest allows it.</summary>
public sealed class DomainChangeTests : IAsyncDisposable
{
    private readonly Scratch _scratch = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _scratch.DisposeAsync();

    private static async Task<string> GreetingAsync(Lifecycle life, string name)
    {
        var result = await life.Engine.Containers.ExecAsync(ResourceNames.Container(name, "web"), new ExecRequest { Command = ["sh", "-c", "echo $GREETING"], Timeout = TimeSpan.FromSeconds(20) }, Ct);
        return result.Stdout.Trim();
    }

    [Fact]
    public async Task AnAppMovesToItsNewAddressWithItsDataAndTheOldOneIsFreed()
    {
        await using var life = await Lifecycle.StartAsync(_scratch.DataDirectory, 1, Ct);
        var name = _scratch.Name("move");
        var install = await life.Apps.InstallAsync(new InstallRequest("hello", Callers.Root) { Name = name, Domain = $"{name}.example.org" }, Ct);
        Assert.Equal(OperationState.Succeeded, install.State);
        await life.Engine.Containers.ExecAsync(ResourceNames.Container(name, "web"), new ExecRequest { Command = ["sh", "-c", "echo kept > /data/mark"], Timeout = TimeSpan.FromSeconds(20) }, Ct);

        var move = await life.Apps.ChangeDomainAsync(name, $"Nouveau-{name}.Example.org", Callers.Root, Ct);

        Assert.True(move.State == OperationState.Succeeded, $"{move.State}: {move.Outcome} {move.Detail}");
        Assert.Equal(OperationKind.ChangeDomain, move.Kind);
        var moved = (await life.Instances.FindAsync(name, Ct))!;
        Assert.Equal($"nouveau-{name}.example.org", moved.Domain);
        Assert.Equal(InstanceState.Running, moved.State);
        Assert.Equal($"Bonjour depuis nouveau-{name}.example.org", await GreetingAsync(life, name));
        var mark = await life.Engine.Containers.ExecAsync(ResourceNames.Container(name, "web"), new ExecRequest { Command = ["cat", "/data/mark"], Timeout = TimeSpan.FromSeconds(20) }, Ct);
        Assert.Equal("kept", mark.Stdout.Trim());

        var domains = await life.Get<DomainService>().ListAsync(Callers.Root, null, Ct);
        Assert.Equal(name, Assert.Single(domains, d => d.Name == $"nouveau-{name}.example.org").Instance);
        Assert.Null(Assert.Single(domains, d => d.Name == $"{name}.example.org").Instance);

        var same = await Assert.ThrowsAsync<AppRequestException>(() => life.Apps.ChangeDomainAsync(name, $"nouveau-{name}.example.org", Callers.Root, Ct));
        Assert.Equal("domain", same.Field);
        var bad = await Assert.ThrowsAsync<AppRequestException>(() => life.Apps.ChangeDomainAsync(name, "https://x.example.org/", Callers.Root, Ct));
        Assert.Equal(CoreText.Format("DomainNotAName", "https://x.example.org/"), bad.Message);
    }

    [Fact]
    public async Task AnAppThatKeepsItsAddressRefusesWithItsReasonAndNothingChanges()
    {
        await using var life = await Lifecycle.StartAsync(_scratch.DataDirectory, 1, Ct);
        var name = _scratch.Name("fixed");
        var install = await life.Apps.InstallAsync(new InstallRequest("gallery", Callers.Root) { Name = name, Domain = $"{name}.example.org" }, Ct);
        Assert.Equal(OperationState.Succeeded, install.State);
        var operations = (await life.Journal.ListAsync(name, null, 50, Ct)).Count;

        var refused = await Assert.ThrowsAsync<AppRequestException>(() => life.Apps.ChangeDomainAsync(name, $"other-{name}.example.org", Callers.Root, Ct));

        Assert.Equal("domain", refused.Field);
        Assert.Contains(name, refused.Message, StringComparison.Ordinal);
        Assert.True(refused.Message.Contains("shared link", StringComparison.Ordinal) || refused.Message.Contains("lien partagé", StringComparison.Ordinal), refused.Message);
        Assert.Equal($"{name}.example.org", (await life.Instances.FindAsync(name, Ct))!.Domain);
        Assert.Equal(operations, (await life.Journal.ListAsync(name, null, 50, Ct)).Count);
    }

    [Fact]
    public async Task AnotherOrganizationsAddressIsRefusedWithoutSayingWhose()
    {
        await using var life = await Lifecycle.StartAsync(_scratch.DataDirectory, 1, Ct);
        await life.Organizations.AddAsync(new Organization("voisins", "Voisins", DateTimeOffset.UtcNow), Ct);
        var owned = $"{Guid.NewGuid():N}"[..8] + ".autres.example.org";
        await life.Get<DomainService>().AddAsync(Callers.Root, owned, "voisins", ct: Ct);
        var name = _scratch.Name("wall");
        Assert.Equal(OperationState.Succeeded, (await life.Apps.InstallAsync(new InstallRequest("hello", Callers.Root) { Name = name, Domain = $"{name}.example.org" }, Ct)).State);

        var refused = await Assert.ThrowsAsync<AppRequestException>(() => life.Apps.ChangeDomainAsync(name, owned, Callers.Root, Ct));
        var install = await Assert.ThrowsAsync<AppRequestException>(() => life.Apps.InstallAsync(new InstallRequest("hello", Callers.Root) { Name = _scratch.Name("wall2"), Domain = owned }, Ct));

        var taken = await Assert.ThrowsAsync<AppRequestException>(() => life.Get<DomainService>().AddAsync(Callers.Root, $"{name}.example.org", "voisins", ct: Ct));
        Assert.Equal(CoreText.Format("DomainOfAnotherOrganization", $"{name}.example.org"), taken.Message);
        Assert.Equal(CoreText.Format("DomainOfAnotherOrganization", owned), refused.Message);
        Assert.Equal(CoreText.Format("DomainOfAnotherOrganization", owned), install.Message);
        Assert.DoesNotContain("voisins", refused.Message, StringComparison.OrdinalIgnoreCase);
    }
}
