using System.Buffers.Text;
using System.Security.Cryptography;
using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Catalog.Secrets;

namespace HostPanel.Core.Tests.Catalog;

public class SecretGeneratorTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(32)]
    [InlineData(256)]
    public void AlnumHasTheLengthAndOnlyLettersAndDigits(int length)
    {
        var secret = SecretGenerator.Generate(new SecretSpec { Generator = SecretGeneratorKind.Alnum, Length = length });

        Assert.Equal(length, secret.Value!.Length);
        Assert.Matches("^[A-Za-z0-9]+$", secret.Value);
        Assert.False(secret.IsPair);
    }

    [Fact]
    public void AlnumUsesTheWholeAlphabet()
    {
        var seen = string.Concat(Enumerable.Range(0, 50).Select(_ => SecretGenerator.Alnum(64)));

        Assert.Equal(SecretGenerator.AlnumAlphabet.Length, seen.Distinct().Count());
    }

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    public void HexIsTwoLowercaseCharactersPerByte(int bytes)
    {
        var secret = SecretGenerator.Generate(new SecretSpec { Generator = SecretGeneratorKind.Hex, Bytes = bytes });

        Assert.Equal(bytes * 2, secret.Value!.Length);
        Assert.Matches("^[0-9a-f]+$", secret.Value);
    }

    [Fact]
    public void Base64UrlDecodesBackToTheRequestedBytes()
    {
        var secret = SecretGenerator.Generate(new SecretSpec { Generator = SecretGeneratorKind.Base64Url, Bytes = 32 });

        Assert.Matches("^[A-Za-z0-9_-]+$", secret.Value);
        Assert.Equal(32, Base64Url.DecodeFromChars(secret.Value).Length);
    }

    [Fact]
    public void SecretsDoNotRepeat()
    {
        var values = Enumerable.Range(0, 200).Select(_ => SecretGenerator.Generate(new SecretSpec { Generator = SecretGeneratorKind.Hex, Bytes = 16 }).Value).ToHashSet();

        Assert.Equal(200, values.Count);
    }

    [Fact]
    public void VapidPublicKeyIsTheUncompressedPointOfThePrivateScalar()
    {
        var pair = SecretGenerator.Generate(new SecretSpec { Generator = SecretGeneratorKind.VapidP256 });

        Assert.True(pair.IsPair);
        Assert.Null(pair.Value);
        Assert.Matches("^[A-Za-z0-9_-]+$", pair.Private);
        Assert.Matches("^[A-Za-z0-9_-]+$", pair.Public);
        var scalar = Base64Url.DecodeFromChars(pair.Private);
        var point = Base64Url.DecodeFromChars(pair.Public);
        Assert.Equal(32, scalar.Length);
        Assert.Equal(65, point.Length);
        Assert.Equal(0x04, point[0]);

        // Rebuild the key from the scalar alone: the public point must come out the same.
        using var rebuilt = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = scalar });
        var q = rebuilt.ExportParameters(false).Q;
        Assert.Equal(point[1..33], q.X);
        Assert.Equal(point[33..], q.Y);

        // And the pair signs and verifies like any P-256 key.
        using var verifier = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } });
        var data = "web push"u8.ToArray();
        Assert.True(verifier.VerifyData(data, rebuilt.SignData(data, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256));
    }

    [Fact]
    public void SecretsNeverShowInText()
    {
        var secret = SecretGenerator.Generate(new SecretSpec { Generator = SecretGeneratorKind.Alnum, Length = 20 });

        Assert.DoesNotContain(secret.Value!, secret.ToString());
    }
}
