using System.Globalization;

namespace HostPanel.Cli.Tests.Handover;

/// <summary>`hostpanel runbook` refuses what it cannot do before reading any state.</summary>
public sealed class RunbookCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var ui = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var code = await HostPanelCli.RunAsync(args, output, error, Ct);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            CultureInfo.CurrentUICulture = ui;
        }
    }

    [Fact]
    public async Task A_pdf_needs_a_file()
    {
        var data = Directory.CreateTempSubdirectory("hp-runbook-cli-");
        try
        {
            var (code, output, error) = await RunAsync("runbook", "--format", "pdf", "--data-dir", data.FullName);

            Assert.Equal(1, code);
            Assert.Equal(string.Empty, output);
            Assert.Contains("-o", error, StringComparison.Ordinal);
            Assert.Empty(data.EnumerateFileSystemInfos());
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_unknown_format_is_refused_with_the_ones_there_are()
    {
        var (code, _, error) = await RunAsync("runbook", "--format", "docx");

        Assert.Equal(1, code);
        Assert.Contains("\"docx\" is not a runbook format: give --format md, html or pdf.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Its_help_names_the_options()
    {
        var (code, output, _) = await RunAsync("runbook", "--help");

        Assert.Equal(0, code);
        Assert.Contains("--org", output, StringComparison.Ordinal);
        Assert.Contains("--format", output, StringComparison.Ordinal);
        Assert.Contains("-o, --output", output, StringComparison.Ordinal);
    }
}
