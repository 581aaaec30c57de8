using Bunit;
using HostPanel.Core.Engine;

namespace HostPanel.Web.Tests.Panel.AppPage;

public sealed class AppLogsTests : AppPageContext
{
    [Fact]
    public async Task The_last_lines_of_the_first_service_are_shown_as_text()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        await AddAppAsync();
        Engine.Add("notes", "web");
        Engine.Logs["notes-web"] =
        [
            new LogLine(LogStream.Stdout, "listening on :8080", null),
            new LogLine(LogStream.Stderr, "<b>not bold</b> <script>alert(1)</script>", null),
        ];

        var page = RenderApp();

        page.WaitForAssertion(() => Assert.Contains("listening on :8080", page.Find("#app-logs-output").TextContent, StringComparison.Ordinal));
        var output = page.Find("#app-logs-output");
        Assert.Contains("<b>not bold</b> <script>alert(1)</script>", output.TextContent, StringComparison.Ordinal);
        Assert.Empty(output.QuerySelectorAll("b, script"));
        Assert.Contains("&lt;b&gt;not bold&lt;/b&gt;", output.InnerHtml, StringComparison.Ordinal);
        Assert.Equal("Dernières lignes du service web : 2.", page.Find("#app-logs-state").TextContent.Trim());
    }

    [Fact]
    public async Task Only_the_asked_number_of_last_lines_is_read()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        await AddAppAsync();
        Engine.Add("notes", "db");
        Engine.Add("notes", "web");
        Engine.Logs["notes-web"] = [.. Enumerable.Range(1, 250).Select(i => new LogLine(LogStream.Stdout, $"line {i}", null))];
        Engine.Logs["notes-db"] = [new LogLine(LogStream.Stdout, "database ready", null)];
        var page = RenderApp();
        page.WaitForAssertion(() => Assert.Contains("database ready", page.Find("#app-logs-output").TextContent, StringComparison.Ordinal));

        await page.Find("#app-logs-service").ChangeAsync(new() { Value = "web" });

        page.WaitForAssertion(() => Assert.Contains("line 250", page.Find("#app-logs-output").TextContent, StringComparison.Ordinal));
        var lines = page.Find("#app-logs-output").TextContent.Split('\n');
        Assert.Equal(200, lines.Length);
        Assert.Equal("line 51", lines[0]);

        await page.Find("#app-logs-tail").ChangeAsync(new() { Value = "3" });
        await page.Find("#app-logs-show").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal(["line 248", "line 249", "line 250"], page.Find("#app-logs-output").TextContent.Split('\n')));
    }

    [Fact]
    public async Task Following_a_service_that_stops_says_the_following_ended()
    {
        UseCulture("fr");
        await SignInAsync("alice@asso.example");
        await AddAppAsync();
        Engine.Add("notes", "web");
        Engine.Logs["notes-web"] = [new LogLine(LogStream.Stdout, "last words", null)];
        var page = RenderApp();
        page.WaitForAssertion(() => Assert.StartsWith("Dernières lignes", page.Find("#app-logs-state").TextContent.Trim(), StringComparison.Ordinal));

        await page.Find("#app-logs-follow").ChangeAsync(new() { Value = true });

        page.WaitForAssertion(() => Assert.Equal("Le service web s'est arrêté : le suivi est terminé.", page.Find("#app-logs-state").TextContent.Trim()));
        Assert.Equal("last words", page.Find("#app-logs-output").TextContent);
        Assert.False(page.Find("#app-logs-follow").HasAttribute("checked"));
    }

    [Fact]
    public async Task Without_a_running_service_there_is_nothing_to_read_and_it_says_so()
    {
        UseCulture("en");
        await SignInAsync("alice@asso.example");
        await AddAppAsync();

        var page = RenderApp();

        Assert.Equal("No service runs: there is no log to read.", page.Find("#app-logs-none").TextContent.Trim());
    }
}
