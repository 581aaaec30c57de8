using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HostPanel.Core.Edge;

namespace HostPanel.Core.Tests.Edge;

public class CaddyConfigRendererTests
{
    private static readonly CaddyOptions Options = new()
    {
        AdminListen = "unix//run/hostpanel/caddy-admin.sock",
        HttpPort = 8080,
        HttpsPort = 8443,
        StorageDirectory = "/var/lib/hostpanel/caddy",
    };

    private static readonly EdgeCertificate NotesCertificate = new("/var/lib/hostpanel/certs/notes/chain.pem", "/var/lib/hostpanel/certs/notes/key.pem");

    private static EdgeRoute Route(string prefix = "/", string upstream = "10.0.0.2:8080") => new() { PathPrefix = prefix, Upstream = upstream };

    private static EdgeSite Site(string domain, EdgeCertificate? certificate = null, params EdgeRoute[] routes) => new()
    {
        Domain = domain,
        Instance = "inst-" + domain.Split('.')[0],
        Routes = routes.Length == 0 ? [Route()] : routes,
        Certificate = certificate,
    };

    private static JsonObject Render(EdgeConfiguration configuration, CaddyOptions? options = null) =>
        JsonNode.Parse(CaddyConfigRenderer.Render(configuration, options ?? Options))!.AsObject();

    private static JsonArray Routes(JsonObject root, string server) => root["apps"]!["http"]!["servers"]![server]!["routes"]!.AsArray();

    private static JsonObject? SiteRoute(JsonObject root, string server, string domain) =>
        Routes(root, server).Select(r => r!.AsObject()).SingleOrDefault(r => (string?)r["@id"] == CaddyConfigRenderer.SiteRouteId(domain, server == "https"));

    private static JsonArray Subroutes(JsonObject siteRoute) => siteRoute["handle"]![0]!["routes"]!.AsArray();

    private static IEnumerable<JsonObject> Handlers(JsonNode node, string handler) =>
        Descendants(node).OfType<JsonObject>().Where(o => (string?)o["handler"] == handler);

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            foreach (var d in Descendants(child))
            {
                yield return d;
            }
        }
    }

    private static JsonObject Proxy(JsonObject root, string server, string domain, string prefix)
    {
        var site = SiteRoute(root, server, domain)!;
        var route = Subroutes(site).Select(r => r!.AsObject()).Single(r =>
            Handlers(r, "reverse_proxy").Any() && ((string?)r["match"]?[0]?["path"]?[0] ?? "/") == prefix);
        return Handlers(route, "reverse_proxy").Single();
    }

    [Fact]
    public void TheSameInputGivesTheSameBytesWhateverTheOrderOfSitesRoutesAndChallenges()
    {
        var a = new EdgeConfiguration
        {
            Sites = [Site("zeta.example", NotesCertificate, Route("/"), Route("/api")), Site("alpha.example")],
            Challenges = new Dictionary<string, string> { ["tok-b"] = "tok-b.thumb", ["tok-a"] = "tok-a.thumb" },
        };
        var b = new EdgeConfiguration
        {
            Sites = [Site("alpha.example"), Site("zeta.example", NotesCertificate, Route("/api"), Route("/"))],
            Challenges = new Dictionary<string, string> { ["tok-a"] = "tok-a.thumb", ["tok-b"] = "tok-b.thumb" },
        };

        var first = CaddyConfigRenderer.Render(a, Options);

        Assert.Equal(first, CaddyConfigRenderer.Render(a, Options));
        Assert.Equal(first, CaddyConfigRenderer.Render(b, Options));
    }

    [Fact]
    public void SitesComeSortedByDomainAndRoutesLongestPathFirst()
    {
        var root = Render(new EdgeConfiguration
        {
            Sites =
            [
                Site("b.example", null, Route("/"), Route("/a"), Route("/api/v2"), Route("/api")),
                Site("A.example"),
                Site("c.example"),
            ],
        });

        var ids = Routes(root, "http").Select(r => (string?)r!["@id"]).ToList();
        Assert.Equal(["site-a.example-http", "site-b.example-http", "site-c.example-http", null], ids);
        var prefixes = Subroutes(SiteRoute(root, "http", "b.example")!)
            .Select(r => r!["match"]?[0]?["path"]?[0]?.GetValue<string>() ?? "/")
            .ToList();
        Assert.Equal(["/api/v2", "/api", "/a", "/"], prefixes);
        var api = Subroutes(SiteRoute(root, "http", "b.example")!)[1]!["match"]![0]!["path"]!.AsArray().Select(p => p!.GetValue<string>());
        Assert.Equal(["/api", "/api/*"], api);
    }

    [Fact]
    public void ASiteWithoutCertificateIsProxiedOverPlainHttpOnly()
    {
        var root = Render(new EdgeConfiguration { Sites = [Site("notes.example")] });

        var site = SiteRoute(root, "http", "notes.example")!;
        Assert.Equal("notes.example", site["match"]![0]!["host"]![0]!.GetValue<string>());
        Assert.True(site["terminal"]!.GetValue<bool>());
        Assert.Equal("10.0.0.2:8080", Proxy(root, "http", "notes.example", "/")["upstreams"]![0]!["dial"]!.GetValue<string>());
        Assert.Null(SiteRoute(root, "https", "notes.example"));
        Assert.DoesNotContain(Handlers(root, "static_response"), h => (int?)h["status_code"] == 308);
        Assert.Empty(Handlers(root, "headers"));
        Assert.Null(root["apps"]!["tls"]);
    }

    [Fact]
    public void ASiteWithACertificateIsRedirectedFromHttpAndServedOverHttpsWithHsts()
    {
        var root = Render(new EdgeConfiguration { Sites = [Site("notes.example", NotesCertificate)] });

        var redirect = SiteRoute(root, "http", "notes.example")!;
        var matcher = redirect["match"]![0]!;
        Assert.Equal("notes.example", matcher["host"]![0]!.GetValue<string>());
        Assert.Equal("/.well-known/acme-challenge/*", matcher["not"]![0]!["path"]![0]!.GetValue<string>());
        var response = Handlers(redirect, "static_response").Single();
        Assert.Equal(308, response["status_code"]!.GetValue<int>());
        Assert.Equal("https://notes.example:8443{http.request.uri}", response["headers"]!["Location"]![0]!.GetValue<string>());
        Assert.Empty(Handlers(Routes(root, "http"), "reverse_proxy"));
        Assert.Empty(Handlers(Routes(root, "http"), "headers"));

        var https = SiteRoute(root, "https", "notes.example")!;
        var hsts = Handlers(https, "headers").Single();
        Assert.Equal("max-age=31536000", hsts["response"]!["set"]!["Strict-Transport-Security"]![0]!.GetValue<string>());
        Assert.True(hsts["response"]!["deferred"]!.GetValue<bool>());
        Assert.Null(Subroutes(https)[0]!["match"]);
        Assert.Equal("10.0.0.2:8080", Proxy(root, "https", "notes.example", "/")["upstreams"]![0]!["dial"]!.GetValue<string>());
    }

    [Fact]
    public void TheRedirectLeavesOutTheDefaultHttpsPort()
    {
        var root = Render(new EdgeConfiguration { Sites = [Site("notes.example", NotesCertificate)] }, Options with { HttpPort = 80, HttpsPort = 443 });

        var response = Handlers(SiteRoute(root, "http", "notes.example")!, "static_response").Single();
        Assert.Equal("https://notes.example{http.request.uri}", response["headers"]!["Location"]![0]!.GetValue<string>());
    }

    [Fact]
    public void ChallengesAreAnsweredFirstForAnyHostBeforeEveryRedirect()
    {
        var root = Render(new EdgeConfiguration
        {
            Sites = [Site("notes.example", NotesCertificate), Site("aaa.example", NotesCertificate with { ChainFile = "/c/other.pem" })],
            Challenges = new Dictionary<string, string> { ["zzTok"] = "zzTok.print", ["Ab-c_9"] = "Ab-c_9.thumb-print_1" },
        });

        var routes = Routes(root, "http").Select(r => r!.AsObject()).ToList();
        Assert.Equal(["challenge-Ab-c_9", "challenge-zzTok"], routes.Take(2).Select(r => (string?)r["@id"]));
        foreach (var (route, token, answer) in new[] { (routes[0], "Ab-c_9", "Ab-c_9.thumb-print_1"), (routes[1], "zzTok", "zzTok.print") })
        {
            var matcher = Assert.Single(route["match"]!.AsArray())!.AsObject();
            Assert.Equal(["path"], matcher.Select(p => p.Key));
            Assert.Equal("/.well-known/acme-challenge/" + token, matcher["path"]![0]!.GetValue<string>());
            var response = Handlers(route, "static_response").Single();
            Assert.Equal(200, response["status_code"]!.GetValue<int>());
            Assert.Equal(answer, response["body"]!.GetValue<string>());
            Assert.True(route["terminal"]!.GetValue<bool>());
        }

        Assert.Equal(["site-aaa.example-http", "site-notes.example-http"], routes.Skip(2).Take(2).Select(r => (string?)r["@id"]));
        Assert.DoesNotContain(Routes(root, "https"), r => ((string?)r!["@id"])?.StartsWith("challenge-", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void BothServersEndWithAPlainTextNotFound()
    {
        var root = Render(new EdgeConfiguration { Sites = [Site("notes.example", NotesCertificate)] });

        foreach (var server in new[] { "http", "https" })
        {
            var last = Routes(root, server)[^1]!.AsObject();
            Assert.Null(last["match"]);
            var response = Handlers(last, "static_response").Single();
            Assert.Equal(404, response["status_code"]!.GetValue<int>());
            Assert.StartsWith("text/plain", response["headers"]!["Content-Type"]![0]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(response["body"]!.GetValue<string>()));
        }
    }

    [Fact]
    public void ASiteWithoutARootRouteAnswersNotFoundOutsideItsPrefixes()
    {
        var root = Render(new EdgeConfiguration { Sites = [Site("notes.example", null, Route("/app"))] });

        var last = Subroutes(SiteRoute(root, "http", "notes.example")!)[^1]!;
        Assert.Null(last["match"]);
        Assert.Equal(404, Handlers(last, "static_response").Single()["status_code"]!.GetValue<int>());
    }

    [Fact]
    public void TheServersListenOnTheirPortsWithCaddysAutomaticHttpsOff()
    {
        var root = Render(new EdgeConfiguration { Sites = [Site("notes.example", NotesCertificate)] }, Options with { ListenHost = "127.0.0.1" });

        var http = root["apps"]!["http"]!;
        Assert.Equal(8080, http["http_port"]!.GetValue<int>());
        Assert.Equal(8443, http["https_port"]!.GetValue<int>());
        Assert.Equal("127.0.0.1:8080", http["servers"]!["http"]!["listen"]![0]!.GetValue<string>());
        Assert.Equal("127.0.0.1:8443", http["servers"]!["https"]!["listen"]![0]!.GetValue<string>());
        foreach (var server in new[] { "http", "https" })
        {
            Assert.True(http["servers"]![server]!["automatic_https"]!["disable"]!.GetValue<bool>());
        }

        Assert.Null(http["servers"]!["http"]!["tls_connection_policies"]);
        var policy = Assert.Single(http["servers"]!["https"]!["tls_connection_policies"]!.AsArray())!.AsObject();
        Assert.Empty(policy);
        Assert.Equal(":8080", Render(EdgeConfiguration.Empty)["apps"]!["http"]!["servers"]!["http"]!["listen"]![0]!.GetValue<string>());
        Assert.Equal("[::1]:8443", Render(EdgeConfiguration.Empty, Options with { ListenHost = "::1" })["apps"]!["http"]!["servers"]!["https"]!["listen"]![0]!.GetValue<string>());
    }

    [Fact]
    public void TheAdminApiKeepsNothingOnDiskAndStorageIsHostPanels()
    {
        var root = Render(EdgeConfiguration.Empty);

        Assert.Equal("unix//run/hostpanel/caddy-admin.sock", root["admin"]!["listen"]!.GetValue<string>());
        Assert.False(root["admin"]!["config"]!["persist"]!.GetValue<bool>());
        Assert.Equal(["localhost"], root["admin"]!["origins"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Equal("file_system", root["storage"]!["module"]!.GetValue<string>());
        Assert.Equal("/var/lib/hostpanel/caddy", root["storage"]!["root"]!.GetValue<string>());
        Assert.Equal("/run/hostpanel/caddy-admin.sock", Options.AdminSocketPath);
    }

    [Fact]
    public void CertificatesAreGivenAsFilesOnceEachAndNeverAsPem()
    {
        var other = new EdgeCertificate("/certs/other/chain.pem", "/certs/other/key.pem");
        var text = CaddyConfigRenderer.Render(new EdgeConfiguration
        {
            Sites = [Site("notes.example", NotesCertificate), Site("www.notes.example", NotesCertificate), Site("other.example", other), Site("plain.example")],
        }, Options);

        var files = JsonNode.Parse(text)!["apps"]!["tls"]!["certificates"]!["load_files"]!.AsArray()
            .Select(f => (f!["certificate"]!.GetValue<string>(), f["key"]!.GetValue<string>()))
            .ToList();
        Assert.Equal([(NotesCertificate.ChainFile, NotesCertificate.KeyFile), (other.ChainFile, other.KeyFile)], files);
        Assert.DoesNotContain("load_pem", text, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN", text, StringComparison.Ordinal);
        Assert.DoesNotContain("automation", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ABodyLimitIsRefusedFromTheDeclaredLengthAndEnforcedWhileReading()
    {
        var root = Render(new EdgeConfiguration
        {
            Sites = [Site("notes.example", NotesCertificate, Route("/upload") with { MaxBodyBytes = 1_048_576 }, Route("/"))],
        });

        var routes = Subroutes(SiteRoute(root, "https", "notes.example")!).Select(r => r!.AsObject()).ToList();
        var refusal = routes.Single(r => Handlers(r, "static_response").Any());
        Assert.Equal(["/upload", "/upload/*"], refusal["match"]![0]!["path"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(CaddyConfigRenderer.NumberAbovePattern(1_048_576), refusal["match"]![0]!["header_regexp"]!["Content-Length"]!["pattern"]!.GetValue<string>());
        Assert.Equal(413, Handlers(refusal, "static_response").Single()["status_code"]!.GetValue<int>());
        Assert.True(routes.IndexOf(refusal) < routes.FindIndex(r => Handlers(r, "reverse_proxy").Any()));

        var upload = routes.Single(r => Handlers(r, "request_body").Any());
        var handlers = upload["handle"]!.AsArray().Select(h => h!["handler"]!.GetValue<string>());
        Assert.Equal(["request_body", "reverse_proxy"], handlers);
        Assert.Equal(1_048_576, Handlers(upload, "request_body").Single()["max_size"]!.GetValue<long>());
        Assert.Single(Handlers(root, "request_body"));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(9L)]
    [InlineData(10L)]
    [InlineData(99L)]
    [InlineData(1000L)]
    [InlineData(1999L)]
    [InlineData(1_048_576L)]
    [InlineData(90_909L)]
    public void TheContentLengthPatternMatchesExactlyTheNumbersAboveTheLimit(long limit)
    {
        var pattern = new Regex(CaddyConfigRenderer.NumberAbovePattern(limit), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        var candidates = new[] { 0L, 1, 2, 8, 9, 10, 11, 99, 100, 101, limit - 1, limit, limit + 1, limit + 10, limit * 10, limit + 1_000_000 }
            .Concat(Enumerable.Range(0, 2000).Select(i => (long)i))
            .Where(n => n >= 0);

        foreach (var n in candidates)
        {
            Assert.True(pattern.IsMatch(n.ToString(System.Globalization.CultureInfo.InvariantCulture)) == n > limit, $"{n} against limit {limit}: {pattern}");
        }

        Assert.Equal(limit + 1 > 0, pattern.IsMatch("000" + (limit + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.DoesNotMatch(pattern, "");
        Assert.DoesNotMatch(pattern, "12a");
        Assert.DoesNotMatch(pattern, "-5");
    }

    [Fact]
    public void StreamingFlushesAtOnceAndBufferingKeepsCaddysDefault()
    {
        var root = Render(new EdgeConfiguration
        {
            Sites = [Site("notes.example", null, Route("/events") with { Buffering = false }, Route("/"))],
        });

        Assert.Equal(-1, Proxy(root, "http", "notes.example", "/events")["flush_interval"]!.GetValue<int>());
        Assert.Null(Proxy(root, "http", "notes.example", "/")["flush_interval"]);
    }

    [Fact]
    public void ATimeoutBoundsTheUpstreamButNeverCutsAnIdleWebSocketOrStream()
    {
        var root = Render(new EdgeConfiguration
        {
            Sites =
            [
                Site(
                    "notes.example",
                    null,
                    Route("/") with { Timeout = TimeSpan.FromSeconds(90) },
                    Route("/ws") with { WebSocket = true, Timeout = TimeSpan.FromMilliseconds(1500) },
                    Route("/events") with { Buffering = false, Timeout = TimeSpan.FromMinutes(2) },
                    Route("/plain")),
            ],
        });

        var plain = Proxy(root, "http", "notes.example", "/")["transport"]!;
        Assert.Equal("http", plain["protocol"]!.GetValue<string>());
        Assert.Equal("90s", plain["response_header_timeout"]!.GetValue<string>());
        Assert.Equal("90s", plain["read_timeout"]!.GetValue<string>());
        var ws = Proxy(root, "http", "notes.example", "/ws")["transport"]!;
        Assert.Equal("1500ms", ws["response_header_timeout"]!.GetValue<string>());
        Assert.Null(ws["read_timeout"]);
        var events = Proxy(root, "http", "notes.example", "/events")["transport"]!;
        Assert.Equal("120s", events["response_header_timeout"]!.GetValue<string>());
        Assert.Null(events["read_timeout"]);
        Assert.Null(Proxy(root, "http", "notes.example", "/plain")["transport"]);
    }

    [Fact]
    public void AWebSocketRouteIsAPlainReverseProxy()
    {
        var root = Render(new EdgeConfiguration { Sites = [Site("notes.example", NotesCertificate, Route("/") with { WebSocket = true })] });

        var proxy = Proxy(root, "https", "notes.example", "/");
        Assert.Equal(["handler", "upstreams"], proxy.Select(p => p.Key));
        Assert.DoesNotContain("Upgrade", root.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Connection", root.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.0, "1s")]
    [InlineData(0.25, "250ms")]
    [InlineData(0.0001, "1ms")]
    [InlineData(3600.0, "3600s")]
    public void DurationsAreWrittenTheWayCaddyReadsThem(double seconds, string expected) =>
        Assert.Equal(expected, CaddyConfigRenderer.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void FilePathsWithQuotesBackslashesAndBracesStayPlainStrings()
    {
        var tricky = new EdgeCertificate("/certs/a\"b\\c/{http.request.uri}/ch\u00e9in\u2028.pem", "/certs/\"},\"load_pem\":[{\"key\":\"x\"}],\"a\":{\"b\":\"/key.pem");
        var text = CaddyConfigRenderer.Render(new EdgeConfiguration { Sites = [Site("notes.example", tricky)] }, Options with { StorageDirectory = "/data/\"x\"" });

        var root = JsonNode.Parse(text)!;
        var file = Assert.Single(root["apps"]!["tls"]!["certificates"]!["load_files"]!.AsArray())!;
        Assert.Equal(tricky.ChainFile, file["certificate"]!.GetValue<string>());
        Assert.Equal(tricky.KeyFile, file["key"]!.GetValue<string>());
        Assert.Equal(["certificate", "key"], file.AsObject().Select(p => p.Key));
        Assert.Equal("/data/\"x\"", root["storage"]!["root"]!.GetValue<string>());
        Assert.Null(root["apps"]!["tls"]!["certificates"]!["load_pem"]);
        Assert.Equal(["admin", "storage", "apps"], root.AsObject().Select(p => p.Key));
    }

    [Theory]
    [InlineData("notes.example\"")]
    [InlineData("notes.example\n")]
    [InlineData("notes.example\",\"x.example")]
    [InlineData("*.example")]
    [InlineData("{http.request.host}")]
    [InlineData("notes example")]
    [InlineData("-notes.example")]
    [InlineData("notes..example")]
    [InlineData("")]
    [InlineData("v\u00e9lo.example")]
    public void DomainsThatAreNotPlainHostNamesAreRefused(string domain)
    {
        var ex = Assert.Throws<ArgumentException>(() => CaddyConfigRenderer.Render(new EdgeConfiguration { Sites = [Site(domain.Length == 0 ? "x" : domain) with { Domain = domain }] }, Options));

        Assert.Contains("not a valid ASCII (punycode) host name", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/app/*")]
    [InlineData("/{http.request.uri}")]
    [InlineData("/a\"b")]
    [InlineData("/a b")]
    [InlineData("/a%2F")]
    [InlineData("/app/")]
    [InlineData("app")]
    [InlineData("//app")]
    [InlineData("/app\n")]
    [InlineData("/app?x=1")]
    public void PathPrefixesWithPatternOrPlaceholderCharactersAreRefused(string prefix)
    {
        var ex = Assert.Throws<ArgumentException>(() => CaddyConfigRenderer.Render(new EdgeConfiguration { Sites = [Site("notes.example", null, Route(prefix))] }, Options));

        Assert.Contains("path prefix", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.2")]
    [InlineData("10.0.0.2:0")]
    [InlineData("10.0.0.2:65536")]
    [InlineData("{env.HOME}:80")]
    [InlineData("app:80\",\"x")]
    [InlineData("app :80")]
    [InlineData("[not-v6]:80")]
    [InlineData("unix//run/app.sock")]
    public void UpstreamsThatAreNotHostAndPortAreRefused(string upstream)
    {
        var ex = Assert.Throws<ArgumentException>(() => CaddyConfigRenderer.Render(new EdgeConfiguration { Sites = [Site("notes.example", null, Route("/", upstream))] }, Options));

        Assert.Contains("is not host:port", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hp-notes-web:8080")]
    [InlineData("127.0.0.1:1")]
    [InlineData("[::1]:65535")]
    [InlineData("my_app.internal:3000")]
    public void HostAndPortUpstreamsAreAccepted(string upstream)
    {
        var root = Render(new EdgeConfiguration { Sites = [Site("notes.example", null, Route("/", upstream))] });

        Assert.Equal(upstream, Proxy(root, "http", "notes.example", "/")["upstreams"]![0]!["dial"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("tok", "tok.{http.request.uri}")]
    [InlineData("tok", "other.thumb")]
    [InlineData("tok", "tok.thumb\n")]
    [InlineData("tok/../x", "tok/../x.thumb")]
    [InlineData("tok*", "tok*.thumb")]
    public void ChallengesThatAreNotBase64UrlAreRefused(string token, string keyAuthorization)
    {
        var ex = Assert.Throws<ArgumentException>(() => CaddyConfigRenderer.Render(
            new EdgeConfiguration { Challenges = new Dictionary<string, string> { [token] = keyAuthorization } }, Options));

        Assert.Contains($"challenge '{token}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryProblemIsListedAtOnce()
    {
        var configuration = new EdgeConfiguration
        {
            Sites =
            [
                Site("notes.example"),
                Site("NOTES.example"),
                Site("empty.example") with { Routes = [] },
                Site("twice.example", null, Route("/a"), Route("/A")),
                Site("limits.example", new EdgeCertificate("relative/chain.pem", "/key.pem"), Route("/") with { MaxBodyBytes = -1, Timeout = TimeSpan.Zero }),
                Site("noinstance.example") with { Instance = " " },
            ],
        };

        var problems = configuration.Validate();

        Assert.Equal(
            [
                "site 'NOTES.example': the domain appears more than once",
                "site 'empty.example': no route",
                "site 'twice.example', route '/A': the path prefix appears more than once",
                "site 'limits.example', route '/': the body limit is negative",
                "site 'limits.example', route '/': the timeout is not positive",
                "site 'limits.example': the certificate chain file is not an absolute path",
                "site 'noinstance.example': no instance",
            ],
            problems);
        Assert.Throws<ArgumentException>(() => CaddyConfigRenderer.Render(configuration, Options));
    }

    [Theory]
    [InlineData("tcp/127.0.0.1:2019", 80, 443, "/data")]
    [InlineData("unix/relative.sock", 80, 443, "/data")]
    [InlineData("unix//run/a.sock", 80, 80, "/data")]
    [InlineData("unix//run/a.sock", 0, 443, "/data")]
    [InlineData("unix//run/a.sock", 80, 443, "data")]
    public void OptionsThatCannotWorkAreRefused(string admin, int http, int https, string storage)
    {
        var options = new CaddyOptions { AdminListen = admin, HttpPort = http, HttpsPort = https, StorageDirectory = storage };

        var ex = Assert.Throws<ArgumentException>(() => CaddyConfigRenderer.Render(EdgeConfiguration.Empty, options));

        Assert.StartsWith("The edge configuration cannot be rendered: options: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SiteIdsAreLowerCaseAndNamedAfterTheServer()
    {
        Assert.Equal("site-notes.example-https", CaddyConfigRenderer.SiteRouteId("Notes.Example", https: true));
        Assert.Equal("site-notes.example-http", CaddyConfigRenderer.SiteRouteId("notes.example", https: false));
        Assert.Equal("challenge-abc", CaddyConfigRenderer.ChallengeRouteId("abc"));
    }
}
