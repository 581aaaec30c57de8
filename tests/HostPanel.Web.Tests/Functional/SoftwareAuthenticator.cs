using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace HostPanel.Web.Tests.Functional;

/// <summary>
/// A passkey authenticator in software, answering what a browser's <c>navigator.credentials</c>
/// would for the panel's options: an ECDSA P-256 key (COSE algorithm -7), the "none" attestation
/// format, and the person always present and verified. Its results are the JSON the page's script
/// sends (<c>PublicKeyCredential.toJSON()</c>).
/// </summary>
public sealed class SoftwareAuthenticator : IDisposable
{
    private const byte UserPresent = 0x01;
    private const byte UserVerified = 0x04;
    private const byte AttestedCredentialData = 0x40;

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private uint _signCount;

    public byte[] CredentialId { get; } = RandomNumberGenerator.GetBytes(16);

    /// <summary>The credential id as the panel's forms carry it (base64url).</summary>
    public string Id => Base64Url.EncodeToString(CredentialId);

    /// <summary>The account's handle the panel gave at creation (base64url), returned at each sign-in.</summary>
    public string? UserHandle { get; private set; }

    /// <summary>The relying party the panel named at creation.</summary>
    public string? RpId { get; private set; }

    public void Dispose() => _key.Dispose();

    /// <summary>The result of <c>navigator.credentials.create()</c> for <paramref name="optionsJson"/>, from the page at <paramref name="origin"/>.</summary>
    public string Create(string optionsJson, string origin)
    {
        using var options = JsonDocument.Parse(optionsJson);
        var root = options.RootElement;
        RpId = root.GetProperty("rp").GetProperty("id").GetString()!;
        UserHandle = root.GetProperty("user").GetProperty("id").GetString()!;

        var parameters = _key.ExportParameters(includePrivateParameters: false);
        var coseKey = new CborWriter(CborConformanceMode.Ctap2Canonical);
        coseKey.WriteStartMap(5);
        coseKey.WriteInt32(1); // kty: EC2
        coseKey.WriteInt32(2);
        coseKey.WriteInt32(3); // alg: ES256
        coseKey.WriteInt32(-7);
        coseKey.WriteInt32(-1); // crv: P-256
        coseKey.WriteInt32(1);
        coseKey.WriteInt32(-2); // x
        coseKey.WriteByteString(parameters.Q.X!);
        coseKey.WriteInt32(-3); // y
        coseKey.WriteByteString(parameters.Q.Y!);
        coseKey.WriteEndMap();

        var idLength = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(idLength, (ushort)CredentialId.Length);
        byte[] authenticatorData =
        [
            .. Header(RpId, UserPresent | UserVerified | AttestedCredentialData, _signCount),
            .. new byte[16], // AAGUID: none
            .. idLength,
            .. CredentialId,
            .. coseKey.Encode(),
        ];

        var attestation = new CborWriter(CborConformanceMode.Ctap2Canonical);
        attestation.WriteStartMap(3);
        attestation.WriteTextString("fmt");
        attestation.WriteTextString("none");
        attestation.WriteTextString("attStmt");
        attestation.WriteStartMap(0);
        attestation.WriteEndMap();
        attestation.WriteTextString("authData");
        attestation.WriteByteString(authenticatorData);
        attestation.WriteEndMap();

        var clientData = ClientData("webauthn.create", root.GetProperty("challenge").GetString()!, origin);
        return JsonSerializer.Serialize(new
        {
            id = Id,
            rawId = Id,
            type = "public-key",
            authenticatorAttachment = "platform",
            clientExtensionResults = new { },
            response = new
            {
                clientDataJSON = Base64Url.EncodeToString(clientData),
                attestationObject = Base64Url.EncodeToString(attestation.Encode()),
                transports = new[] { "internal" },
            },
        });
    }

    /// <summary>
    /// The result of <c>navigator.credentials.get()</c> for <paramref name="optionsJson"/>, from the
    /// page at <paramref name="origin"/>; <paramref name="forgeSignature"/> signs other data, as a
    /// forger without the key would have to, and <paramref name="verified"/> false says the person
    /// was only present (touched the key) without being verified (PIN, fingerprint).
    /// </summary>
    public string Get(string optionsJson, string origin, bool forgeSignature = false, bool verified = true)
    {
        using var options = JsonDocument.Parse(optionsJson);
        var root = options.RootElement;
        var rpId = root.GetProperty("rpId").GetString()!;
        _signCount++;
        var authenticatorData = Header(rpId, verified ? UserPresent | UserVerified : UserPresent, _signCount);
        var clientData = ClientData("webauthn.get", root.GetProperty("challenge").GetString()!, origin);
        byte[] signed = [.. authenticatorData, .. SHA256.HashData(clientData)];
        if (forgeSignature)
        {
            signed[^1] ^= 0xFF;
        }

        var signature = _key.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return JsonSerializer.Serialize(new
        {
            id = Id,
            rawId = Id,
            type = "public-key",
            authenticatorAttachment = "platform",
            clientExtensionResults = new { },
            response = new
            {
                clientDataJSON = Base64Url.EncodeToString(clientData),
                authenticatorData = Base64Url.EncodeToString(authenticatorData),
                signature = Base64Url.EncodeToString(signature),
                userHandle = UserHandle,
            },
        });
    }

    /// <summary>rpIdHash, flags and the signature counter: the 37 bytes every authenticator data starts with.</summary>
    private static byte[] Header(string rpId, int flags, uint signCount)
    {
        var counter = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(counter, signCount);
        return [.. SHA256.HashData(Encoding.UTF8.GetBytes(rpId)), (byte)flags, .. counter];
    }

    private static byte[] ClientData(string type, string challenge, string origin) =>
        JsonSerializer.SerializeToUtf8Bytes(new { type, challenge, origin, crossOrigin = false });
}
