using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HostPanel.Core.Edge;

/// <summary>
/// Renders Caddy's whole JSON configuration (written against Caddy 2.6) from an
/// <see cref="EdgeConfiguration"/>. The same input always gives the same bytes: sites are sorted
/// by domain, a site's routes longest path first, challenges by token.
/// </summary>
/// <remarks>
/// <para>Two servers. The plain HTTP one answers the pending challenges first (any host), then
/// redirects each site with a certificate to HTTPS (308, challenge paths excepted) and proxies each
/// site without one; anything else gets a short 404. The HTTPS one proxies the sites with a
/// certificate only, every response with <c>Strict-Transport-Security</c>.</para>
/// <para>Caddy's automatic HTTPS is off on both (HostPanel obtains certificates itself); the
/// certificates are given as file paths (<c>load_files</c>), so no key ever enters the
/// configuration; the admin API keeps nothing on disk (<c>persist: false</c>).</para>
/// <para>A request body limit is enforced twice: a declared Content-Length above it is refused
/// with 413 before anything is proxied (Caddy 2.6 would answer 502 once the upstream started
/// reading), and Caddy's <c>request_body</c> limit catches bodies without a length.</para>
/// </remarks>
public static class CaddyConfigRenderer
{
    public const string ChallengePathPrefix = "/.well-known/acme-challenge/";

    public const string HstsHeaderValue = "max-age=31536000";

    /// <summary>The names of the two servers in <c>apps.http.servers</c>.</summary>
    public const string HttpServerName = "http";

    public const string HttpsServerName = "https";

    private const string PlainText = "text/plain; charset=utf-8";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The <c>@id</c> of a site's route in one of the servers (for <c>GET /id/…</c>).</summary>
    public static string SiteRouteId(string domain, bool https)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return $"site-{domain.ToLowerInvariant()}-{(https ? "https" : "http")}";
    }

    /// <summary>The <c>@id</c> of the route answering one challenge.</summary>
    public static string ChallengeRouteId(string token) => $"challenge-{token}";

    /// <summary>The configuration as JSON text (indented). Throws <see cref="ArgumentException"/> listing every problem of an invalid input.</summary>
    public static string Render(EdgeConfiguration configuration, CaddyOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate().Select(p => "options: " + p).Concat(configuration.Validate()).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The edge configuration cannot be rendered: " + string.Join("; ", problems) + ".", nameof(configuration));
        }

        var sites = (configuration.Sites ?? []).OrderBy(s => s.Domain.ToLowerInvariant(), StringComparer.Ordinal).ToList();

        var httpRoutes = new JsonArray();
        foreach (var (token, keyAuthorization) in (configuration.Challenges ?? new Dictionary<string, string>()).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            httpRoutes.Add(ChallengeRoute(token, keyAuthorization));
        }

        var httpsRoutes = new JsonArray();
        foreach (var site in sites)
        {
            var domain = site.Domain.ToLowerInvariant();
            if (site.Certificate is null)
            {
                httpRoutes.Add(SiteRoute(site, domain, https: false));
            }
            else
            {
                httpRoutes.Add(RedirectRoute(domain, options.HttpsPort));
                httpsRoutes.Add(SiteRoute(site, domain, https: true));
            }
        }

        httpRoutes.Add(NotFound("No site is served at this address.\n"));
        httpsRoutes.Add(NotFound("No site is served at this address.\n"));

        var http = new JsonObject
        {
            ["http_port"] = options.HttpPort,
            ["https_port"] = options.HttpsPort,
            ["servers"] = new JsonObject
            {
                [HttpServerName] = new JsonObject
                {
                    ["listen"] = new JsonArray(Listen(options.ListenHost, options.HttpPort)),
                    ["automatic_https"] = new JsonObject { ["disable"] = true },
                    ["routes"] = httpRoutes,
                },
                [HttpsServerName] = new JsonObject
                {
                    ["listen"] = new JsonArray(Listen(options.ListenHost, options.HttpsPort)),
                    ["automatic_https"] = new JsonObject { ["disable"] = true },
                    ["tls_connection_policies"] = new JsonArray(new JsonObject()),
                    ["routes"] = httpsRoutes,
                },
            },
        };

        var apps = new JsonObject { ["http"] = http };
        var certificates = sites
            .Where(s => s.Certificate is not null)
            .Select(s => s.Certificate!)
            .Distinct()
            .Select(c => (JsonNode)new JsonObject { ["certificate"] = c.ChainFile, ["key"] = c.KeyFile })
            .ToArray();
        if (certificates.Length > 0)
        {
            apps["tls"] = new JsonObject { ["certificates"] = new JsonObject { ["load_files"] = new JsonArray(certificates) } };
        }

        var root = new JsonObject
        {
            ["admin"] = new JsonObject
            {
                ["listen"] = options.AdminListen,
                ["origins"] = new JsonArray("localhost"),
                ["config"] = new JsonObject { ["persist"] = false },
            },
            ["storage"] = new JsonObject { ["module"] = "file_system", ["root"] = options.StorageDirectory },
            ["apps"] = apps,
        };
        return root.ToJsonString(Indented);
    }

    /// <summary>
    /// An RE2 pattern matching a decimal number (leading zeros allowed) strictly greater than
    /// <paramref name="limit"/>: Content-Length headers over a body limit.
    /// </summary>
    internal static string NumberAbovePattern(long limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var digits = limit.ToString(CultureInfo.InvariantCulture);
        var alternatives = new List<string> { $"[1-9][0-9]{{{digits.Length},}}" };
        for (var i = 0; i < digits.Length; i++)
        {
            if (digits[i] == '9')
            {
                continue;
            }

            var rest = digits.Length - i - 1;
            var alternative = new StringBuilder(digits[..i]).Append('[').Append((char)(digits[i] + 1)).Append("-9]");
            if (rest > 0)
            {
                alternative.Append("[0-9]{").Append(rest.ToString(CultureInfo.InvariantCulture)).Append('}');
            }

            alternatives.Add(alternative.ToString());
        }

        return $"^0*(?:{string.Join('|', alternatives)})$";
    }

    /// <summary>A Caddy duration: whole seconds as "30s", anything else in (rounded up) milliseconds.</summary>
    internal static string Duration(TimeSpan value)
    {
        var milliseconds = (long)Math.Ceiling(value.TotalMilliseconds);
        return milliseconds % 1000 == 0
            ? (milliseconds / 1000).ToString(CultureInfo.InvariantCulture) + "s"
            : milliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
    }

    private static string Listen(string? host, int port)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        if (host is null)
        {
            return ":" + portText;
        }

        return IPAddress.TryParse(host, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{address}]:{portText}"
            : $"{host}:{portText}";
    }

    private static JsonObject ChallengeRoute(string token, string keyAuthorization) => new()
    {
        ["@id"] = ChallengeRouteId(token),
        ["match"] = new JsonArray(new JsonObject { ["path"] = new JsonArray(ChallengePathPrefix + token) }),
        ["handle"] = new JsonArray(new JsonObject
        {
            ["handler"] = "static_response",
            ["status_code"] = 200,
            ["headers"] = new JsonObject { ["Content-Type"] = new JsonArray("application/octet-stream") },
            ["body"] = keyAuthorization,
        }),
        ["terminal"] = true,
    };

    private static JsonObject RedirectRoute(string domain, int httpsPort)
    {
        var authority = httpsPort == 443 ? domain : $"{domain}:{httpsPort.ToString(CultureInfo.InvariantCulture)}";
        return new JsonObject
        {
            ["@id"] = SiteRouteId(domain, https: false),
            ["match"] = new JsonArray(new JsonObject
            {
                ["host"] = new JsonArray(domain),
                ["not"] = new JsonArray(new JsonObject { ["path"] = new JsonArray(ChallengePathPrefix + "*") }),
            }),
            ["handle"] = new JsonArray(new JsonObject
            {
                ["handler"] = "static_response",
                ["status_code"] = 308,
                ["headers"] = new JsonObject { ["Location"] = new JsonArray($"https://{authority}{{http.request.uri}}") },
            }),
            ["terminal"] = true,
        };
    }

    private static JsonObject SiteRoute(EdgeSite site, string domain, bool https)
    {
        var routes = new JsonArray();
        if (https)
        {
            // Deferred: applied when the response starts, over whatever the upstream sent.
            routes.Add(new JsonObject
            {
                ["handle"] = new JsonArray(new JsonObject
                {
                    ["handler"] = "headers",
                    ["response"] = new JsonObject
                    {
                        ["set"] = new JsonObject { ["Strict-Transport-Security"] = new JsonArray(HstsHeaderValue) },
                        ["deferred"] = true,
                    },
                }),
            });
        }

        var ordered = site.Routes
            .OrderByDescending(r => r.PathPrefix.Length)
            .ThenBy(r => r.PathPrefix, StringComparer.Ordinal)
            .ToList();
        foreach (var route in ordered)
        {
            if (route.MaxBodyBytes is { } limit)
            {
                var tooLarge = PathMatcher(route.PathPrefix);
                tooLarge["header_regexp"] = new JsonObject
                {
                    ["Content-Length"] = new JsonObject { ["pattern"] = NumberAbovePattern(limit) },
                };
                routes.Add(new JsonObject
                {
                    ["match"] = new JsonArray(tooLarge),
                    ["handle"] = new JsonArray(StaticText(413, "Request body too large.\n")),
                    ["terminal"] = true,
                });
            }

            var handlers = new JsonArray();
            if (route.MaxBodyBytes is { } max)
            {
                handlers.Add(new JsonObject { ["handler"] = "request_body", ["max_size"] = max });
            }

            handlers.Add(ReverseProxy(route));
            var proxyRoute = new JsonObject();
            if (route.PathPrefix != "/")
            {
                proxyRoute["match"] = new JsonArray(PathMatcher(route.PathPrefix));
            }

            proxyRoute["handle"] = handlers;
            proxyRoute["terminal"] = true;
            routes.Add(proxyRoute);
        }

        if (ordered.TrueForAll(r => r.PathPrefix != "/"))
        {
            routes.Add(NotFound("Not found.\n"));
        }

        return new JsonObject
        {
            ["@id"] = SiteRouteId(domain, https),
            ["match"] = new JsonArray(new JsonObject { ["host"] = new JsonArray(domain) }),
            ["handle"] = new JsonArray(new JsonObject { ["handler"] = "subroute", ["routes"] = routes }),
            ["terminal"] = true,
        };
    }

    private static JsonObject PathMatcher(string prefix) => prefix == "/"
        ? new JsonObject()
        : new JsonObject { ["path"] = new JsonArray(prefix, prefix + "/*") };

    private static JsonObject ReverseProxy(EdgeRoute route)
    {
        var proxy = new JsonObject
        {
            ["handler"] = "reverse_proxy",
            ["upstreams"] = new JsonArray(new JsonObject { ["dial"] = route.Upstream }),
        };
        if (!route.Buffering)
        {
            proxy["flush_interval"] = -1;
        }

        if (route.Timeout is { } timeout)
        {
            var transport = new JsonObject
            {
                ["protocol"] = "http",
                ["response_header_timeout"] = Duration(timeout),
            };

            // A per-read deadline would cut an idle WebSocket or an idle stream.
            if (route.Buffering && !route.WebSocket)
            {
                transport["read_timeout"] = Duration(timeout);
            }

            proxy["transport"] = transport;
        }

        return proxy;
    }

    private static JsonObject NotFound(string text) => new()
    {
        ["handle"] = new JsonArray(StaticText(404, text)),
        ["terminal"] = true,
    };

    private static JsonObject StaticText(int status, string text) => new()
    {
        ["handler"] = "static_response",
        ["status_code"] = status,
        ["headers"] = new JsonObject { ["Content-Type"] = new JsonArray(PlainText) },
        ["body"] = text,
    };
}
