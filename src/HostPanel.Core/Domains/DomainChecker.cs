using System.Net;
using System.Net.Sockets;
using HostPanel.Core.Resources;

namespace HostPanel.Core.Domains;

/// <summary>Looks names up in the DNS.</summary>
public interface IDomainResolver
{
    /// <summary>
    /// The IPv4 and IPv6 addresses of <paramref name="asciiName"/> (CNAMEs followed); empty when
    /// the name does not exist or has no address. Throws <see cref="DomainLookupException"/>
    /// when no DNS server answered.
    /// </summary>
    Task<IReadOnlyList<IPAddress>> ResolveAsync(string asciiName, CancellationToken ct = default);
}

/// <summary>No DNS server could be asked (network down, servers unreachable).</summary>
public sealed class DomainLookupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The addresses this server answers on, the ones an app's domain must point to.</summary>
public interface IServerAddresses
{
    Task<IReadOnlyList<IPAddress>> GetAsync(CancellationToken ct = default);
}

/// <summary>Where a domain points, compared with this server.</summary>
public enum DomainReadiness
{
    /// <summary>Every address of the name is one of this server's.</summary>
    PointsHere,

    /// <summary>The name has no address (not created yet, or a typing mistake).</summary>
    NoAddress,

    /// <summary>The name points (at least partly) to another machine.</summary>
    PointsElsewhere,

    /// <summary>The DNS could not be asked: nothing is known.</summary>
    Unknown,
}

/// <summary>What a domain check found.</summary>
/// <param name="Name">The domain checked.</param>
/// <param name="Readiness">Where it points, compared with this server.</param>
/// <param name="Found">Its addresses in the DNS.</param>
/// <param name="Expected">This server's addresses.</param>
/// <param name="Explanation">Plain words: what was found and, when it is not ready, the DNS record to create.</param>
public sealed record DomainCheckResult(
    DomainName Name,
    DomainReadiness Readiness,
    IReadOnlyList<IPAddress> Found,
    IReadOnlyList<IPAddress> Expected,
    string Explanation)
{
    public bool PointsHere => Readiness == DomainReadiness.PointsHere;
}

/// <summary>
/// Checks that a domain resolves to this server before a certificate authority is asked to
/// validate it (a validation that cannot succeed only spends the rate limits), and explains
/// the DNS records to create when it does not.
/// </summary>
public sealed class DomainChecker(IDomainResolver resolver, IServerAddresses server)
{
    public async Task<DomainCheckResult> CheckAsync(DomainName name, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var expected = await server.GetAsync(ct).ConfigureAwait(false);
        var shown = name.Unicode;

        // A wildcard is proven through a TXT record (DNS-01): its names need not exist yet.
        var lookup = name.IsWildcard ? name.Ascii[2..] : name.Ascii;
        IReadOnlyList<IPAddress> found;
        try
        {
            found = await resolver.ResolveAsync(lookup, ct).ConfigureAwait(false);
        }
        catch (DomainLookupException e)
        {
            return new(name, DomainReadiness.Unknown, [], expected, CoreText.Format("DomainLookupFailed", shown, e.Message));
        }

        if (found.Count == 0)
        {
            return new(name, DomainReadiness.NoAddress, found, expected, CoreText.Format("DomainHasNoAddress", shown, Records(lookup, expected)));
        }

        var elsewhere = found.Where(a => !expected.Contains(a)).ToList();
        if (elsewhere.Count == 0)
        {
            return new(name, DomainReadiness.PointsHere, found, expected, CoreText.Format("DomainPointsHere", shown, string.Join(", ", found)));
        }

        return new(name, DomainReadiness.PointsElsewhere, found, expected, CoreText.Format("DomainPointsElsewhere", shown, string.Join(", ", elsewhere), Records(lookup, expected)));
    }

    /// <summary>"A cloud.example.org → 203.0.113.5; AAAA cloud.example.org → 2001:db8::5" for this server's addresses.</summary>
    public static string Records(string asciiName, IReadOnlyList<IPAddress> expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (expected.Count == 0)
        {
            return CoreText.Format("DomainRecordUnknownAddress", asciiName);
        }

        return string.Join("; ", expected.Select(a => $"{(a.AddressFamily == AddressFamily.InterNetworkV6 ? "AAAA" : "A")} {asciiName} → {a}"));
    }
}
