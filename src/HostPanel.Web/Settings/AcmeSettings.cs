using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Configuration;
using HostPanel.Core.Mail;
using HostPanel.Infrastructure.Configuration;
using Microsoft.Extensions.Localization;

namespace HostPanel.Web.Settings;

/// <summary>The certificate authority's settings: where certificates are asked for, and the contact address given to it.</summary>
public sealed record AcmeChoice(string? ContactEmail, string Directory);

/// <summary>
/// The ACME settings a hosting administrator changes from the panel. They live in
/// DATA_DIR/appsettings.json (<see cref="HostPanelOptions.AcmeContactEmail"/>,
/// <see cref="HostPanelOptions.AcmeDirectory"/>), which is read once when the panel starts: the
/// certificate authority holds the options it started with, so a change applies after the next
/// restart of the panel, and an environment variable of the same name still wins over the file.
/// </summary>
public sealed class AcmeSettings(HostPanelOptions options, IStringLocalizer<SettingsText> text)
{
    public const string EmailField = "acme-email";
    public const string DirectoryField = "acme-directory";

    private const string EmailKey = nameof(HostPanelOptions.AcmeContactEmail);
    private const string DirectoryKey = nameof(HostPanelOptions.AcmeDirectory);
    private const int MaxUrlLength = 2048;

    /// <summary>Reads an environment variable; replaced in tests.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>What the panel uses now (what it started with).</summary>
    public AcmeChoice InEffect => new(Blank(options.AcmeContactEmail), options.AcmeDirectory);

    /// <summary>What the settings file says (what the next start will use, unless an environment variable says otherwise).</summary>
    public async Task<AcmeChoice> SavedAsync(Caller caller, CancellationToken ct = default)
    {
        AccessControl.RequireHoster(caller);
        var saved = await AppSettingsFile.ReadAsync(options.SettingsFile, [EmailKey, DirectoryKey], ct).ConfigureAwait(false);
        return new AcmeChoice(
            Blank(saved.GetValueOrDefault(EmailKey)),
            Blank(saved.GetValueOrDefault(DirectoryKey)) ?? new HostPanelOptions().AcmeDirectory);
    }

    /// <summary>The environment variables that override the file for these settings (their names only).</summary>
    public IReadOnlyList<string> Overrides() =>
        [.. new[] { EmailKey, DirectoryKey }
            .Select(key => HostPanelOptions.EnvironmentPrefix + key.ToUpperInvariant())
            .Where(name => !string.IsNullOrEmpty(Environment(name)))];

    /// <summary>
    /// Checks and writes the settings. A refusal is an <see cref="AppRequestException"/> naming
    /// the field (<see cref="EmailField"/>, <see cref="DirectoryField"/>); nothing is written then.
    /// </summary>
    public async Task<AcmeChoice> SaveAsync(Caller caller, string? contactEmail, string? directory, CancellationToken ct = default)
    {
        AccessControl.RequireHoster(caller);
        var choice = Validate(contactEmail, directory);
        await AppSettingsFile.UpdateAsync(options.SettingsFile, new Dictionary<string, string?>
        {
            [EmailKey] = choice.ContactEmail,
            [DirectoryKey] = choice.Directory,
        }, ct).ConfigureAwait(false);
        return choice;
    }

    /// <summary>An optional e-mail address and an https address of an ACME directory.</summary>
    public AcmeChoice Validate(string? contactEmail, string? directory)
    {
        var email = Blank(contactEmail) is null ? null : MailValidation.Address(contactEmail, EmailField, text["Acme.EmailLabel"]);
        var url = (directory ?? string.Empty).Trim();
        if (url.Length is 0 or > MaxUrlLength
            || !Uri.TryCreate(url, UriKind.Absolute, out var parsed)
            || parsed.Scheme != Uri.UriSchemeHttps
            || parsed.UserInfo.Length > 0
            || string.IsNullOrEmpty(parsed.Host)
            || url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new AppRequestException(DirectoryField, text["Acme.DirectoryInvalid", directory ?? string.Empty]);
        }

        return new AcmeChoice(email, url);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
