using System.Text.Json;
using HostPanel.Cli;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Configuration;
using HostPanel.Infrastructure.Accounts;
using HostPanel.Integration.Tests.Apps;

namespace HostPanel.Integration.Tests.Accounts;

/// <summary>`hostpanel member|group|app access|token|admin recover`, as root and through a token.</summary>
public sealed class MemberCommandTests : IAsyncDisposable
{
    private const string Password = "a long enough password";

    private readonly Scratch _scratch = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _scratch.DisposeAsync();

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await HostPanelCli.RunAsync(["--data-dir", _scratch.DataDirectory, .. args], output, error, Ct);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task AnOrganizationIsRunFromTheCommandLine()
    {
        await using var life = await Lifecycle.StartAsync(_scratch.DataDirectory, 1, Ct, null, services => services.AddHostPanelAccounts(new HostPanelOptions { DataDirectory = _scratch.DataDirectory }));
        Assert.Equal(0, (await RunAsync("org", "add", "velo", "--name", "Atelier vélo")).Code);
        await life.Instances.AddAsync(new AppInstance
        {
            Name = "cloud-velo",
            OrganizationId = "velo",
            AppId = "hello",
            Version = "1",
            State = InstanceState.Running,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        }, Ct);

        var group = await RunAsync("group", "add", "bureau", "--org", "velo", "--description", "Le bureau");
        Assert.Equal(0, group.Code);

        // No mail profile: the link is shown to be handed over.
        var invite = await RunAsync("member", "invite", "alice@velo.example.org", "--org", "velo", "--role", "admin", "--groups", "bureau");
        Assert.Equal(0, invite.Code);
        var link = invite.Output.Trim().Split('\n')[^1].Trim();
        Assert.Contains(MemberService.InvitationPath, link, StringComparison.Ordinal);
        var listed = JsonDocument.Parse((await RunAsync("member", "list", "--org", "velo", "--json")).Output).RootElement;
        Assert.Equal("alice@velo.example.org", listed.GetProperty("invitations")[0].GetProperty("email").GetString());

        var alice = await life.Get<MemberService>().AcceptAsync(link[(link.LastIndexOf('/') + 1)..], "Alice", Password, Ct);
        var bob = await life.Get<MemberService>().AcceptAsync(
            (await life.Get<MemberService>().InviteAsync(Callers.Root, "velo", "bob@velo.example.org", OrganizationRole.Member, [], Ct)).Link.Split('/')[^1], "Bob", Password, Ct);

        var members = JsonDocument.Parse((await RunAsync("member", "list", "--org", "velo", "--json")).Output).RootElement.GetProperty("members");
        Assert.Equal(["alice@velo.example.org", "bob@velo.example.org"], members.EnumerateArray().Select(m => m.GetProperty("email").GetString()));
        Assert.Equal("admin", members[0].GetProperty("role").GetString());
        Assert.Equal(["bureau"], members[0].GetProperty("groups").EnumerateArray().Select(g => g.GetString()));

        Assert.Equal(0, (await RunAsync("group", "members", "bureau", "--org", "velo", "--add", "bob@velo.example.org")).Code);
        var access = await RunAsync("app", "access", "cloud-velo", "--groups", "bureau");
        Assert.Equal(0, access.Code);
        Assert.Equal(["bureau"], await life.Get<IGroupStore>().AppAccessAsync("cloud-velo", Ct));
        var unknown = await RunAsync("app", "access", "cloud-velo", "--groups", "benevoles");
        Assert.Equal(1, unknown.Code);
        Assert.Contains("benevoles", unknown.Error, StringComparison.Ordinal);

        // A token made by root for Bob, with no more than Bob's rights.
        var tooHigh = await RunAsync("token", "create", "--user", bob.Email, "--org", "velo", "--role", "admin", "--name", "x");
        Assert.Equal(1, tooHigh.Code);
        var token = (await RunAsync("token", "create", "--user", bob.Email, "--org", "velo", "--name", "scripts")).Output.Trim();
        Assert.True(AccessTokenFormat.TryParse(token, out var tokenId));
        var asBob = await RunAsync("--token", token, "app", "list", "--json");
        Assert.Equal(0, asBob.Code);
        Assert.Contains("cloud-velo", asBob.Output, StringComparison.Ordinal);
        var bobCannot = await RunAsync("--token", token, "member", "list", "--org", "velo");
        Assert.Equal(1, bobCannot.Code);
        Assert.Contains(tokenId, (await RunAsync("token", "list", "--user", bob.Email)).Output, StringComparison.Ordinal);

        // Suspending Bob ends his token at once; resuming does not bring it back.
        Assert.Equal(0, (await RunAsync("member", "disable", bob.Email, "--org", "velo")).Code);
        Assert.Equal(1, (await RunAsync("--token", token, "app", "list")).Code);
        Assert.Equal(0, (await RunAsync("member", "enable", bob.Email, "--org", "velo")).Code);
        Assert.Equal(1, (await RunAsync("--token", token, "app", "list")).Code);

        // The last administrator stays; a second one can then be demoted.
        Assert.Equal(1, (await RunAsync("member", "role", alice.Email, "member", "--org", "velo")).Code);
        Assert.Equal(0, (await RunAsync("member", "role", bob.Email, "admin", "--org", "velo")).Code);
        var demoted = await RunAsync("member", "role", alice.Email, "member", "--org", "velo");
        Assert.True(demoted.Code == 0, demoted.Error);

        // Root brings a locked-out administrator back: new password, 2FA to set up again, recorded.
        var passwordFile = Path.Combine(_scratch.DataDirectory, "new-password");
        await File.WriteAllTextAsync(passwordFile, "another long password\n", Ct);
        var recover = await RunAsync("admin", "recover", alice.Email, "--password-file", passwordFile);
        Assert.True(recover.Code == 0, recover.Error + recover.Output);
        var recovered = await life.Get<IPeopleDirectory>().FindAsync(alice.Id, Ct);
        Assert.True(recovered!.IsHosterAdministrator);
        Assert.False(recovered.TwoFactorEnabled);
        Assert.Contains(await life.Get<ISecurityEventStore>().ListAsync(alice.Id, 20, Ct), e => e.Kind == SecurityEventKinds.AdministratorRecovered);

        Assert.Equal(0, (await RunAsync("member", "remove", alice.Email, "--org", "velo")).Code);
        Assert.NotNull(await life.Get<IPeopleDirectory>().FindAsync(alice.Id, Ct)); // still a hosting administrator
        Assert.Equal(0, (await RunAsync("group", "remove", "bureau", "--org", "velo")).Code);
        Assert.Equal([], await life.Get<IGroupStore>().AppAccessAsync("cloud-velo", Ct));
    }
}
