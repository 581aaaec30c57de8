using System.Text.Json.Nodes;
using HostPanel.Core.Edge;

namespace HostPanel.Core.Tests.Edge;

public class CaddyConfigRedactorTests
{
    private static readonly CaddyOptions Options = new()
    {
        AdminListen = "unix//run/hostpanel/caddy-admin.sock",
        StorageDirectory = "/var/lib/hostpanel/caddy",
    };

    [Fact]
    public void HostPanelsOwnRenderingIsShownAsItIs()
    {
        var rendered = CaddyConfigRenderer.Render(
            new EdgeConfiguration
            {
                Sites =
                [
                    new EdgeSite
                    {
                        Domain = "notes.example",
                        Instance = "notes",
                        Routes = [new EdgeRoute { PathPrefix = "/", Upstream = "hp-notes-web:8080", MaxBodyBytes = 1000 }],
                        Certificate = new EdgeCertificate("/var/lib/hostpanel/certs/notes/chain.pem", "/var/lib/hostpanel/certs/notes/key.pem"),
                    },
                ],
                Challenges = new Dictionary<string, string> { ["tok_en-1"] = "tok_en-1.thumbprint" },
            },
            Options);

        var shown = CaddyConfigRedactor.Redact(rendered);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(rendered), JsonNode.Parse(shown)));
        Assert.Contains("tok_en-1.thumbprint", shown, StringComparison.Ordinal);
        Assert.Contains("/var/lib/hostpanel/certs/notes/key.pem", shown, StringComparison.Ordinal);
        Assert.DoesNotContain(CaddyConfigRedactor.Redacted, shown, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretLikeFieldsAndPemBlocksAreReplaced()
    {
        const string json = """
            {
              "apps": {
                "tls": {
                  "certificates": {
                    "load_pem": [{ "certificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", "key": "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----" }],
                    "load_files": [{ "certificate": "/c/chain.pem", "key": "/c/key.pem" }]
                  },
                  "automation": { "policies": [{ "issuers": [{ "module": "acme", "api_key": "sk_live_123", "eab": { "key_id": "kid", "mac_key": "bWFj" } }] }] }
                },
                "http": {
                  "servers": {
                    "s": {
                      "routes": [{
                        "handle": [
                          { "handler": "authentication", "providers": { "http_basic": { "accounts": [{ "username": "admin", "password": "JDJhJDE0" }] } } },
                          { "handler": "headers", "request": { "set": { "Authorization": ["Bearer abc"], "X-Api-Key": ["k1"], "X-Trace": ["t"] } } },
                          { "handler": "static_response", "body": "tok.thumbprint", "status_code": 200 },
                          { "handler": "reverse_proxy", "transport": { "protocol": "http", "tls": { "client_certificate_key_file": "/c/client.key" } } }
                        ]
                      }]
                    }
                  }
                }
              },
              "secrets": { "nested": { "list": ["a", "b"], "count": 2, "on": true } },
              "client_secret": null
            }
            """;

        var shown = JsonNode.Parse(CaddyConfigRedactor.Redact(json))!;

        var pem = shown["apps"]!["tls"]!["certificates"]!["load_pem"]![0]!;
        Assert.Equal(CaddyConfigRedactor.Redacted, pem["certificate"]!.GetValue<string>());
        Assert.Equal(CaddyConfigRedactor.Redacted, pem["key"]!.GetValue<string>());
        Assert.Equal("/c/key.pem", shown["apps"]!["tls"]!["certificates"]!["load_files"]![0]!["key"]!.GetValue<string>());
        var issuer = shown["apps"]!["tls"]!["automation"]!["policies"]![0]!["issuers"]![0]!;
        Assert.Equal("acme", issuer["module"]!.GetValue<string>());
        Assert.Equal(CaddyConfigRedactor.Redacted, issuer["api_key"]!.GetValue<string>());
        Assert.Equal("kid", issuer["eab"]!["key_id"]!.GetValue<string>());
        Assert.Equal(CaddyConfigRedactor.Redacted, issuer["eab"]!["mac_key"]!.GetValue<string>());
        var handle = shown["apps"]!["http"]!["servers"]!["s"]!["routes"]![0]!["handle"]!;
        var account = handle[0]!["providers"]!["http_basic"]!["accounts"]![0]!;
        Assert.Equal("admin", account["username"]!.GetValue<string>());
        Assert.Equal(CaddyConfigRedactor.Redacted, account["password"]!.GetValue<string>());
        var set = handle[1]!["request"]!["set"]!;
        Assert.Equal(CaddyConfigRedactor.Redacted, set["Authorization"]![0]!.GetValue<string>());
        Assert.Equal(CaddyConfigRedactor.Redacted, set["X-Api-Key"]![0]!.GetValue<string>());
        Assert.Equal("t", set["X-Trace"]![0]!.GetValue<string>());
        Assert.Equal("tok.thumbprint", handle[2]!["body"]!.GetValue<string>());
        Assert.Equal("/c/client.key", handle[3]!["transport"]!["tls"]!["client_certificate_key_file"]!.GetValue<string>());
        var nested = shown["secrets"]!["nested"]!;
        Assert.Equal([CaddyConfigRedactor.Redacted, CaddyConfigRedactor.Redacted], nested["list"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(2, nested["count"]!.GetValue<int>());
        Assert.Null(shown["client_secret"]);
        var text = shown.ToJsonString();
        foreach (var secret in new[] { "MIIE", "MIIB", "sk_live_123", "bWFj", "JDJhJDE0", "Bearer", "k1" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AnEmptyConfigurationStaysNull() => Assert.Equal("null", CaddyConfigRedactor.Redact("null"));

    [Theory]
    [InlineData("key", true)]
    [InlineData("mac_key", true)]
    [InlineData("X-Api-Key", true)]
    [InlineData("keys", true)]
    [InlineData("Password", true)]
    [InlineData("client_secret", true)]
    [InlineData("access_token", true)]
    [InlineData("private_key_file", true)]
    [InlineData("Proxy-Authorization", true)]
    [InlineData("key_id", false)]
    [InlineData("key_type", false)]
    [InlineData("keep_alive", false)]
    [InlineData("body", false)]
    [InlineData("certificate", false)]
    public void SecretNamesAreRecognised(string name, bool secret) => Assert.Equal(secret, CaddyConfigRedactor.IsSecretName(name));
}
