using System.Security.Cryptography;
using System.Text;

namespace HostPanel.Acme.Tests.Unit;

/// <summary>The account key's thumbprint and the challenge answers derived from it.</summary>
public class ChallengeTests
{
    // A P-256 key made with `openssl genpkey`; its thumbprint was computed outside .NET from the public point.
    private const string KnownKeyPem = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgndtX3VjYGz7GvTM+
        scC1Xwy1vHcikUndFIQmHXj+7VChRANCAARWFEaObSIG1BZcecyieAd1ciuWiA0C
        7oQxZocvcwLlI5UHTgI5rttOkiTJ9FNIQeRmYGbTC0dAT0Z/lygNbLMD
        -----END PRIVATE KEY-----
        """;

    private const string KnownThumbprint = "t7PHLAkaCAXlx2h6bfHfxoQiJVyDGAcE4KRB0yML2l4";

    private static AcmeAccountKey KnownKey()
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(KnownKeyPem);
        return AcmeAccountKey.ImportPkcs8(ecdsa.ExportPkcs8PrivateKey());
    }

    [Fact]
    public void TheThumbprintOfAKnownKeyIsTheValueComputedByHand()
    {
        using var key = KnownKey();

        Assert.Equal(KnownThumbprint, key.Thumbprint);
    }

    [Fact]
    public void TheThumbprintIsTheSHA256OfTheCanonicalJWK()
    {
        using var key = AcmeAccountKey.Generate();
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(key.ExportPkcs8(), out _);
        var q = ecdsa.ExportParameters(false).Q;
        var canonical = $$"""{"crv":"P-256","kty":"EC","x":"{{TestSupport.ToBase64Url(q.X!)}}","y":"{{TestSupport.ToBase64Url(q.Y!)}}"}""";

        Assert.Equal(canonical, key.JwkJson);
        Assert.Equal(TestSupport.Sha256Base64Url(canonical), key.Thumbprint);
    }

    [Fact]
    public void TheThumbprintSurvivesAPKCS8ExportAndImportAndDiffersBetweenKeys()
    {
        using var key = AcmeAccountKey.Generate();
        using var again = AcmeAccountKey.ImportPkcs8(key.ExportPkcs8());
        using var other = AcmeAccountKey.Generate();

        Assert.Equal(key.Thumbprint, again.Thumbprint);
        Assert.NotEqual(key.Thumbprint, other.Thumbprint);
        var data = "signed by the first"u8.ToArray();
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(key.ExportPkcs8(), out _);
        Assert.True(again.Verify(data, ecdsa.SignData(data, HashAlgorithmName.SHA256)));
    }

    [Fact]
    public void OnlyP256ECDSAKeysAreAcceptedAsAccountKeys()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);

        Assert.ThrowsAny<CryptographicException>(() => AcmeAccountKey.ImportPkcs8(p384.ExportPkcs8PrivateKey()));
        Assert.ThrowsAny<CryptographicException>(() => AcmeAccountKey.ImportPkcs8(rsa.ExportPkcs8PrivateKey()));
    }

    [Fact]
    public void TheKeyAuthorizationIsTheTokenADotAndTheThumbprint()
    {
        using var key = KnownKey();
        var client = new AcmeClient(new HttpClient(), new Uri("https://acme.test/dir"), key);

        Assert.Equal($"tok-en_1.{KnownThumbprint}", client.GetKeyAuthorization("tok-en_1"));
        Assert.Equal($"tok-en_1.{KnownThumbprint}", AcmeChallenges.KeyAuthorization("tok-en_1", KnownThumbprint));
    }

    [Fact]
    public void TheDNS01ValueIsTheBase64urlSHA256OfTheKeyAuthorization()
    {
        const string keyAuthorization = "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";

        var value = AcmeChallenges.Dns01TxtValue(keyAuthorization);

        // Computed outside .NET (Python hashlib + urlsafe base64, padding stripped).
        Assert.Equal("LPsIwTo7o8BoG0-vjCyGQGBWSVIPxI-i_X336eUOQZo", value);
        Assert.Equal(TestSupport.ToBase64Url(SHA256.HashData(Encoding.UTF8.GetBytes(keyAuthorization))), value);
        Assert.DoesNotContain('=', value);
        Assert.Equal(43, value.Length);
    }

    [Theory]
    [InlineData("example.org", "_acme-challenge.example.org")]
    [InlineData("*.example.org", "_acme-challenge.example.org")]
    [InlineData("WWW.Example.org.", "_acme-challenge.www.example.org")]
    public void TheDNS01RecordNamePrefixesTheDomainAndDropsTheWildcard(string domain, string expected)
    {
        Assert.Equal(expected, AcmeChallenges.Dns01RecordName(domain));
    }

    [Fact]
    public void TheHTTP01PathIsUnderWellKnownAcmeChallenge()
    {
        Assert.Equal("/.well-known/acme-challenge/abc_DEF-1", AcmeChallenges.Http01Path("abc_DEF-1"));
    }
}
