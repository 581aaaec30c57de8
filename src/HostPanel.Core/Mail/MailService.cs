using HostPanel.Core.Accounts;
using System.Net;
using System.Security.Cryptography;
using HostPanel.Core.Apps;
using HostPanel.Core.Backups;
using HostPanel.Core.Catalog.Planning;
using HostPanel.Core.Organizations;
using HostPanel.Core.Resources;
using HostPanel.Core.Secrets;

namespace HostPanel.Core.Mail;

/// <summary>What a test message went out with, and the reference written in its subject and body.</summary>
public sealed record MailTestResult(MailProfile Profile, string To, string Reference);

/// <summary>
/// The panel's outgoing mail (invitations, password resets, alerts). The panel has one SMTP
/// profile and an organization may have its own, used for it instead. A profile is saved only
/// once a connection with it worked; its password stays encrypted in the secret store.
/// </summary>
public sealed class MailService(IMailProfileStore profiles, ISecretStore secrets, IMailTransport transport, IOrganizationStore organizations, TimeProvider time, AccessControl access, Handover.IAuditLog? audit = null)
{
    /// <summary>The secret's name, beside the owner's other secrets.</summary>
    public const string PasswordName = "mail.password";

    /// <summary>The secret store's owner of the panel's own secrets (an instance name cannot hold ':').</summary>
    public const string PanelSecretOwner = "panel:settings";

    private const string ReferenceAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static string SecretOwner(string? organizationId) =>
        organizationId is null ? PanelSecretOwner : BackupRepositories.SecretOwner(organizationId);

    /// <summary>
    /// Checks every field, then the server itself (connection, STARTTLS or TLS, login, sender),
    /// and only then stores the profile. Any refusal is an <see cref="AppRequestException"/>
    /// naming the field, and leaves the stored profile as it was.
    /// </summary>
    public async Task<MailProfile> SaveAsync(Caller caller, MailProfileInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var organizationId = await AllowedAsync(caller, input.OrganizationId, ct).ConfigureAwait(false);
        var profile = new MailProfile(
            organizationId,
            MailValidation.Host(input.Host),
            MailValidation.Port(input.Port),
            MailValidation.Security(input.Security),
            MailValidation.UserName(input.UserName),
            MailValidation.Address(input.FromAddress, "from", "--from"),
            MailValidation.DisplayName(input.FromName),
            time.GetUtcNow());
        var password = await PasswordForAsync(profile, input.Password, ct).ConfigureAwait(false);

        var server = profile.Server(password);
        try
        {
            await transport.TestAsync(server, profile.FromAddress, ct).ConfigureAwait(false);
        }
        catch (MailTransportException e)
        {
            throw new AppRequestException(FieldOf(e.Failure), Explain(e, server, profile.FromAddress) + " " + CoreText.Get("MailNothingSaved"));
        }

        await StorePasswordAsync(organizationId, password, ct).ConfigureAwait(false);
        await profiles.SaveAsync(profile, ct).ConfigureAwait(false);

        // The server and the sender, never the password.
        await Handover.AuditTrail.RecordAsync(audit, caller, Handover.AuditActions.MailSettings, organizationId, organizationId ?? "panel", detail: $"{profile.Host}:{profile.Port}, from {profile.FromAddress}", ct: ct).ConfigureAwait(false);
        return profile;
    }

    /// <summary>The organization's own profile, or the panel's when <paramref name="organizationId"/> is null; null when there is none.</summary>
    public async Task<MailProfile?> FindAsync(Caller caller, string? organizationId, CancellationToken ct = default)
    {
        var id = await AllowedAsync(caller, organizationId, ct).ConfigureAwait(false);
        return await profiles.FindAsync(id, ct).ConfigureAwait(false);
    }

    /// <summary>The profile mail for the organization goes out with: its own when it has one, else the panel's; null when neither exists.</summary>
    public async Task<MailProfile?> ResolveAsync(string? organizationId, CancellationToken ct = default)
    {
        var id = await RequireOrganizationAsync(organizationId, ct).ConfigureAwait(false);
        if (id is not null && await profiles.FindAsync(id, ct).ConfigureAwait(false) is { } own)
        {
            return own;
        }

        return await profiles.FindAsync(null, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends one message for the organization (null: for the panel itself) with the profile
    /// <see cref="ResolveAsync"/> chooses, and returns that profile. A refusal of the server or
    /// a missing profile is an <see cref="AppRequestException"/> in plain words.
    /// </summary>
    public async Task<MailProfile> SendAsync(string? organizationId, OutgoingMail message, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrWhiteSpace(message.Subject);
        ArgumentNullException.ThrowIfNull(message.Text);
        if (message.Subject.Any(char.IsControl))
        {
            throw new ArgumentException("A subject is one line.", nameof(message));
        }

        var to = MailValidation.Address(message.To, "to", message.To);
        var profile = await ResolveAsync(organizationId, ct).ConfigureAwait(false)
            ?? throw new AppRequestException("mail", CoreText.Get("MailNotConfigured"));
        var server = profile.Server(await StoredPasswordAsync(profile, ct).ConfigureAwait(false));
        try
        {
            await transport.SendAsync(server, profile.Sender, message with { To = to }, ct).ConfigureAwait(false);
        }
        catch (MailTransportException e)
        {
            throw new AppRequestException(FieldOf(e.Failure), Explain(e, server, profile.FromAddress, to));
        }

        return profile;
    }

    /// <summary>Sends a short test message in the current UI language, with a reference in its subject and body to find it by.</summary>
    public async Task<MailTestResult> SendTestAsync(Caller caller, string? organizationId, string to, CancellationToken ct = default)
    {
        organizationId = await AllowedAsync(caller, organizationId, ct).ConfigureAwait(false);
        var address = MailValidation.Address(to, "to", to);
        var reference = RandomNumberGenerator.GetString(ReferenceAlphabet, 12);
        var profile = await ResolveAsync(organizationId, ct).ConfigureAwait(false)
            ?? throw new AppRequestException("mail", CoreText.Get("MailNotConfigured"));
        var server = $"{profile.Host}:{profile.Port}";
        var message = new OutgoingMail(
            address,
            CoreText.Format("MailTestSubject", reference),
            CoreText.Format("MailTestText", reference, server),
            CoreText.Format("MailTestHtml", WebUtility.HtmlEncode(reference), WebUtility.HtmlEncode(server)));
        var used = await SendAsync(organizationId, message, ct).ConfigureAwait(false);
        return new MailTestResult(used, address, reference);
    }

    /// <summary>
    /// What an app of the organization gets for its manifest's <c>${smtp.*}</c> placeholders:
    /// the organization's profile, else the panel's; null when neither exists. Holds the password.
    /// </summary>
    public async Task<SmtpSettings?> SmtpForAppsAsync(string organizationId, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        var profile = await ResolveAsync(organizationId, ct).ConfigureAwait(false);
        if (profile is null)
        {
            return null;
        }

        var password = await StoredPasswordAsync(profile, ct).ConfigureAwait(false);
        return new SmtpSettings(profile.Host, profile.Port, profile.UserName ?? string.Empty, password ?? string.Empty, profile.FromAddress, MailSecurityWords.Of(profile.Security));
    }

    /// <summary>The field a failure is about, as <see cref="AppRequestException.Field"/> names it.</summary>
    public static string FieldOf(MailFailure failure) => failure switch
    {
        MailFailure.HostNotFound or MailFailure.Unreachable or MailFailure.Protocol => "host",
        MailFailure.TimedOut => "port",
        MailFailure.StartTlsUnavailable or MailFailure.TlsFailed or MailFailure.CertificateUntrusted or MailFailure.CertificateNameMismatch => "security",
        MailFailure.LoginUnavailable or MailFailure.LoginRefused or MailFailure.LoginRequired => "user",
        MailFailure.SenderRefused => "from",
        MailFailure.RecipientRefused => "to",
        _ => "message",
    };

    /// <summary>A mail server failure in words a volunteer can act on, naming the setting to change.</summary>
    public static string Explain(MailTransportException e, MailServer server, string? fromAddress = null, string? toAddress = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(server);
        var detail = Shorten(e.Message);
        var key = e.Failure switch
        {
            MailFailure.HostNotFound => "MailHostNotFound",
            MailFailure.Unreachable => "MailUnreachable",
            MailFailure.TimedOut => "MailTimedOut",
            MailFailure.StartTlsUnavailable => "MailStartTlsUnavailable",
            MailFailure.TlsFailed => "MailTlsFailed",
            MailFailure.CertificateUntrusted => "MailCertificateUntrusted",
            MailFailure.CertificateNameMismatch => "MailCertificateNameMismatch",
            MailFailure.LoginUnavailable => "MailLoginUnavailable",
            MailFailure.LoginRefused => "MailLoginRefused",
            MailFailure.LoginRequired => "MailLoginRequired",
            MailFailure.SenderRefused => "MailSenderRefused",
            MailFailure.RecipientRefused => "MailRecipientRefused",
            MailFailure.MessageRefused => "MailMessageRefused",
            _ => "MailProtocolFailed",
        };
        return CoreText.Format(key, server.Host, server.Port, detail, fromAddress ?? "?", toAddress ?? "?");
    }

    /// <summary>The panel's profile is a hosting administrator's; an organization's, its administrators'.</summary>
    private async Task<string?> AllowedAsync(Caller caller, string? organizationId, CancellationToken ct)
    {
        if (organizationId is null)
        {
            await access.RequireHosterAsync(caller, Handover.AuditActions.MailSettings, ct).ConfigureAwait(false);
            return null;
        }

        return (await access.OrganizationAsync(caller, organizationId, OrganizationRole.Administrator, ct).ConfigureAwait(false)).Id;
    }

    private async Task<string?> RequireOrganizationAsync(string? organizationId, CancellationToken ct)
    {
        if (organizationId is null)
        {
            return null;
        }

        if (organizationId == Organization.DefaultId)
        {
            // The default organization exists from the first command on, whichever that is.
            return (await organizations.EnsureDefaultAsync(ct).ConfigureAwait(false)).Id;
        }

        return await organizations.FindAsync(organizationId, ct).ConfigureAwait(false) is { } found
            ? found.Id
            : throw new AppRequestException("org", CoreText.Format("UnknownOrganization", organizationId, string.Join(", ", (await organizations.ListAsync(ct).ConfigureAwait(false)).Select(o => o.Id))));
    }

    /// <summary>The password to test and store: the one given, else the one stored for the same user.</summary>
    private async Task<string?> PasswordForAsync(MailProfile profile, string? given, CancellationToken ct)
    {
        if (profile.UserName is null)
        {
            return given is null ? null : throw new AppRequestException("user", CoreText.Get("MailPasswordWithoutUser"));
        }

        if (given is not null)
        {
            return MailValidation.Password(given);
        }

        var stored = await profiles.FindAsync(profile.OrganizationId, ct).ConfigureAwait(false);
        if (stored?.UserName == profile.UserName && await StoredPasswordAsync(stored, ct).ConfigureAwait(false) is { } kept)
        {
            return kept;
        }

        throw new AppRequestException("password", CoreText.Get("MailPasswordMissing"));
    }

    private async Task<string?> StoredPasswordAsync(MailProfile profile, CancellationToken ct)
    {
        if (profile.UserName is null)
        {
            return null;
        }

        var all = await secrets.GetAllAsync(SecretOwner(profile.OrganizationId), ct).ConfigureAwait(false);
        return all.TryGetValue(PasswordName, out var password) && password.Length > 0 ? password : null;
    }

    /// <summary>Stores the password, or empties a stored one when the profile has no login any more.</summary>
    private async Task StorePasswordAsync(string? organizationId, string? password, CancellationToken ct)
    {
        var owner = SecretOwner(organizationId);
        if (password is not null)
        {
            await secrets.SetAsync(owner, PasswordName, password, ct).ConfigureAwait(false);
            return;
        }

        var all = await secrets.GetAllAsync(owner, ct).ConfigureAwait(false);
        if (all.TryGetValue(PasswordName, out var old) && old.Length > 0)
        {
            await secrets.SetAsync(owner, PasswordName, string.Empty, ct).ConfigureAwait(false);
        }
    }

    private static string Shorten(string text)
    {
        var line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= 300 ? line : line[..300] + "…";
    }
}
