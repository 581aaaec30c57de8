using HostPanel.Core.Handover;

namespace HostPanel.Core.Tests.Handover;

public sealed class RunbookMarkdownTests
{
    private static RunbookDocument Document(params RunbookBlock[] blocks) =>
        new("Carnet", DateTimeOffset.UnixEpoch, RunbookScope.Organization, "velo", "fr", [new RunbookSection("summary", "Résumé", blocks)]);

    [Fact]
    public void Writes_title_sections_tables_lists_and_commands()
    {
        var markdown = RunbookMarkdown.Render(Document(
            new RunbookSubheading("Une app"),
            new RunbookParagraph("Texte."),
            new RunbookTable("Quoi", "Valeur", [new RunbookRow("Adresse", "https://a.example.org")]),
            new RunbookList(["un", "deux"]),
            new RunbookCommands(["restic snapshots --tag hostpanel,part=main", "echo \"$HOME\""])));

        Assert.Equal(
            "# Carnet\n\n## Résumé\n\n### Une app\n\nTexte.\n\n| Quoi | Valeur |\n| --- | --- |\n| Adresse | https://a.example.org |\n\n- un\n- deux\n\n"
            + "```sh\nrestic snapshots --tag hostpanel,part=main\necho \"$HOME\"\n```\n\n",
            markdown);
    }

    [Theory]
    [InlineData("**gras** <script>", "\\*\\*gras\\*\\* \\<script\\>")]
    [InlineData("a | b", "a \\| b")]
    [InlineData("# titre", "\\# titre")]
    [InlineData("- liste", "\\- liste")]
    [InlineData("1. liste", "1\\. liste")]
    [InlineData("[lien](https://x)", "\\[lien\\](https://x)")]
    [InlineData("deux\nlignes", "deux lignes")]
    [InlineData("    code", "code")]
    [InlineData("&amp;", "\\&amp;")]
    public void Text_from_the_state_never_becomes_markup(string text, string expected) =>
        Assert.Equal(expected, RunbookMarkdown.Escape(text));

    [Fact]
    public void A_command_with_backticks_gets_a_longer_fence()
    {
        var markdown = RunbookMarkdown.Render(Document(new RunbookCommands(["echo ```x```"])));

        Assert.Contains("````sh\necho ```x```\n````\n", markdown, StringComparison.Ordinal);
    }
}
