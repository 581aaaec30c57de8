using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace HostPanel.Acme.Tests.Unit;

/// <summary>The signed requests: flattened JWS, ES256, "jwk" for newAccount and "kid" afterwards.</summary>
public class JwsTests
{
    private readonly StubAcmeServer server = new();
    private readonly AcmeAccountKey key = AcmeAccountKey.Generate();

    /// <summary>Checks the ES256 signature with a key rebuilt from the JWK coordinates alone.</summary>
    private static bool SignatureVerifies(RecordedRequest request, JsonElement jwk)
    {
        using var publicKey = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint
            {
                X = TestSupport.FromBase64Url(jwk.GetProperty("x").GetString()!),
                Y = TestSupport.FromBase64Url(jwk.GetProperty("y").GetString()!),
            },
        });
        var jws = request.Jws;
        var signingInput = Encoding.ASCII.GetBytes($"{jws.GetProperty("protected").GetString()}.{jws.GetProperty("payload").GetString()}");
        var signature = TestSupport.FromBase64Url(jws.GetProperty("signature").GetString()!);
        Assert.Equal(64, signature.Length);
        return publicKey.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private JsonElement ExpectedJwk()
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(key.ExportPkcs8(), out _);
        var q = ecdsa.ExportParameters(false).Q;
        return TestSupport.ParseJson($$"""{"kty":"EC","crv":"P-256","x":"{{TestSupport.ToBase64Url(q.X!)}}","y":"{{TestSupport.ToBase64Url(q.Y!)}}"}""");
    }

    [Fact]
    public async Task NewAccountIsSignedWithThePublicKeyInAJwkHeader()
    {
        using var timeout = TestSupport.Timeout();
        server.Handle = _ => StubAcmeServer.Account();
        var client = new AcmeClient(server.Client(), StubAcmeServer.DirectoryUrl, key);

        await client.CreateAccountAsync(["admin@example.org", "mailto:ops@example.org"], true, timeout.Token);

        var request = Assert.Single(server.Signed("/new-account"));
        Assert.Equal("application/jose+json", request.ContentType);
        Assert.Equal(["payload", "protected", "signature"], request.Jws.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var header = request.ProtectedHeader;
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.Equal("https://acme.test/new-account", header.GetProperty("url").GetString());
        Assert.Equal("nonce-1", header.GetProperty("nonce").GetString());
        Assert.False(header.TryGetProperty("kid", out _));
        var jwk = header.GetProperty("jwk");
        var expected = ExpectedJwk();
        Assert.Equal("EC", jwk.GetProperty("kty").GetString());
        Assert.Equal("P-256", jwk.GetProperty("crv").GetString());
        Assert.Equal(expected.GetProperty("x").GetString(), jwk.GetProperty("x").GetString());
        Assert.Equal(expected.GetProperty("y").GetString(), jwk.GetProperty("y").GetString());
        Assert.False(jwk.TryGetProperty("d", out _));
        Assert.True(SignatureVerifies(request, jwk));

        var payload = TestSupport.ParseJson(request.Payload);
        Assert.True(payload.GetProperty("termsOfServiceAgreed").GetBoolean());
        Assert.Equal(["mailto:admin@example.org", "mailto:ops@example.org"], payload.GetProperty("contact").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task LaterRequestsCarryTheAccountUrlAsKidAndPOSTAsGETHasAnEmptyPayload()
    {
        using var timeout = TestSupport.Timeout();
        server.Handle = r => r.Url.AbsolutePath == "/new-account"
            ? StubAcmeServer.Account()
            : StubAcmeServer.Json(HttpStatusCode.OK, """{"status":"valid","identifiers":[{"type":"dns","value":"example.org"}],"authorizations":[],"finalize":"https://acme.test/order/7/finalize","certificate":"https://acme.test/cert/7"}""");
        var client = new AcmeClient(server.Client(), StubAcmeServer.DirectoryUrl, key);
        await client.CreateAccountAsync([], true, timeout.Token);

        var order = await client.GetOrderAsync(StubAcmeServer.Url("/order/7"), timeout.Token);

        Assert.Equal(StubAcmeServer.Url("/acct/1"), client.AccountUrl);
        Assert.Equal(StubAcmeServer.Url("/cert/7"), order.Certificate);
        var request = Assert.Single(server.Signed("/order/7"));
        var header = request.ProtectedHeader;
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.Equal("https://acme.test/acct/1", header.GetProperty("kid").GetString());
        Assert.False(header.TryGetProperty("jwk", out _));
        Assert.Equal("https://acme.test/order/7", header.GetProperty("url").GetString());
        Assert.Equal("nonce-2", header.GetProperty("nonce").GetString());
        Assert.Equal(string.Empty, request.Jws.GetProperty("payload").GetString());
        Assert.True(SignatureVerifies(request, ExpectedJwk()));
    }

    [Fact]
    public async Task ATamperedPayloadNoLongerVerifies()
    {
        // Guards the verification helper itself: it must be able to say no.
        using var timeout = TestSupport.Timeout();
        server.Handle = _ => StubAcmeServer.Account();
        var client = new AcmeClient(server.Client(), StubAcmeServer.DirectoryUrl, key);
        await client.CreateAccountAsync([], true, timeout.Token);
        var request = Assert.Single(server.Signed("/new-account"));
        var jws = request.Jws;
        var tampered = request with
        {
            Body = $$"""{"protected":"{{jws.GetProperty("protected").GetString()}}","payload":"{{TestSupport.ToBase64Url("{}"u8.ToArray())}}","signature":"{{jws.GetProperty("signature").GetString()}}"}""",
        };

        Assert.False(SignatureVerifies(tampered, ExpectedJwk()));
    }

    [Fact]
    public async Task SignedRequestsNeedAnAccountFirst()
    {
        using var timeout = TestSupport.Timeout();
        var client = new AcmeClient(server.Client(), StubAcmeServer.DirectoryUrl, key);

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetOrderAsync(StubAcmeServer.Url("/order/1"), timeout.Token));
    }
}
