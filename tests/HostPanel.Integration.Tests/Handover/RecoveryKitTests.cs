using System.Runtime.Versioning;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Backups;
using HostPanel.Core.Configuration;
using HostPanel.Core.Handover;
using HostPanel.Core.Organizations;
using HostPanel.Core.Secrets;
using HostPanel.Infrastructure.Handover;

namespace HostPanel.Integration.Tests.Handover;

/// <summary>Issuing the recovery kit on a real data directory (SQLite, Data Protection key ring), and its status.</summary>
[SupportedOSPlatform("linux")]
public sealed class RecoveryKitTests : IAsyncLifetime
{
    private KitServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Caller Root = Caller.Server("cli:root");

    public async ValueTask InitializeAsync() => _server = await KitServer.StartAsync(Ct);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task TheKitSealsEveryRepositoryAndTheKeyRingAndOpensWithKShares()
    {
        var velo = await _server.AddSftpOrganizationAsync("velo", Ct);

        var issue = await _server.Kits.CreateAsync(Root, 2, ["Alice", "Bob", "Chloé"], Ct);

        Assert.Equal(3, issue.Documents.Count);
        Assert.Equal(["share-alice", "share-bob", "share-chloe"], issue.Documents.Select(d => d.FileStem));
        var opened = RecoveryKitReader.OpenDocuments([issue.Documents[2].Text, issue.Documents[0].Text]);

        Assert.Equal(issue.Id, opened.KitId);
        Assert.Equal(["Alice", "Bob", "Chloé"], opened.Holders);
        Assert.Equal("https://panel.velo-lyon.fr", opened.PanelAddress);
        Assert.Equal(["default", "velo"], opened.Repositories.Select(r => r.OrganizationId));
        var defaultRepository = opened.Repositories[0];
        Assert.Equal(Path.Combine(_server.DataDirectory, "backups", "default"), defaultRepository.Location);
        Assert.Equal(await _server.PasswordAsync("default", Ct), defaultRepository.Password);
        Assert.Null(defaultRepository.SshKey);
        var sftp = opened.Repositories[1];
        Assert.Equal(velo.Location, sftp.Location);
        Assert.Equal(await _server.PasswordAsync("velo", Ct), sftp.Password);
        Assert.Equal(await File.ReadAllTextAsync(velo.SshKeyFile!, Ct), sftp.SshKey);
        Assert.Equal(await File.ReadAllTextAsync(velo.SshKnownHostsFile!, Ct), sftp.SshKnownHosts);
        Assert.Equal(velo.SshKeyFile, sftp.SshKeyFile);

        var keyFiles = Directory.GetFiles(Path.Combine(_server.DataDirectory, "keys"), "*.xml");
        Assert.NotEmpty(keyFiles);
        Assert.Equal(keyFiles.Select(Path.GetFileName).Order(StringComparer.Ordinal), opened.KeyRing.Keys);
        Assert.Equal(await File.ReadAllTextAsync(keyFiles[0], Ct), opened.KeyRing[Path.GetFileName(keyFiles[0])]);

        // Only the credential's hash stays on the server.
        Assert.StartsWith("hprc-", opened.RecoveryCredential, StringComparison.Ordinal);
        Assert.True(await _server.Kits.IsRecoveryCredentialAsync(opened.RecoveryCredential, Ct));
        Assert.False(await _server.Kits.IsRecoveryCredentialAsync(opened.RecoveryCredential + "x", Ct));

        // The sealed kit in DATA_DIR/recovery, readable by its owner only, is the one on every sheet.
        Assert.Equal(Path.Combine(_server.DataDirectory, "recovery"), Path.GetDirectoryName(issue.SealedKitFile));
        Assert.Equal(issue.SealedKit, await File.ReadAllTextAsync(issue.SealedKitFile, Ct));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(issue.SealedKitFile));
        Assert.All(issue.Documents, d => Assert.EndsWith(issue.SealedKit, d.Text, StringComparison.Ordinal));
        Assert.All(issue.Documents, d => Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], d.QrCodePng[..4]));
        Assert.DoesNotContain(sftp.Password, issue.SealedKit, StringComparison.Ordinal);
        Assert.DoesNotContain("velo-key-material", issue.SealedKit, StringComparison.Ordinal);

        // One share alone is refused.
        Assert.Throws<AppRequestException>(() => RecoveryKitReader.OpenDocuments([issue.Documents[1].Text]));
    }

    [Fact]
    public async Task EachSheetIsLabelledWithItsHolderAndTheKitInBothLanguages()
    {
        var issue = await _server.Kits.CreateAsync(Root, 2, ["Alice", "Bob"], Ct);
        var sheet = issue.Documents[1].Text;

        Assert.Contains("Détentrice ou détenteur : Bob — part n° 2 — il faut 2 parts sur 2", sheet, StringComparison.Ordinal);
        Assert.Contains("Holder: Bob — share 2 — 2 of 2 shares needed", sheet, StringComparison.Ordinal);
        Assert.Contains(issue.Id.ToString(), sheet, StringComparison.Ordinal);
        Assert.Contains(issue.IssuedAt.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), sheet, StringComparison.Ordinal);
        Assert.Contains("The other shares are held by: Alice.", sheet, StringComparison.Ordinal);
        Assert.True(sheet.IndexOf("Ce document", StringComparison.Ordinal) < sheet.IndexOf("This document", StringComparison.Ordinal));
        var line = RecoveryShareFormat.FindLine(sheet)!;
        Assert.Equal(2, RecoveryShareFormat.Parse(line, 1).X);
    }

    [Fact]
    public async Task TheStatusFollowsTheSecretsItCovers()
    {
        Assert.Null(await _server.Kits.CurrentAsync(Ct));
        await _server.AddSftpOrganizationAsync("velo", Ct);
        await _server.Kits.CreateAsync(Root, 2, ["Alice", "Bob", "Chloé"], Ct);
        var first = await _server.Kits.CurrentAsync(Ct);
        Assert.True(first!.IsCurrent);
        Assert.Equal(2, first.Threshold);
        Assert.Equal(["Alice", "Bob", "Chloé"], first.Holders);

        // A repository password changes: out of date, naming the organization.
        await _server.Get<ISecretStore>().SetAsync(BackupRepositories.SecretOwner("default"), BackupRepositories.PasswordName, "another-password", Ct);
        var status = await _server.Kits.StatusAsync(Root, Ct);
        Assert.False(status!.Summary.IsCurrent);
        Assert.Equal([new RecoveryKitChange("repository:default", RecoveryKitChangeKind.Changed)], status.Changes);
        Assert.NotNull(status.Summary.SecretsChangedAt);

        // A new kit covers it again.
        await _server.Kits.CreateAsync(Root, 2, ["Alice", "Bob", "Chloé"], Ct);
        Assert.True((await _server.Kits.CurrentAsync(Ct))!.IsCurrent);

        // The target moves, or its SSH key changes.
        var velo = await _server.Get<IBackupTargetStore>().FindAsync("velo", Ct);
        await _server.Get<IBackupTargetStore>().SaveAsync(velo! with { Location = "sftp:backup@127.0.0.1:/srv/velo-2", UpdatedAt = DateTimeOffset.UtcNow }, Ct);
        Assert.Equal([new RecoveryKitChange("repository:velo", RecoveryKitChangeKind.Changed)], (await _server.Kits.StatusAsync(Root, Ct))!.Changes);
        await _server.Kits.CreateAsync(Root, 2, ["Alice", "Bob"], Ct);
        Assert.True((await _server.Kits.CurrentAsync(Ct))!.IsCurrent);
        await File.AppendAllTextAsync(velo.SshKeyFile!, "rotated\n", Ct);
        Assert.Equal([new RecoveryKitChange("repository:velo", RecoveryKitChangeKind.Changed)], (await _server.Kits.StatusAsync(Root, Ct))!.Changes);
        await _server.Kits.CreateAsync(Root, 2, ["Alice", "Bob"], Ct);

        // A key ring file changes, or a new one appears.
        var keys = Path.Combine(_server.DataDirectory, "keys");
        var key = Directory.GetFiles(keys, "*.xml")[0];
        await File.AppendAllTextAsync(key, "<!-- edited -->", Ct);
        Assert.Equal([new RecoveryKitChange("keyring:" + Path.GetFileName(key), RecoveryKitChangeKind.Changed)], (await _server.Kits.StatusAsync(Root, Ct))!.Changes);
        await _server.Kits.CreateAsync(Root, 2, ["Alice", "Bob"], Ct);
        await File.WriteAllTextAsync(Path.Combine(keys, "key-new.xml"), "<key />", Ct);
        Assert.Equal([new RecoveryKitChange("keyring:key-new.xml", RecoveryKitChangeKind.Added)], (await _server.Kits.StatusAsync(Root, Ct))!.Changes);

        // A new key (Data Protection adds one every 90 days) that a later backup of the panel's
        // state holds comes back with that state in a recovery: the kit stays current. One newer
        // than that backup does not.
        await _server.Get<PanelStateBackup>().BackupAsync(Root, Ct);
        var saved = await _server.Kits.StatusAsync(Root, Ct);
        Assert.Empty(saved!.Changes);
        Assert.True(saved.Summary.IsCurrent);
        await File.WriteAllTextAsync(Path.Combine(keys, "key-newer.xml"), "<key />", Ct);
        Assert.Equal([new RecoveryKitChange("keyring:key-newer.xml", RecoveryKitChangeKind.Added)], (await _server.Kits.StatusAsync(Root, Ct))!.Changes);
        Assert.False((await _server.Kits.CurrentAsync(Ct))!.IsCurrent);
        await _server.Kits.CreateAsync(Root, 2, ["Alice", "Bob"], Ct);

        // A new organization is not covered until the next kit.
        await _server.Get<IOrganizationStore>().AddAsync(new Organization("livres", "Éditions", DateTimeOffset.UtcNow), Ct);
        var added = await _server.Kits.StatusAsync(Root, Ct);
        Assert.False(added!.Summary.IsCurrent);
        Assert.Equal([new RecoveryKitChange("repository:livres", RecoveryKitChangeKind.Added)], added.Changes);
        await _server.Kits.CreateAsync(Root, 2, ["Alice", "Bob"], Ct);
        var last = await _server.Get<IRecoveryKitState>().CurrentAsync(Ct);
        Assert.True(last!.IsCurrent);
        Assert.Equal(["Alice", "Bob"], last.Holders);
    }

    [Fact]
    public async Task OnlyHostersMakeKitsAndEachIssueIsAuditedWithoutSecrets()
    {
        var admin = new Caller
        {
            Id = "u1",
            Name = "alice@velo.example.org",
            Roles = new Dictionary<string, OrganizationRole> { [Organization.DefaultId] = OrganizationRole.Administrator },
        };

        await Assert.ThrowsAsync<AccessDeniedException>(() => _server.Kits.CreateAsync(admin, 2, ["Alice", "Bob"], Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _server.Kits.StatusAsync(admin, Ct));
        Assert.Null(await _server.Kits.CurrentAsync(Ct));
        var issue = await _server.Kits.CreateAsync(Root, 2, ["Alice", "Bob", "Chloé"], Ct);

        Assert.Equal(2, _server.Audit.Count);
        Assert.Equal(("alice@velo.example.org", "recovery-kit.create", AuditResult.Refused), (_server.Audit[0].Actor, _server.Audit[0].Action, _server.Audit[0].Result));
        var record = _server.Audit[1];
        Assert.Equal(("cli:root", "recovery-kit.create", "2 of 3", AuditResult.Succeeded, (string?)null), (record.Actor, record.Action, record.Subject, record.Result, record.OrganizationId));
        var password = await _server.PasswordAsync("default", Ct);
        var opened = RecoveryKitReader.OpenDocuments([.. issue.Documents.Select(d => d.Text)]);
        foreach (var text in new[] { record.Subject, record.Detail })
        {
            Assert.DoesNotContain(password, text ?? string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain(opened.RecoveryCredential, text ?? string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain("HPK1", text ?? string.Empty, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(2, new[] { "Alice" }, "holder")]
    [InlineData(2, new[] { "Alice", " alice " }, "holder")]
    [InlineData(2, new[] { "Alice", "" }, "holder")]
    [InlineData(3, new[] { "Alice", "Bob" }, "threshold")]
    [InlineData(1, new[] { "Alice", "Bob" }, "threshold")]
    public async Task BadHoldersOrThresholdsAreRefusedBeforeAnythingIsMade(int threshold, string[] holders, string field)
    {
        var error = await Assert.ThrowsAsync<AppRequestException>(() => _server.Kits.CreateAsync(Root, threshold, holders, Ct));

        Assert.Equal(field, error.Field);
        Assert.False(Directory.Exists(Path.Combine(_server.DataDirectory, "recovery")));
        Assert.Null(await _server.Kits.CurrentAsync(Ct));
    }

    [Fact]
    public async Task AnUnreadableSshKeyIsRefusedNamingIt()
    {
        var velo = await _server.AddSftpOrganizationAsync("velo", Ct);
        File.Delete(velo.SshKeyFile!);

        var error = await Assert.ThrowsAsync<AppRequestException>(() => _server.Kits.CreateAsync(Root, 2, ["Alice", "Bob"], Ct));

        Assert.Contains(velo.SshKeyFile!, error.Message, StringComparison.Ordinal);
        Assert.Contains("velo", error.Message, StringComparison.Ordinal);
    }
}
