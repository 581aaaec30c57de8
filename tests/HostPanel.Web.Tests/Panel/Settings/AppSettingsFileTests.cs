using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using HostPanel.Infrastructure.Configuration;

namespace HostPanel.Web.Tests.Panel.Settings;

[SupportedOSPlatform("linux")]
public sealed class AppSettingsFileTests : IDisposable
{
    private readonly TempDataDirectory _data = new();

    private string SettingsPath => Path.Combine(_data.Path, "appsettings.json");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Changes_only_the_keys_asked_for_and_keeps_the_others_in_their_order()
    {
        await File.WriteAllTextAsync(SettingsPath, """
            {
              "ProxyAdminSocket": "/run/hostpanel/caddy-admin.sock",
              "AcmeDirectory": "https://acme-v02.api.letsencrypt.org/directory",
              "PanelUrl": "https://panel.velo.example",
              "Logging": { "LogLevel": { "Default": "Warning" } }
            }
            """, Ct);

        await AppSettingsFile.UpdateAsync(SettingsPath, new Dictionary<string, string?> { ["AcmeDirectory"] = "https://acme.example/dir", ["AcmeContactEmail"] = "tech@velo.example" }, Ct);

        var saved = JsonNode.Parse(await File.ReadAllTextAsync(SettingsPath, Ct))!.AsObject();
        Assert.Equal(["ProxyAdminSocket", "AcmeDirectory", "PanelUrl", "Logging", "AcmeContactEmail"], saved.Select(p => p.Key));
        Assert.Equal("/run/hostpanel/caddy-admin.sock", (string?)saved["ProxyAdminSocket"]);
        Assert.Equal("https://panel.velo.example", (string?)saved["PanelUrl"]);
        Assert.Equal("Warning", (string?)saved["Logging"]!["LogLevel"]!["Default"]);
        Assert.Equal("https://acme.example/dir", (string?)saved["AcmeDirectory"]);
        Assert.Equal("tech@velo.example", (string?)saved["AcmeContactEmail"]);
    }

    [Fact]
    public async Task A_null_value_removes_the_key_and_a_key_in_another_case_is_replaced_where_it_stands()
    {
        await File.WriteAllTextAsync(SettingsPath, """{ "acmecontactemail": "old@velo.example", "acmeDirectory": "https://old.example/dir", "Urls": "http://127.0.0.1:8080" }""", Ct);

        await AppSettingsFile.UpdateAsync(SettingsPath, new Dictionary<string, string?> { ["AcmeContactEmail"] = null, ["AcmeDirectory"] = "https://new.example/dir" }, Ct);

        var saved = JsonNode.Parse(await File.ReadAllTextAsync(SettingsPath, Ct))!.AsObject();
        Assert.Equal(["acmeDirectory", "Urls"], saved.Select(p => p.Key));
        Assert.Equal("https://new.example/dir", (string?)saved["acmeDirectory"]);
        var read = await AppSettingsFile.ReadAsync(SettingsPath, ["AcmeDirectory", "AcmeContactEmail"], Ct);
        Assert.Equal("https://new.example/dir", read["AcmeDirectory"]);
        Assert.False(read.ContainsKey("AcmeContactEmail"));
    }

    [Fact]
    public async Task Creates_the_file_for_its_owner_only_and_makes_an_open_one_owner_only_too()
    {
        await AppSettingsFile.UpdateAsync(SettingsPath, new Dictionary<string, string?> { ["AcmeDirectory"] = "https://acme.example/dir" }, Ct);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SettingsPath));

        File.SetUnixFileMode(SettingsPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await AppSettingsFile.UpdateAsync(SettingsPath, new Dictionary<string, string?> { ["AcmeContactEmail"] = "tech@velo.example" }, Ct);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SettingsPath));
    }

    [Fact]
    public async Task Replaces_the_file_whole_so_a_reader_sees_the_old_one_or_the_new_one_never_half()
    {
        const string before = """{ "PanelUrl": "https://panel.velo.example" }""";
        await File.WriteAllTextAsync(SettingsPath, before, Ct);
        using var reader = new FileStream(SettingsPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        await AppSettingsFile.UpdateAsync(SettingsPath, new Dictionary<string, string?> { ["AcmeDirectory"] = "https://acme.example/dir" }, Ct);

        // A file rewritten in place would show its new bytes through the handle opened before.
        using (var old = new StreamReader(reader))
        {
            Assert.Equal(before, await old.ReadToEndAsync(Ct));
        }

        Assert.Contains("https://acme.example/dir", await File.ReadAllTextAsync(SettingsPath, Ct), StringComparison.Ordinal);
        Assert.Equal(["appsettings.json"], Directory.GetFiles(_data.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_file_that_is_not_a_json_object_is_left_untouched()
    {
        const string broken = """{ "PanelUrl": "https://panel.velo.example", """;
        await File.WriteAllTextAsync(SettingsPath, broken, Ct);

        await Assert.ThrowsAsync<InvalidDataException>(() => AppSettingsFile.UpdateAsync(SettingsPath, new Dictionary<string, string?> { ["AcmeDirectory"] = "https://acme.example/dir" }, Ct));

        Assert.Equal(broken, await File.ReadAllTextAsync(SettingsPath, Ct));
        Assert.Equal(["appsettings.json"], Directory.GetFiles(_data.Path).Select(Path.GetFileName));
    }
}
