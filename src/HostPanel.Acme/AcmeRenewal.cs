using System.Buffers.Text;
using System.Security.Cryptography.X509Certificates;

namespace HostPanel.Acme;

/// <summary>When to renew a certificate: ACME Renewal Information (RFC 9773) and the fallback without it.</summary>
public static class AcmeRenewal
{
    /// <summary>Certificates living less than this are renewed at half their lifetime rather than two thirds.</summary>
    public static readonly TimeSpan ShortLifetime = TimeSpan.FromDays(10);

    /// <summary>
    /// The ARI certificate identifier (RFC 9773 section 4.1): the base64url authority key identifier, a dot,
    /// and the base64url serial number (its DER integer bytes, big-endian).
    /// </summary>
    /// <param name="certificate">The certificate.</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="ArgumentException">The certificate has no authority key identifier with a key identifier.</exception>
    public static string GetCertId(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var aki = certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault();
        if (aki?.KeyIdentifier is not { Length: > 0 } keyIdentifier)
        {
            throw new ArgumentException("The certificate has no authority key identifier (keyIdentifier), so it has no ARI identifier.", nameof(certificate));
        }

        return Base64Url.EncodeToString(keyIdentifier.Span) + "." + Base64Url.EncodeToString(certificate.SerialNumberBytes.Span);
    }

    /// <summary>A uniformly random instant in the window (the start when the window is empty or reversed).</summary>
    /// <param name="window">The suggested window.</param>
    /// <param name="random">The source of randomness.</param>
    /// <returns>The instant to renew at.</returns>
    public static DateTimeOffset PickRenewalTime(RenewalWindow window, Random random)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(random);
        var length = window.End - window.Start;
        if (length <= TimeSpan.Zero)
        {
            return window.Start;
        }

        return window.Start + TimeSpan.FromTicks((long)(length.Ticks * random.NextDouble()));
    }

    /// <summary>
    /// The renewal time without renewal information: two thirds into the lifetime, or half of it for
    /// lifetimes under <see cref="ShortLifetime"/>.
    /// </summary>
    /// <param name="notBefore">The start of validity.</param>
    /// <param name="notAfter">The end of validity.</param>
    /// <returns>The instant to renew at.</returns>
    public static DateTimeOffset FallbackRenewalTime(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var lifetime = notAfter - notBefore;
        if (lifetime <= TimeSpan.Zero)
        {
            return notBefore;
        }

        return lifetime < ShortLifetime
            ? notBefore + (lifetime / 2)
            : notBefore + (lifetime * 2 / 3);
    }

    /// <summary>The fallback renewal time of a certificate (see <see cref="FallbackRenewalTime(DateTimeOffset, DateTimeOffset)"/>).</summary>
    /// <param name="certificate">The certificate.</param>
    /// <returns>The instant to renew at.</returns>
    public static DateTimeOffset FallbackRenewalTime(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return FallbackRenewalTime(new DateTimeOffset(certificate.NotBefore), new DateTimeOffset(certificate.NotAfter));
    }

    /// <summary>
    /// The renewal time of a certificate: a random instant in the CA's suggested window when there is
    /// renewal information, the fallback otherwise.
    /// </summary>
    /// <param name="certificate">The certificate.</param>
    /// <param name="renewalInfo">The CA's renewal information, or null when the CA offers none.</param>
    /// <param name="random">The source of randomness.</param>
    /// <returns>The instant to renew at.</returns>
    public static DateTimeOffset ChooseRenewalTime(X509Certificate2 certificate, AcmeRenewalInfo? renewalInfo, Random random) =>
        renewalInfo is null ? FallbackRenewalTime(certificate) : PickRenewalTime(renewalInfo.SuggestedWindow, random);
}
