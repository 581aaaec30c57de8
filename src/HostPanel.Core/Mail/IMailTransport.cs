namespace HostPanel.Core.Mail;

/// <summary>A mail server and the login to use there. The password is never part of its text form.</summary>
public sealed record MailServer(string Host, int Port, MailSecurity Security, string? UserName, string? Password)
{
    public override string ToString() =>
        $"{Host}:{Port} ({MailSecurityWords.Of(Security)}{(UserName is null ? string.Empty : ", user " + UserName)})";
}

/// <summary>The sender of the messages: an address and an optional display name.</summary>
public sealed record MailSender(string Address, string? DisplayName);

/// <summary>One message to one person: a plain-text body, and an HTML one when given.</summary>
public sealed record OutgoingMail(string To, string Subject, string Text, string? Html = null);

/// <summary>Sends mail through an SMTP server.</summary>
public interface IMailTransport
{
    /// <summary>
    /// Connects (with STARTTLS or TLS as asked), logs in when the server has a user name, and checks
    /// that the server takes <paramref name="fromAddress"/> as a sender; sends nothing.
    /// Throws <see cref="MailTransportException"/> saying what failed.
    /// </summary>
    Task TestAsync(MailServer server, string fromAddress, CancellationToken ct = default);

    /// <summary>Sends one message. Throws <see cref="MailTransportException"/> saying what failed.</summary>
    Task SendAsync(MailServer server, MailSender from, OutgoingMail message, CancellationToken ct = default);
}

/// <summary>What went wrong when talking to a mail server.</summary>
public enum MailFailure
{
    /// <summary>The host name does not exist in the DNS.</summary>
    HostNotFound,

    /// <summary>Nothing answers at this host and port (refused, unreachable network).</summary>
    Unreachable,

    /// <summary>The server did not answer in time.</summary>
    TimedOut,

    /// <summary>STARTTLS was asked but the server does not offer it.</summary>
    StartTlsUnavailable,

    /// <summary>The TLS handshake failed (not a TLS port, no common protocol).</summary>
    TlsFailed,

    /// <summary>The server's certificate is not signed by a trusted authority (or expired, or revoked).</summary>
    CertificateUntrusted,

    /// <summary>The server's certificate is for another name than the host.</summary>
    CertificateNameMismatch,

    /// <summary>The server offers no login on this connection.</summary>
    LoginUnavailable,

    /// <summary>The user name or the password was refused.</summary>
    LoginRefused,

    /// <summary>The server only accepts mail after a login, and none was given.</summary>
    LoginRequired,

    /// <summary>The sender address was refused.</summary>
    SenderRefused,

    /// <summary>The recipient address was refused.</summary>
    RecipientRefused,

    /// <summary>The message itself was refused (size, content, quota).</summary>
    MessageRefused,

    /// <summary>The other end does not speak SMTP, or the connection broke.</summary>
    Protocol,
}

/// <summary>
/// A mail server failure, with the server's own words (never a password) in <see cref="Exception.Message"/>.
/// <see cref="MailService.Explain"/> turns it into a sentence a volunteer can act on.
/// </summary>
public sealed class MailTransportException(MailFailure failure, string detail, Exception? inner = null) : Exception(detail, inner)
{
    public MailFailure Failure { get; } = failure;
}
