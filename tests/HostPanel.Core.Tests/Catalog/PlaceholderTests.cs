using HostPanel.Core.Catalog.Model;

namespace HostPanel.Core.Tests.Catalog;

public class PlaceholderTests
{
    [Fact]
    public void FindsEveryPlaceholder()
    {
        var (found, error) = Placeholders.Parse("https://${domain}/x?a=${secrets.vapid.public}&b=${q.name}");

        Assert.Null(error);
        Assert.Equal(["domain", "secrets.vapid.public", "q.name"], found.Select(p => p.Expression));
    }

    [Fact]
    public void DoubleDollarIsALiteral()
    {
        var (found, error) = Placeholders.Parse("$${HOME} and ${domain}");

        Assert.Null(error);
        Assert.Equal("domain", Assert.Single(found).Expression);
        Assert.Equal("${HOME} and cloud.example", Placeholders.Render("$${HOME} and ${domain}", e => e == "domain" ? "cloud.example" : null));
    }

    [Theory]
    [InlineData("${domain")]
    [InlineData("${}")]
    [InlineData("${a b}")]
    [InlineData("${$(rm -rf /)}")]
    public void BrokenTemplatesAreReportedNotThrown(string text)
    {
        var (_, error) = Placeholders.Parse(text);

        Assert.NotNull(error);
    }

    [Fact]
    public void RenderRefusesAnUnknownPlaceholder()
    {
        Assert.Throws<KeyNotFoundException>(() => Placeholders.Render("${nope}", _ => null));
    }

    [Fact]
    public void TextWithoutPlaceholdersIsUnchanged()
    {
        Assert.Equal("plain $ text {x}", Placeholders.Render("plain $ text {x}", _ => null));
    }
}
