using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Bunit;
using HostPanel.Core.Accounts;
using HostPanel.Core.Handover;
using HostPanel.Core.Organizations;
using HostPanel.Infrastructure.Data;
using HostPanel.Web.Panel.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace HostPanel.Web.Tests.Panel.Audit;

/// <summary>The audit log page at /audit and its export at /audit/export, on the real audit service and SQLite.</summary>
public sealed class AuditPageTests : PanelPageContext
{
    private static readonly Guid InstallOperation = Guid.Parse("0197a3c2-1111-7000-8000-000000000001");

    public AuditPageTests()
    {
        UseCulture("fr");
    }

    /// <summary>Two organizations' actions and a server-wide one, oldest first.</summary>
    private async Task RecordAsync()
    {
        var organizations = Get<IOrganizationStore>();
        if (await organizations.FindAsync("lac", Ct) is null)
        {
            await organizations.AddAsync(new Organization("lac", "Éditions du Lac", DateTimeOffset.UtcNow), Ct);
        }

        var log = Get<IAuditLog>();
        await log.RecordAsync(new AuditRecord { Actor = "root", Action = AuditActions.OrganizationAdd, Subject = "velo", Result = AuditResult.Succeeded }, Ct);
        await log.RecordAsync(new AuditRecord { Actor = "marie@velo.example.org", OrganizationId = "velo", Action = "app.install", Subject = "notes-velo", Result = AuditResult.Succeeded, OperationId = InstallOperation }, Ct);
        await log.RecordAsync(new AuditRecord { Actor = "eve@lac.example.org", OrganizationId = "lac", Action = "app.install", Subject = "wiki-lac", Result = AuditResult.Succeeded }, Ct);
        await log.RecordAsync(new AuditRecord { Actor = "paul@velo.example.org", OrganizationId = "velo", Action = "app.remove", Subject = "notes-velo", Result = AuditResult.Refused, Detail = "Paul n'administre pas velo." }, Ct);
    }

    [Fact]
    public async Task An_administrator_reads_the_organization_s_entries_in_words_newest_first()
    {
        await SignInAsync("marie@velo.example.org", OrganizationRole.Administrator, "velo");
        await RecordAsync();

        var page = Render<AuditPage>();
        page.WaitForElement("#audit-table");

        var rows = page.FindAll("#audit-table tbody tr");
        Assert.Equal(["4", "2"], rows.Select(r => r.GetAttribute("data-sequence")));
        Assert.Contains("marie@velo.example.org a installé notes-velo", rows[1].QuerySelector(".audit-what")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("paul@velo.example.org", rows[0].QuerySelector(".audit-who")!.TextContent);
        Assert.Equal("Paul n'administre pas velo.", rows[0].QuerySelector(".audit-detail")!.TextContent);
        Assert.Equal("refusé", rows[0].QuerySelector(".audit-result .hp-badge")!.TextContent);
        Assert.Equal("réussi", rows[1].QuerySelector(".audit-result .hp-badge")!.TextContent);
        Assert.Equal($"/operations/{InstallOperation}", rows[1].QuerySelector(".audit-operation a")!.GetAttribute("href"));
        Assert.Empty(rows[0].QuerySelectorAll(".audit-operation a"));
        Assert.DoesNotContain("wiki-lac", page.Find("#audit-table").TextContent, StringComparison.Ordinal);
        Assert.Contains("2 entrée(s)", page.Find("#audit-count").TextContent, StringComparison.Ordinal);

        // Export links carry the organization and the period shown (the last 30 days by default).
        var json = page.Find("#audit-export-json").GetAttribute("href")!;
        Assert.StartsWith(AuditEndpoints.ExportPath + "?format=json&org=velo&since=", json, StringComparison.Ordinal);
        Assert.StartsWith(AuditEndpoints.ExportPath + "?format=csv&org=velo&since=", page.Find("#audit-export-csv").GetAttribute("href")!, StringComparison.Ordinal);

        // A download, not a page: the panel's navigation leaves links marked so to the browser.
        Assert.True(page.Find("#audit-export-json").HasAttribute("download"));

        // An organization's administrator does not check the whole server's chain.
        Assert.Empty(page.FindAll("#audit-verify"));
    }

    [Fact]
    public async Task Speaks_english()
    {
        UseCulture("en");
        await SignInAsync("marie@velo.example.org", OrganizationRole.Administrator, "velo");
        await RecordAsync();

        var page = Render<AuditPage>();
        page.WaitForElement("#audit-table");

        Assert.Equal("Audit log", page.Find("h1").TextContent);
        var rows = page.FindAll("#audit-table tbody tr");
        Assert.Contains("marie@velo.example.org installed notes-velo", rows[1].QuerySelector(".audit-what")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("refused", rows[0].QuerySelector(".audit-result .hp-badge")!.TextContent);
        Assert.Equal("Export (CSV)", page.Find("#audit-export-csv").TextContent.Trim());
        Assert.Equal("What happened", page.FindAll("#audit-table th")[2].TextContent);
    }

    [Fact]
    public async Task The_period_filters_the_entries_and_the_export_follows()
    {
        await SignInAsync("marie@velo.example.org", OrganizationRole.Administrator, "velo");
        await RecordAsync();

        var page = Render<AuditPage>();
        page.WaitForElement("#audit-table");
        await page.InvokeAsync(() => page.Find("#audit-period").Change("0"));

        page.WaitForAssertion(() => Assert.Equal(AuditEndpoints.ExportUrl("json", "velo"), page.Find("#audit-export-json").GetAttribute("href")));
        Assert.Equal(2, page.FindAll("#audit-table tbody tr").Count);

        // Entries written today are within the last 7 days; none is older.
        await page.InvokeAsync(() => page.Find("#audit-period").Change("7"));
        page.WaitForAssertion(() => Assert.Contains("&since=", page.Find("#audit-export-json").GetAttribute("href"), StringComparison.Ordinal));
        Assert.Equal(2, page.FindAll("#audit-table tbody tr").Count);
    }

    [Theory]
    [InlineData("fr", "Le journal d'audit est réservé aux administratrices et administrateurs de l'organisation.")]
    [InlineData("en", "The audit log is for the organization's administrators.")]
    public async Task A_member_is_told_it_is_for_administrators(string culture, string said)
    {
        UseCulture(culture);
        await SignInAsync("paul@velo.example.org", OrganizationRole.Member, "velo");
        await RecordAsync();

        var page = Render<AuditPage>();
        page.WaitForElement("#audit-problem");

        Assert.Contains(said, page.Find("#audit-problem").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#audit-table"));
        Assert.Empty(page.FindAll("#audit-export-json"));
    }

    [Fact]
    public async Task A_hoster_reads_the_whole_server_and_checks_the_chain_intact_then_edited()
    {
        await SignInAsync("root@example.org", OrganizationRole.Administrator, "velo", hoster: true);
        await RecordAsync();

        // The hoster first sees the organization shown (the default one, with no entry), then picks the whole server.
        var page = Render<AuditPage>();
        page.WaitForElement("#audit-none");
        await page.InvokeAsync(() => page.Find("#audit-scope-server").Click());
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("#audit-table tbody tr").Count));
        Assert.Equal("tout le serveur", page.Find("#audit-table tr[data-sequence='1'] .audit-org").TextContent);
        Assert.Equal("lac", page.Find("#audit-table tr[data-sequence='3'] .audit-org").TextContent);
        Assert.StartsWith(AuditEndpoints.ExportPath + "?format=json&since=", page.Find("#audit-export-json").GetAttribute("href")!, StringComparison.Ordinal);

        await page.InvokeAsync(() => page.Find("#audit-verify").Click());
        page.WaitForAssertion(() => Assert.Contains("Journal d'audit intact : 4 entrées", page.Find("#audit-verdict").TextContent, StringComparison.Ordinal));
        Assert.Equal("true", page.Find("#audit-verdict [data-intact]").GetAttribute("data-intact"));

        await using (var db = await Get<IDbContextFactory<HostPanelDbContext>>().CreateDbContextAsync(Ct))
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE AuditEntries SET Subject = 'mallory' WHERE Sequence = 3", Ct);
        }

        await page.InvokeAsync(() => page.Find("#audit-verify").Click());
        page.WaitForAssertion(() => Assert.Contains("L'entrée 3 (ligne 3) a été modifiée", page.Find("#audit-verdict").TextContent, StringComparison.Ordinal));
        Assert.Equal("false", page.Find("#audit-verdict [data-intact]").GetAttribute("data-intact"));
    }

    [Fact]
    public async Task The_export_gives_an_organization_s_administrator_only_that_organization_s_entries()
    {
        var marie = await SignInAsync("marie@velo.example.org", OrganizationRole.Administrator, "velo");
        await RecordAsync();

        var (status, type, body) = await ExportAsync(marie, "json", org: null);

        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.StartsWith("application/json", type, StringComparison.Ordinal);
        var entries = JsonDocument.Parse(body).RootElement.EnumerateArray().ToList();
        Assert.Equal([2L, 4L], entries.Select(e => e.GetProperty("sequence").GetInt64()));
        Assert.All(entries, e => Assert.Equal("velo", e.GetProperty("organization").GetString()));
        Assert.Equal("marie@velo.example.org a installé notes-velo", entries[0].GetProperty("words").GetString());
        Assert.DoesNotContain("wiki-lac", body, StringComparison.Ordinal);

        var (csvStatus, csvType, csv) = await ExportAsync(marie, "csv", org: "velo");
        Assert.Equal(StatusCodes.Status200OK, csvStatus);
        Assert.StartsWith("text/csv", csvType, StringComparison.Ordinal);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', AuditExport.Columns), lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("2,", lines[1], StringComparison.Ordinal);

        // Another organization's entries, asked for by name: refused in words, as if it did not exist.
        var (otherStatus, _, other) = await ExportAsync(marie, "json", org: "lac");
        Assert.Equal(StatusCodes.Status404NotFound, otherStatus);
        Assert.Contains("velo", other, StringComparison.Ordinal);
        Assert.DoesNotContain("wiki-lac", other, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_export_refuses_members_and_bad_requests_and_gives_hosters_everything()
    {
        var paul = await SignInAsync("paul@velo.example.org", OrganizationRole.Member, "velo");
        var root = await SignInAsync("root@example.org", null, hoster: true);
        await RecordAsync();

        var (memberStatus, _, memberBody) = await ExportAsync(paul, "json", org: null);
        Assert.Equal(StatusCodes.Status403Forbidden, memberStatus);
        Assert.DoesNotContain("notes-velo", memberBody, StringComparison.Ordinal);
        Assert.Equal(StatusCodes.Status403Forbidden, (await ExportAsync(paul, "json", org: "velo")).Status);

        var (badStatus, _, bad) = await ExportAsync(root, "xml", org: null);
        Assert.Equal(StatusCodes.Status400BadRequest, badStatus);
        Assert.Contains("format=json", bad, StringComparison.Ordinal);
        var (sinceStatus, _, since) = await ExportAsync(root, "json", org: null, since: "hier");
        Assert.Equal(StatusCodes.Status400BadRequest, sinceStatus);
        Assert.Contains("« hier » n'est pas une date", since, StringComparison.Ordinal);

        // Every entry, the member's refused attempts included (the audit log records them).
        var (status, _, body) = await ExportAsync(root, "json", org: null);
        Assert.Equal(StatusCodes.Status200OK, status);
        var entries = JsonDocument.Parse(body).RootElement.EnumerateArray().ToList();
        Assert.Equal([1L, 2L, 3L, 4L], entries.Take(4).Select(e => e.GetProperty("sequence").GetInt64()));
        Assert.Contains(entries.Skip(4), e => e.GetProperty("actor").GetString() == "paul@velo.example.org" && e.GetProperty("result").GetString() == "Refused");
        var (_, _, tomorrow) = await ExportAsync(root, "json", org: null, since: DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(JsonDocument.Parse(tomorrow).RootElement.EnumerateArray());
    }

    /// <summary>GET /audit/export as <paramref name="who"/>: the handler the endpoint maps, its answer written as it would be to the browser.</summary>
    private async Task<(int Status, string ContentType, string Body)> ExportAsync(Caller who, string format, string? org, string? since = null)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, who.Id)], "test"));
        var body = new MemoryStream();
        context.Response.Body = body;

        var result = await AuditEndpoints.ExportAsync(context, format, org, since, Get<CallerResolver>(), Get<AuditService>(), Get<IStringLocalizer<AuditPageText>>(), Ct);
        await result.ExecuteAsync(context);

        return (context.Response.StatusCode, context.Response.ContentType ?? "", Encoding.UTF8.GetString(body.ToArray()));
    }
}
