using System.Globalization;
using System.Text;
using System.Text.Json;
using HostPanel.Cli;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Configuration;
using HostPanel.Core.Handover;
using HostPanel.Core.Organizations;
using HostPanel.Core.Resources;
using HostPanel.Infrastructure.Accounts;
using HostPanel.Infrastructure.Apps;
using HostPanel.Infrastructure.Data;
using HostPanel.Infrastructure.Docker;
using HostPanel.Infrastructure.State;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Integration.Tests.Handover;

/// <summary>
/// The audit log on a real SQLite file (no engine needed): entries written by the real services,
/// then edited, deleted and swapped with plain SQL behind the panel's back, and `hostpanel audit
/// verify` run through the command's own code.
/// </summary>
public sealed class AuditLogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hp-audit-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public AuditLogTests() => CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string DatabasePath => Path.Combine(_directory, "hostpanel.db");

    /// <summary>The panel's services on the test's data directory, the database migrated: what the panel and the CLI build.</summary>
    private async Task<ServiceProvider> ServicesAsync()
    {
        var options = new HostPanelOptions { DataDirectory = _directory };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(options);
        services.AddDockerEngine();
        services.AddHostPanelState(options);
        services.AddHostPanelLifecycle(options);
        services.AddHostPanelAccounts(options);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<HostPanelDatabase>().MigrateAsync(Ct);
        return provider;
    }

    private async Task<(int Code, string Output, string Error)> CliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await HostPanelCli.RunAsync(["--data-dir", _directory, .. args], output, error, Ct);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Five entries written by the services as root: an organization, its quota, two invitations, a group.</summary>
    private async Task WriteThroughTheServicesAsync()
    {
        await using var services = await ServicesAsync();
        var organizations = services.GetRequiredService<OrganizationService>();
        var members = services.GetRequiredService<MemberService>();
        await organizations.AddAsync(Callers.Root, "velo", "Atelier vélo", Ct);
        await organizations.SetQuotaAsync(Callers.Root, "velo", 3, null, null, Ct);
        await members.InviteAsync(Callers.Root, "velo", "alice@velo.example.org", OrganizationRole.Administrator, [], Ct);
        await members.InviteAsync(Callers.Root, "velo", "bob@velo.example.org", OrganizationRole.Member, [], Ct);
        await members.AddGroupAsync(Callers.Root, "velo", "bureau", "Le bureau", Ct);
    }

    private async Task SqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    [Fact]
    public async Task TheServicesActionsAreInTheLogInPlainWordsAndVerifyPasses()
    {
        await WriteThroughTheServicesAsync();

        var verify = await CliAsync("audit", "verify");
        Assert.True(verify.Code == 0, verify.ToString());
        Assert.Equal(AuditText.Format("VerifyIntact", 5), verify.Output.Trim());

        var list = JsonDocument.Parse((await CliAsync("audit", "list", "--json")).Output).RootElement;
        Assert.Equal(
            ["group.add", "member.invite", "member.invite", "organization.quota", "organization.add"],
            list.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.All(list.EnumerateArray(), e => Assert.Equal("Succeeded", e.GetProperty("result").GetString()));
        Assert.Equal("bob@velo.example.org", list[1].GetProperty("subject").GetString());
        Assert.Equal("velo", list[1].GetProperty("organization").GetString());
        Assert.Equal("test invited bob@velo.example.org", list[1].GetProperty("words").GetString());

        // The invitation's secret link is never in the log.
        var export = (await CliAsync("audit", "export", "--format", "json")).Output;
        Assert.DoesNotContain(MemberService.InvitationPath, export, StringComparison.Ordinal);

        var limited = JsonDocument.Parse((await CliAsync("audit", "list", "--json", "--limit", "2", "--since", "2000-01-01")).Output).RootElement;
        Assert.Equal([5L, 4L], limited.EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()));
        var future = await CliAsync("audit", "list", "--since", "2999-01-01");
        Assert.Equal(AuditCliWords("NoEntries"), future.Output.Trim());
        var bad = await CliAsync("audit", "list", "--since", "yesterday");
        Assert.Equal(1, bad.Code);
        Assert.Contains("--since", bad.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, long[]> Tamperings() => new()
    {
        { "UPDATE AuditEntries SET Subject = 'mallory@evil.example' WHERE Sequence = 3", nameof(AuditProblem.Edited), [3, 3] },
        { "UPDATE AuditEntries SET Result = 'Refused' WHERE Sequence = 1", nameof(AuditProblem.Edited), [1, 1] },
        { "DELETE FROM AuditEntries WHERE Sequence = 2", nameof(AuditProblem.Removed), [2, 3] },
        {
            """
            CREATE TEMP TABLE Kept AS SELECT * FROM AuditEntries WHERE Id IN (2, 4);
            UPDATE AuditEntries SET Sequence = -Sequence WHERE Id IN (2, 4);
            UPDATE AuditEntries SET (Sequence, At, Actor, OrganizationId, Action, Subject, Result, OperationId, Detail, PreviousHash, Hash) =
              (SELECT Sequence, At, Actor, OrganizationId, Action, Subject, Result, OperationId, Detail, PreviousHash, Hash FROM Kept WHERE Kept.Id = 6 - AuditEntries.Id)
              WHERE Id IN (2, 4);
            """,
            nameof(AuditProblem.Reordered),
            [4, 2, 2]
        },
        { "DELETE FROM AuditEntries WHERE Sequence >= 4", nameof(AuditProblem.NewestRemoved), [4, 5] },
    };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task TamperingWithTheTableIsReportedAtTheFirstBadEntry(string sql, string problem, long[] at)
    {
        var key = problem switch
        {
            nameof(AuditProblem.Edited) => "VerifyEdited",
            nameof(AuditProblem.Removed) => "VerifyGap",
            nameof(AuditProblem.Reordered) => "VerifyReordered",
            _ => "VerifyNewestRemoved",
        };
        var said = AuditText.Format(key, [.. at.Cast<object?>()]);
        await WriteThroughTheServicesAsync();
        Assert.Equal(0, (await CliAsync("audit", "verify")).Code);

        await SqlAsync(sql);
        var verify = await CliAsync("audit", "verify");

        Assert.True(verify.Code == HostPanelCli.ExitUnhealthy, verify.ToString());
        Assert.Equal(said, verify.Error.Trim());
    }

    [Fact]
    public async Task RemovingTheHeadAnchorIsReported()
    {
        await WriteThroughTheServicesAsync();
        File.Delete(Path.Combine(_directory, "audit.head"));

        var verify = await CliAsync("audit", "verify");

        Assert.Equal(HostPanelCli.ExitUnhealthy, verify.Code);
        Assert.Equal(AuditText.Format("VerifyAnchorMissing", 5), verify.Error.Trim());
    }

    [Fact]
    public async Task ExportsCarryEveryFieldAndReadBackTheSame()
    {
        await WriteThroughTheServicesAsync();
        await using (var services = await ServicesAsync())
        {
            await services.GetRequiredService<IAuditStore>().AppendAsync(new AuditRecord
            {
                Actor = "schedule",
                OrganizationId = "velo",
                Action = "app.backup",
                Subject = "cloud, \"the\" one\nsecond line",
                Result = AuditResult.Failed,
                OperationId = Guid.CreateVersion7(),
                Detail = "The backup location is full; earlier backups are intact.",
            }, Ct);
        }

        IReadOnlyList<AuditEntry> chain;
        await using (var services = await ServicesAsync())
        {
            chain = await services.GetRequiredService<IAuditStore>().ChainAsync(Ct);
        }

        var jsonFile = Path.Combine(_directory, "audit.json");
        var csvFile = Path.Combine(_directory, "audit.csv");
        Assert.Equal(0, (await CliAsync("audit", "export", "--format", "json", "-o", jsonFile)).Code);
        Assert.Equal(0, (await CliAsync("audit", "export", "--format", "csv", "-o", csvFile)).Code);

        var json = JsonDocument.Parse(await File.ReadAllTextAsync(jsonFile, Ct)).RootElement.EnumerateArray()
            .Select(e => e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetInt64().ToString(CultureInfo.InvariantCulture) : p.Value.GetString()))
            .ToList();
        var csv = ReadCsv(await File.ReadAllTextAsync(csvFile, Ct));
        var header = csv[0];
        var rows = csv.Skip(1).Select(r => header.Zip(r).ToDictionary(p => p.First, p => p.Second.Length == 0 ? null : p.Second)).ToList();

        Assert.Equal(["sequence", "time", "actor", "organization", "action", "subject", "result", "operationId", "words", "detail", "previousHash", "hash"], header);
        foreach (var exported in new[] { json, rows })
        {
            Assert.Equal(chain.Count, exported.Count);
            for (var i = 0; i < chain.Count; i++)
            {
                var e = chain[i];
                var read = exported[i];
                var back = new AuditEntry(
                    long.Parse(read["sequence"]!, CultureInfo.InvariantCulture),
                    DateTimeOffset.Parse(read["time"]!, CultureInfo.InvariantCulture),
                    read["actor"]!,
                    read["organization"],
                    read["action"]!,
                    read["subject"],
                    Enum.Parse<AuditResult>(read["result"]!),
                    read["operationId"] is { } id ? Guid.Parse(id) : null,
                    read["detail"],
                    read["previousHash"]!,
                    read["hash"]!);
                Assert.Equal(e, back);
                Assert.Equal(AuditService.Words(e), read["words"]);

                // What was read back still hashes to its hash: the export can be checked without HostPanel.
                Assert.Equal(e.Hash, AuditChain.HashOf(back));
            }
        }

        Assert.Equal("cloud, \"the\" one\nsecond line", rows[^1]["subject"]);
        var bad = await CliAsync("audit", "export", "--format", "xml");
        Assert.Equal(1, bad.Code);
        Assert.Contains("--format json", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOrganizationAdministratorReadsOnlyTheirOrganization()
    {
        await WriteThroughTheServicesAsync();
        await using var services = await ServicesAsync();
        await services.GetRequiredService<OrganizationService>().AddAsync(Callers.Root, "edition", "Éditions", Ct);
        await services.GetRequiredService<MemberService>().InviteAsync(Callers.Root, "edition", "carol@edition.example.org", OrganizationRole.Member, [], Ct);
        var audit = services.GetRequiredService<AuditService>();

        var alice = new Caller { Id = "alice-id", Name = "alice@velo.example.org", Roles = new Dictionary<string, OrganizationRole> { ["velo"] = OrganizationRole.Administrator, ["edition"] = OrganizationRole.Member } };
        var seen = await audit.ListAsync(alice, null, ct: Ct);
        Assert.Equal(4, seen.Count);
        Assert.All(seen, l => Assert.Equal("velo", l.Entry.OrganizationId));
        Assert.Equal(4, (await audit.ExportAsync(alice, "velo", ct: Ct)).Count);
        await Assert.ThrowsAsync<AccessDeniedException>(() => audit.ListAsync(alice, "edition", ct: Ct));
        await Assert.ThrowsAsync<AppRequestException>(() => audit.ListAsync(alice, "elsewhere", ct: Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => audit.VerifyAsync(alice, Ct));

        var carol = new Caller { Id = "carol-id", Name = "carol@edition.example.org", Roles = new Dictionary<string, OrganizationRole> { ["edition"] = OrganizationRole.Member } };
        await Assert.ThrowsAsync<AccessDeniedException>(() => audit.ListAsync(carol, null, ct: Ct));

        // The hoster sees everything, the server-wide entries (organizations made) included.
        var all = await audit.ListAsync(Callers.Root, null, ct: Ct);
        Assert.Equal(9, all.Count);

        // Alice's two refused reads are kept: the one on an organization she belongs to under it, the other server-wide.
        Assert.Equal(
            [("access.refused", (string?)null, AuditResult.Refused), ("access.refused", "edition", AuditResult.Refused)],
            all.Take(2).Select(l => (l.Entry.Action, l.Entry.OrganizationId, l.Entry.Result)));
        Assert.All(all.Take(2), l => Assert.Equal(alice.Name, l.Entry.Actor));
        Assert.Contains(all, l => l.Entry.OrganizationId is null && l.Entry.Action == AuditActions.OrganizationAdd && l.Entry.Subject == "edition");
    }

    [Fact]
    public async Task TwoWritersAppendingAtOnceKeepAValidChain()
    {
        // Two providers: two context factories, two connection pools, two anchors, as the panel and the CLI have.
        await using var panel = await ServicesAsync();
        await using var command = await ServicesAsync();
        const int Each = 40;
        async Task WriteAsync(IAuditStore store, string actor)
        {
            for (var i = 0; i < Each; i++)
            {
                await store.AppendAsync(new AuditRecord { Actor = actor, Action = AuditActions.GroupAdd, OrganizationId = "velo", Subject = $"g{i}", Result = AuditResult.Succeeded }, Ct);
            }
        }

        await Task.WhenAll(
            Task.Run(() => WriteAsync(panel.GetRequiredService<IAuditStore>(), "panel"), Ct),
            Task.Run(() => WriteAsync(command.GetRequiredService<IAuditStore>(), "cli"), Ct));

        var store = panel.GetRequiredService<IAuditStore>();
        var chain = await store.ChainAsync(Ct);
        Assert.Equal(Enumerable.Range(1, 2 * Each).Select(i => (long)i), chain.Select(e => e.Sequence));
        Assert.True(AuditVerifier.Verify(chain, await store.AnchorAsync(Ct)).IsIntact);
        Assert.Equal(2 * Each, (await store.AnchorAsync(Ct))!.Sequence);
        Assert.Equal(Each, chain.Count(e => e.Actor == "panel"));
    }

    [Fact]
    public async Task AnActionTheLogCannotTakeIsKeptBesideItAndVerifySaysSo()
    {
        await WriteThroughTheServicesAsync();
        await SqlAsync("ALTER TABLE AuditEntries RENAME TO AuditEntriesAway");
        await using (var services = await ServicesAsync())
        {
            // The action itself goes through: the failed audit write does not undo or hide it.
            await services.GetRequiredService<MemberService>().AddGroupAsync(Callers.Root, "velo", "benevoles", null, Ct);
            Assert.NotNull(await services.GetRequiredService<IGroupStore>().FindAsync("velo", "benevoles", Ct));
        }

        await SqlAsync("ALTER TABLE AuditEntriesAway RENAME TO AuditEntries");
        var verify = await CliAsync("audit", "verify");

        Assert.Equal(0, verify.Code);
        Assert.Equal(AuditText.Format("Unrecorded", 1, Path.Combine(_directory, "audit.unrecorded")), verify.Error.Trim());
        var kept = JsonDocument.Parse(File.ReadAllLines(Path.Combine(_directory, "audit.unrecorded")).Single()).RootElement;
        Assert.Equal("benevoles", kept.GetProperty("record").GetProperty("subject").GetString());
    }

    [Fact]
    public async Task MembersTokensAndRefusalsAreRecordedWithoutSecrets()
    {
        await WriteThroughTheServicesAsync();
        await using var services = await ServicesAsync();
        var members = services.GetRequiredService<MemberService>();
        var invitation = await members.InviteAsync(Callers.Root, "velo", "dana@velo.example.org", OrganizationRole.Member, [], Ct);
        var secret = invitation.Link.Split('/')[^1];
        var dana = await members.AcceptAsync(secret, "Dana", "a long enough password", Ct);
        var asDana = new Caller { Id = dana.Id, Name = dana.Email, Roles = new Dictionary<string, OrganizationRole> { ["velo"] = OrganizationRole.Member } };
        var (token, tokenSecret) = await members.CreateTokenAsync(asDana, "velo", OrganizationRole.Member, "scripts", null, Ct);
        await members.RevokeTokenAsync(asDana, token.Id, Ct);
        await Assert.ThrowsAsync<AccessDeniedException>(() => members.AddGroupAsync(asDana, "velo", "pirates", null, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => members.RecoverAdministratorAsync(asDana, dana.Email, "another long password", Ct));
        await members.SetRoleAsync(Callers.Root, "velo", dana.Email, OrganizationRole.Member, Ct);
        await members.SuspendAsync(Callers.Root, "velo", dana.Email, true, Ct);
        await members.RemoveAsync(Callers.Root, "velo", dana.Email, Ct);

        var chain = await services.GetRequiredService<IAuditStore>().ChainAsync(Ct);
        Assert.Equal(
            [
                ("member.invite", "test", "dana@velo.example.org", AuditResult.Succeeded),
                ("member.join", "dana@velo.example.org", "dana@velo.example.org", AuditResult.Succeeded),
                ("token.create", "dana@velo.example.org", $"scripts ({token.Id})", AuditResult.Succeeded),
                ("token.revoke", "dana@velo.example.org", $"scripts ({token.Id})", AuditResult.Succeeded),
                ("access.refused", "dana@velo.example.org", "organization velo needs Administrator", AuditResult.Refused),
                ("access.refused", "dana@velo.example.org", "admin.recover", AuditResult.Refused),
                ("member.role", "test", "dana@velo.example.org", AuditResult.Succeeded),
                ("member.suspend", "test", "dana@velo.example.org", AuditResult.Succeeded),
                ("member.remove", "test", "dana@velo.example.org", AuditResult.Succeeded),
            ],
            chain.Skip(5).Select(e => (e.Action, e.Actor, e.Subject!, e.Result)));
        Assert.True(AuditVerifier.Verify(chain, await services.GetRequiredService<IAuditStore>().AnchorAsync(Ct)).IsIntact);

        // Neither the invitation's secret, nor the token's, nor a password is anywhere in the log.
        var everything = string.Join("\n", chain.Select(e => string.Join("|", e.Actor, e.Subject, e.Detail)));
        Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(tokenSecret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("password", everything, StringComparison.OrdinalIgnoreCase);

        // Finished operations are recorded by an observer the runner calls.
        Assert.Contains(services.GetServices<HostPanel.Core.Operations.IOperationObserver>(), o => o is AuditObserver);
    }

    private static string AuditCliWords(string key) => HostPanel.Cli.Handover.AuditCliText.Get(key);

    /// <summary>A strict RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    private static List<List<string>> ReadCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                Assert.False(c is '\r' or '\n', "A line break outside quotes must be CRLF ending a record.");
                field.Append(c);
            }
        }

        Assert.Empty(row);
        return rows;
    }
}
