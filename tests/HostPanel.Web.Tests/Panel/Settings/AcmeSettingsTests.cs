using System.Globalization;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Configuration;
using HostPanel.Web.Localization;
using HostPanel.Web.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace HostPanel.Web.Tests.Panel.Settings;

public sealed class AcmeSettingsTests : IDisposable
{
    private static readonly Caller Hoster = Caller.Server("root");

    private readonly TempDataDirectory _data = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddHostPanelLocalization().BuildServiceProvider();
    private readonly HostPanelOptions _options;
    private readonly AcmeSettings _settings;

    public AcmeSettingsTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fr");
        _options = new HostPanelOptions { DataDirectory = _data.Path };
        _settings = new AcmeSettings(_options, _services.GetRequiredService<IStringLocalizer<SettingsText>>()) { Environment = _ => null };
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _services.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task A_bad_contact_address_is_refused_naming_the_field_and_nothing_is_written()
    {
        var refusal = await Assert.ThrowsAsync<AppRequestException>(() => _settings.SaveAsync(Hoster, "tech at velo", HostPanelOptions.LetsEncrypt, Ct));

        Assert.Equal(AcmeSettings.EmailField, refusal.Field);
        Assert.Contains("(Adresse de contact (facultative))", refusal.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_options.SettingsFile));
    }

    [Theory]
    [InlineData("http://acme.velo.example/directory")]
    [InlineData("acme.velo.example/directory")]
    [InlineData("https://user:secret@acme.velo.example/directory")]
    [InlineData("")]
    public async Task A_directory_that_is_not_a_plain_https_address_is_refused_naming_the_field(string directory)
    {
        var refusal = await Assert.ThrowsAsync<AppRequestException>(() => _settings.SaveAsync(Hoster, null, directory, Ct));

        Assert.Equal(AcmeSettings.DirectoryField, refusal.Field);
        Assert.Contains("(Autorité de certification)", refusal.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_options.SettingsFile));
    }

    [Fact]
    public async Task Only_a_hosting_administrator_may_read_or_change_them()
    {
        var administrator = new Caller { Id = "alice", Name = "alice@velo.example", Roles = new Dictionary<string, OrganizationRole> { ["default"] = OrganizationRole.Administrator } };

        await Assert.ThrowsAsync<AccessDeniedException>(() => _settings.SaveAsync(administrator, null, HostPanelOptions.LetsEncryptStaging, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _settings.SavedAsync(administrator, Ct));
        Assert.False(File.Exists(_options.SettingsFile));
    }

    [Fact]
    public async Task Saved_settings_are_read_back_while_those_in_effect_wait_for_a_restart()
    {
        await _settings.SaveAsync(Hoster, " tech@velo.example ", HostPanelOptions.LetsEncryptStaging, Ct);

        Assert.Equal(new AcmeChoice("tech@velo.example", HostPanelOptions.LetsEncryptStaging), await _settings.SavedAsync(Hoster, Ct));
        Assert.Equal(new AcmeChoice(null, HostPanelOptions.LetsEncrypt), _settings.InEffect);

        await _settings.SaveAsync(Hoster, "", HostPanelOptions.LetsEncrypt, Ct);

        Assert.Equal(new AcmeChoice(null, HostPanelOptions.LetsEncrypt), await _settings.SavedAsync(Hoster, Ct));
        Assert.DoesNotContain("AcmeContactEmail", await File.ReadAllTextAsync(_options.SettingsFile, Ct), StringComparison.Ordinal);
    }

    [Fact]
    public void An_environment_variable_that_wins_over_the_file_is_named()
    {
        var settings = new AcmeSettings(_options, _services.GetRequiredService<IStringLocalizer<SettingsText>>())
        {
            Environment = name => name == "HOSTPANEL_ACMEDIRECTORY" ? "https://acme.example/dir" : null,
        };

        Assert.Equal(["HOSTPANEL_ACMEDIRECTORY"], settings.Overrides());
    }
}
