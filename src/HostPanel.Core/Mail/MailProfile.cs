namespace HostPanel.Core.Mail;

/// <summary>How the connection to the mail server is protected.</summary>
public enum MailSecurity
{
    /// <summary>Plain text (a relay on the same machine or the same private network only).</summary>
    None,

    /// <summary>Plain connection upgraded with STARTTLS before anything else is said (usually port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte, "implicit TLS" or SMTPS (usually port 465).</summary>
    Tls,
}

/// <summary>The words <see cref="MailSecurity"/> is typed and shown with, the same as a manifest's <c>${smtp.security}</c>.</summary>
public static class MailSecurityWords
{
    public const string None = "none";
    public const string StartTls = "starttls";
    public const string Tls = "tls";

    public static IReadOnlyList<string> All { get; } = [None, StartTls, Tls];

    public static string Of(MailSecurity security) => security switch
    {
        MailSecurity.StartTls => StartTls,
        MailSecurity.Tls => Tls,
        _ => None,
    };

    /// <summary>The security named by <paramref name="word"/> (any case, spaces around ignored); null when it names none.</summary>
    public static MailSecurity? Parse(string? word) => word?.Trim().ToLowerInvariant() switch
    {
        None => MailSecurity.None,
        StartTls => MailSecurity.StartTls,
        Tls => MailSecurity.Tls,
        _ => null,
    };
}

/// <summary>
/// An SMTP profile: the panel's (<see cref="OrganizationId"/> null) or one organization's. The
/// password, when there is a user name, is in the secret store, never here.
/// </summary>
public sealed record MailProfile(
    string? OrganizationId,
    string Host,
    int Port,
    MailSecurity Security,
    string? UserName,
    string FromAddress,
    string? FromName,
    DateTimeOffset UpdatedAt)
{
    public bool IsPanelProfile => OrganizationId is null;

    /// <summary>The server to talk to with this profile, given its password.</summary>
    public MailServer Server(string? password) => new(Host, Port, Security, UserName, UserName is null ? null : password);

    public MailSender Sender => new(FromAddress, FromName);
}

/// <summary>Where the profiles are kept: one for the panel, at most one per organization.</summary>
public interface IMailProfileStore
{
    /// <summary>The organization's own profile, or the panel's when <paramref name="organizationId"/> is null.</summary>
    Task<MailProfile?> FindAsync(string? organizationId, CancellationToken ct = default);

    /// <summary>Stores the profile, replacing the one of the same owner.</summary>
    Task SaveAsync(MailProfile profile, CancellationToken ct = default);
}
