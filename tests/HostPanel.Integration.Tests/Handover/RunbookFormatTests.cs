using System.Diagnostics;
using System.Globalization;
using System.Text;
using HostPanel.Core.Apps;
using HostPanel.Core.Backups;
using HostPanel.Core.Handover;
using HostPanel.Core.Secrets;
using HostPanel.Infrastructure.Handover;
using HostPanel.Core.Configuration;
using HostPanel.Core.Organizations;
using HostPanel.Infrastructure.Accounts;
using HostPanel.Infrastructure.Apps;
using HostPanel.Infrastructure.Data;
using HostPanel.Infrastructure.Docker;
using HostPanel.Infrastructure.State;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Integration.Tests.Handover;

/// <summary>
/// The runbook in its three formats, from HostPanel's real state (SQLite in a scratch data
/// directory, an app recorded but no engine to ask: these tests need no test world): the same
/// sections everywhere, a PDF that poppler reads, and no secret in any of them.
/// </summary>
public sealed class RunbookFormatTests : IAsyncDisposable
{
    private const string RepositoryPassword = "Known-repository-password-7QpZ";
    private const string AnswerPassword = "Known-answer-password-9XkW";
    private const string AppSecret = "Known-app-secret-4MtR";

    private readonly string _data = Directory.CreateTempSubdirectory("hp-runbook-").FullName;
    private readonly HandoverState _handover = new();
    private ServiceProvider? _services;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        Directory.Delete(_data, recursive: true);
    }

    private async Task<RunbookDocument> BuildAsync(string language)
    {
        if (_services is null)
        {
            var options = new HostPanelOptions
            {
                DataDirectory = _data,
                CatalogDirectory = RepositoryPaths.TestCatalog(1),
                PublicAddresses = "203.0.113.5",
                PanelUrl = "https://panel.example.org",
            };
            var collection = new ServiceCollection();
            collection.AddSingleton<IRecoveryKitState>(_handover);
            collection.AddSingleton<IExternalAccounts>(_handover);
            collection.AddSingleton<IBusFactorChecks>(_handover);
            collection.AddLogging();
            collection.AddSingleton(options);
            collection.AddDockerEngine();
            collection.AddHostPanelState(options);
            collection.AddHostPanelLifecycle(options);
            collection.AddHostPanelAccounts(options);
            collection.AddSingleton(UnreachableEngine.Create());
            _services = collection.BuildServiceProvider();
            await _services.GetRequiredService<HostPanelDatabase>().MigrateAsync(Ct);
        }

        var secrets = _services.GetRequiredService<ISecretStore>();
        var instances = _services.GetRequiredService<IInstanceStore>();
        await secrets.SetAsync(BackupRepositories.SecretOwner("default"), BackupRepositories.PasswordName, RepositoryPassword, Ct);
        if (await instances.FindAsync("notes-asso", Ct) is null)
        {
            await _services.GetRequiredService<IOrganizationStore>().EnsureDefaultAsync(Ct);
            await instances.AddAsync(new AppInstance
            {
                Name = "notes-asso",
                OrganizationId = "default",
                AppId = "notes",
                Version = "1",
                Domain = "notes.example.org",
                State = InstanceState.Stopped,
                Answers = new Dictionary<string, string> { ["admin_password"] = AnswerPassword },
                CreatedAt = DateTimeOffset.UtcNow,
                UpdatedAt = DateTimeOffset.UtcNow,
            }, Ct);
            await secrets.SetAsync("notes-asso", "secrets.db", AppSecret, Ct);
        }

        _handover.Kit = new RecoveryKitSummary(Guid.NewGuid(), DateTimeOffset.UtcNow.AddDays(-2), 2, ["marie", "paul", "lea"], true, null);
        _handover.Accounts.Clear();
        _handover.Accounts.Add(new ExternalAccount(Guid.NewGuid(), "default", "Nom de domaine", "Gandi", "https://admin.gandi.net", ["marie"], null, DateTimeOffset.UtcNow));

        var ui = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
        try
        {
            return await _services.GetRequiredService<RunbookService>().BuildAsync(Callers.Root, "default", Ct);
        }
        finally
        {
            CultureInfo.CurrentUICulture = ui;
        }
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("en")]
    public async Task Markdown_html_and_pdf_have_the_same_sections(string language)
    {
        var document = await BuildAsync(language);
        var markdown = Text(RunbookFiles.Render(document, RunbookFormat.Markdown));
        var html = Text(RunbookFiles.Render(document, RunbookFormat.Html));
        var pdf = RunbookFiles.Render(document, RunbookFormat.Pdf);
        var pdfFile = Path.Combine(_data, "runbook.pdf");
        await File.WriteAllBytesAsync(pdfFile, pdf.Content, Ct);

        var info = await PopplerAsync("pdfinfo", pdfFile);
        Assert.Matches($@"(?m)^Title:\s+{System.Text.RegularExpressions.Regex.Escape(document.Title)}$", info);
        Assert.Matches(@"Pages:\s+[1-9]", info);
        var pdfText = await PopplerAsync("pdftotext", pdfFile, "-");
        var pdfLines = pdfText.Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(RunbookSections.All, document.Sections.Select(s => s.Id));
        foreach (var section in document.Sections)
        {
            Assert.Contains($"\n## {section.Heading}\n", markdown, StringComparison.Ordinal);
            Assert.Contains($"<h2 id=\"{section.Id}\">", html, StringComparison.Ordinal);
            Assert.Contains(section.Heading, pdfLines);
        }

        Assert.Equal(document.Sections.Count, CountOf("\n## ", markdown));
        Assert.Equal(document.Sections.Count, CountOf("<h2 ", html));
        Assert.Contains($"<html lang=\"{language}\">", html, StringComparison.Ordinal);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
        Assert.Equal("application/pdf", pdf.ContentType);
        Assert.StartsWith("runbook-default-", pdf.FileName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_secret_appears_in_any_format()
    {
        var document = await BuildAsync("fr");
        var pdfFile = Path.Combine(_data, "secret-check.pdf");
        await File.WriteAllBytesAsync(pdfFile, RunbookFiles.Render(document, RunbookFormat.Pdf).Content, Ct);
        var formats = new Dictionary<string, string>
        {
            ["md"] = Text(RunbookFiles.Render(document, RunbookFormat.Markdown)),
            ["html"] = Text(RunbookFiles.Render(document, RunbookFormat.Html)),
            ["pdf"] = await PopplerAsync("pdftotext", pdfFile, "-"),
        };

        foreach (var (format, text) in formats)
        {
            // The runbook is about this state: the app and its backup place are there…
            Assert.True(text.Contains("notes-asso", StringComparison.Ordinal), $"{format} does not name the app");
            Assert.True(text.Contains(Path.Combine(_data, "backups", "default"), StringComparison.Ordinal), $"{format} does not say where the backups are");

            // …and none of its secrets.
            foreach (var secret in new[] { RepositoryPassword, AnswerPassword, AppSecret })
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{format} shows the secret {secret}");
            }
        }
    }

    [Fact]
    public void A_missing_font_names_the_package_to_install()
    {
        var document = new RunbookDocument("T", DateTimeOffset.UnixEpoch, RunbookScope.Server, null, "fr", []);

        var e = Assert.Throws<RunbookFontsMissingException>(() => RunbookPdf.Render(document, "/nonexistent/fonts"));

        Assert.Contains(DejaVuFontResolver.Package, e.Message, StringComparison.Ordinal);
    }

    private static string Text(RunbookFile file) => Encoding.UTF8.GetString(file.Content);

    private static int CountOf(string needle, string text)
    {
        var count = 0;
        for (var i = text.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = text.IndexOf(needle, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async Task<string> PopplerAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start (package poppler-utils)");
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"{tool} failed ({process.ExitCode}): {await error}");
        return await output;
    }
}
