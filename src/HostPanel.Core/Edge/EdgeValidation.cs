using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace HostPanel.Core.Edge;

/// <summary>
/// What an <see cref="EdgeConfiguration"/> must respect to be rendered. Beyond plain sense
/// (one site per domain, one route per prefix), the rules keep every value that Caddy reads as a
/// pattern or expands as a placeholder (domains, paths, upstreams, challenge answers) to
/// characters with no meaning to Caddy: no <c>*</c>, <c>{</c>, <c>}</c>, <c>%</c> or space.
/// </summary>
public static partial class EdgeValidation
{
    private const int MaxDomainLength = 253;

    /// <summary>Every problem of <paramref name="configuration"/>, in words naming the site and route (empty when it is fine).</summary>
    public static IReadOnlyList<string> Problems(EdgeConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        var domains = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var site in configuration.Sites ?? [])
        {
            if (site is null)
            {
                problems.Add("a site is missing (null)");
                continue;
            }

            var name = site.Domain ?? "(no domain)";
            if (!IsDomain(site.Domain))
            {
                problems.Add($"site '{name}': the domain is not a valid ASCII (punycode) host name");
            }
            else if (!domains.Add(site.Domain!))
            {
                problems.Add($"site '{name}': the domain appears more than once");
            }

            if (string.IsNullOrWhiteSpace(site.Instance))
            {
                problems.Add($"site '{name}': no instance");
            }

            SiteProblems(site, name, problems);
        }

        foreach (var (token, keyAuthorization) in configuration.Challenges ?? new Dictionary<string, string>())
        {
            if (token is null || !ChallengeToken().IsMatch(token))
            {
                problems.Add($"challenge '{token}': the token is not base64url");
            }
            else if (keyAuthorization is null
                || !keyAuthorization.StartsWith(token + ".", StringComparison.Ordinal)
                || !ChallengeToken().IsMatch(keyAuthorization[(token.Length + 1)..]))
            {
                problems.Add($"challenge '{token}': the key authorization is not '<token>.<thumbprint>'");
            }
        }

        return problems;
    }

    /// <summary>An ASCII host name: LDH labels of 1 to 63 characters, at most 253 in all (no wildcard, no trailing dot).</summary>
    public static bool IsDomain(string? domain) =>
        domain is { Length: > 0 and <= MaxDomainLength } && Domain().IsMatch(domain);

    /// <summary>"/" or "/segment[/segment…]" without a trailing slash, in unreserved and sub-delimiter characters only.</summary>
    public static bool IsPathPrefix(string? prefix) =>
        prefix == "/" || (prefix is not null && PathPrefix().IsMatch(prefix));

    /// <summary><c>host:port</c> or <c>[v6]:port</c>, the port from 1 to 65535.</summary>
    public static bool IsUpstream(string? upstream)
    {
        if (upstream is null)
        {
            return false;
        }

        var match = Upstream().Match(upstream);
        if (!match.Success
            || !int.TryParse(match.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            return false;
        }

        var v6 = match.Groups["v6"];
        return !v6.Success || (IPAddress.TryParse(v6.Value, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6);
    }

    /// <summary>An absolute path with no control character (the proxy reads the file itself).</summary>
    public static bool IsFilePath(string? path) =>
        path is { Length: > 1 } && path[0] == '/' && !path.Any(char.IsControl);

    private static void SiteProblems(EdgeSite site, string name, List<string> problems)
    {
        if (site.Routes is not { Count: > 0 })
        {
            problems.Add($"site '{name}': no route");
        }
        else
        {
            var prefixes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var route in site.Routes)
            {
                if (route is null)
                {
                    problems.Add($"site '{name}': a route is missing (null)");
                    continue;
                }

                var prefix = route.PathPrefix ?? "(no path)";
                if (!IsPathPrefix(route.PathPrefix))
                {
                    problems.Add($"site '{name}', route '{prefix}': the path prefix must be '/' or '/segment[/segment…]' without a trailing slash, made of letters, digits and -._~!$&'()+,;=:@");
                }
                else if (!prefixes.Add(route.PathPrefix!))
                {
                    problems.Add($"site '{name}', route '{prefix}': the path prefix appears more than once");
                }

                if (!IsUpstream(route.Upstream))
                {
                    problems.Add($"site '{name}', route '{prefix}': the upstream '{route.Upstream}' is not host:port");
                }

                if (route.MaxBodyBytes is < 0)
                {
                    problems.Add($"site '{name}', route '{prefix}': the body limit is negative");
                }

                if (route.Timeout is { } timeout && timeout <= TimeSpan.Zero)
                {
                    problems.Add($"site '{name}', route '{prefix}': the timeout is not positive");
                }
            }
        }

        if (site.Certificate is { } certificate)
        {
            if (!IsFilePath(certificate.ChainFile))
            {
                problems.Add($"site '{name}': the certificate chain file is not an absolute path");
            }

            if (!IsFilePath(certificate.KeyFile))
            {
                problems.Add($"site '{name}': the certificate key file is not an absolute path");
            }
        }
    }

    /// <summary>LDH labels of 1 to 63 characters, no leading or trailing hyphen; "xn--" labels included.</summary>
    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Domain();

    [GeneratedRegex(@"^(?:/[A-Za-z0-9\-._~!$&'()+,;=:@]+)+\z", RegexOptions.CultureInvariant)]
    private static partial Regex PathPrefix();

    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9\-._]{0,251}[A-Za-z0-9])?|\[(?<v6>[0-9A-Fa-f:.]+)\]):(?<port>[0-9]{1,5})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Upstream();

    [GeneratedRegex(@"^[A-Za-z0-9_-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex ChallengeToken();
}
