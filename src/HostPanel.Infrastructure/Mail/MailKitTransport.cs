using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostPanel.Core.Mail;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace HostPanel.Infrastructure.Mail;

/// <summary>Limits and trust of <see cref="MailKitTransport"/>.</summary>
public sealed class MailKitTransportOptions
{
    /// <summary>How long one step (connecting, one command and its answer) may take.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a whole test or sending may take, from connecting to saying goodbye.</summary>
    public TimeSpan OverallTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// A PEM file of certificate authorities trusted besides the system's (a private relay, a test
    /// server). The certificate must still be for the server's name and valid today.
    /// </summary>
    public string? ExtraTrustedCaFile { get; init; }
}

/// <summary>
/// SMTP with MailKit: one connection per call, STARTTLS or TLS as the profile asks (never less),
/// the certificate checked against the system's trust store (plus one optional CA file), every
/// step bounded in time. Failures come out as <see cref="MailTransportException"/>.
/// </summary>
internal sealed class MailKitTransport(MailKitTransportOptions options) : HostPanel.Core.Mail.IMailTransport
{
    private enum Stage
    {
        Connecting,
        LoggingIn,
        Talking,
    }

    public Task TestAsync(MailServer server, string fromAddress, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(fromAddress);
        return RunAsync(server, async (client, token) =>
        {
            // MAIL FROM then RSET: the server says whether it takes this sender, and nothing is sent.
            var answer = await client.CommandAsync($"MAIL FROM:<{fromAddress}>", token).ConfigureAwait(false);
            if ((int)answer.StatusCode >= 400)
            {
                throw new MailTransportException(
                    answer.StatusCode == SmtpStatusCode.AuthenticationRequired ? MailFailure.LoginRequired : MailFailure.SenderRefused,
                    $"{(int)answer.StatusCode} {answer.Response}");
            }

            await client.CommandAsync("RSET", token).ConfigureAwait(false);
        }, ct);
    }

    public async Task SendAsync(MailServer server, MailSender from, OutgoingMail message, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(message);
        using var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(from.DisplayName ?? string.Empty, from.Address));
        mime.To.Add(new MailboxAddress(string.Empty, message.To));
        mime.Subject = message.Subject;
        mime.Body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html }.ToMessageBody();
        await RunAsync(server, async (client, token) => await client.SendAsync(mime, token).ConfigureAwait(false), ct).ConfigureAwait(false);
    }

    private async Task RunAsync(MailServer server, Func<CommandingSmtpClient, CancellationToken, Task> talk, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.OverallTimeout);
        var trust = new CertificateTrust(server.Security == MailSecurity.None ? null : LoadExtraAuthorities());
        using var client = new CommandingSmtpClient
        {
            Timeout = (int)options.CommandTimeout.TotalMilliseconds,
            ServerCertificateValidationCallback = trust.Validate,
        };
        var stage = Stage.Connecting;
        try
        {
            await client.ConnectAsync(server.Host, server.Port, SocketOptions(server.Security), deadline.Token).ConfigureAwait(false);
            if (server.UserName is not null)
            {
                stage = Stage.LoggingIn;
                await client.AuthenticateAsync(new NetworkCredential(server.UserName, server.Password ?? string.Empty), deadline.Token).ConfigureAwait(false);
            }

            stage = Stage.Talking;
            await talk(client, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new MailTransportException(MailFailure.TimedOut, $"no answer within {options.OverallTimeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (Classify(e, stage, trust) is { } failure)
        {
            throw failure;
        }
        finally
        {
            await QuitAsync(client).ConfigureAwait(false);
        }
    }

    private static async Task QuitAsync(SmtpClient client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        // Saying goodbye is a courtesy: a slow or broken QUIT changes nothing to the outcome.
        using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await client.DisconnectAsync(quit: true, quit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SmtpProtocolException or SmtpCommandException or SocketException)
        {
            // The connection is dropped by Dispose.
        }
    }

    private static SecureSocketOptions SocketOptions(MailSecurity security) => security switch
    {
        MailSecurity.StartTls => SecureSocketOptions.StartTls,
        MailSecurity.Tls => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.None,
    };

    /// <summary>What went wrong, from MailKit's and the socket's exceptions; null for anything else (a bug, not the server).</summary>
    private static MailTransportException? Classify(Exception e, Stage stage, CertificateTrust trust) => e switch
    {
        MailTransportException known => known,
        SslHandshakeException when trust.Rejected is { } rejected => new MailTransportException(
            rejected.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) ? MailFailure.CertificateNameMismatch : MailFailure.CertificateUntrusted,
            trust.Describe(),
            e),
        SslHandshakeException => new MailTransportException(MailFailure.TlsFailed, Innermost(e), e),
        SocketException socket => FromSocket(socket),
        TimeoutException => new MailTransportException(MailFailure.TimedOut, e.Message, e),
        IOException { InnerException: SocketException socket } => FromSocket(socket),
        IOException { InnerException: TimeoutException } => new MailTransportException(MailFailure.TimedOut, e.Message, e),
        NotSupportedException when stage == Stage.Connecting => new MailTransportException(MailFailure.StartTlsUnavailable, e.Message, e),
        NotSupportedException when stage == Stage.LoggingIn => new MailTransportException(MailFailure.LoginUnavailable, e.Message, e),
        AuthenticationException => new MailTransportException(MailFailure.LoginRefused, e.Message, e),
        SmtpCommandException command => FromCommand(command, stage),
        SmtpProtocolException or IOException or ServiceNotConnectedException => new MailTransportException(MailFailure.Protocol, Innermost(e), e),
        _ => null,
    };

    private static MailTransportException FromSocket(SocketException e) => new(
        e.SocketErrorCode switch
        {
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => MailFailure.HostNotFound,
            SocketError.TimedOut => MailFailure.TimedOut,
            _ => MailFailure.Unreachable,
        },
        e.Message,
        e);

    private static MailTransportException FromCommand(SmtpCommandException e, Stage stage)
    {
        var detail = $"{(int)e.StatusCode} {e.Message}";
        var failure = e.StatusCode switch
        {
            SmtpStatusCode.AuthenticationRequired => MailFailure.LoginRequired,
            SmtpStatusCode.AuthenticationInvalidCredentials => MailFailure.LoginRefused,
            _ when stage == Stage.LoggingIn => MailFailure.LoginRefused,
            _ => e.ErrorCode switch
            {
                SmtpErrorCode.SenderNotAccepted => MailFailure.SenderRefused,
                SmtpErrorCode.RecipientNotAccepted => MailFailure.RecipientRefused,
                SmtpErrorCode.MessageNotAccepted => MailFailure.MessageRefused,
                _ => MailFailure.Protocol,
            },
        };
        return new MailTransportException(failure, detail, e);
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }

    private X509Certificate2Collection? LoadExtraAuthorities()
    {
        if (string.IsNullOrWhiteSpace(options.ExtraTrustedCaFile))
        {
            return null;
        }

        try
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(options.ExtraTrustedCaFile);
            return authorities.Count > 0
                ? authorities
                : throw new MailTransportException(MailFailure.CertificateUntrusted, $"no certificate in {options.ExtraTrustedCaFile}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new MailTransportException(MailFailure.CertificateUntrusted, $"{options.ExtraTrustedCaFile}: {e.Message}", e);
        }
    }

    /// <summary>MailKit's client, with its raw command call opened for the sender check.</summary>
    private sealed class CommandingSmtpClient : SmtpClient
    {
        public Task<SmtpResponse> CommandAsync(string command, CancellationToken ct) => SendCommandAsync(command, ct);
    }

    /// <summary>
    /// The server certificate check of one connection: the system's verdict, and when the only
    /// fault is the chain, a second chance against the extra authorities. The name is always checked.
    /// </summary>
    private sealed class CertificateTrust(X509Certificate2Collection? extraAuthorities)
    {
        private string? _subject;

        public SslPolicyErrors? Rejected { get; private set; }

        public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            if (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is not null && extraAuthorities is not null && ChainsToExtra(certificate, chain))
            {
                return true;
            }

            Rejected = errors;
            _subject = certificate?.Subject;
            return false;
        }

        public string Describe() =>
            $"{(_subject is null ? "no certificate" : _subject)}: {Rejected}";

        private bool ChainsToExtra(X509Certificate certificate, X509Chain? presented)
        {
            using var leaf = new X509Certificate2(certificate);
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(extraAuthorities!);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (presented is not null)
            {
                foreach (var element in presented.ChainElements)
                {
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            return chain.Build(leaf);
        }
    }
}
