using System.Text;
using QRCoder;

namespace HostPanel.Web.Accounts;

/// <summary>What the set-up page shows an authenticator app: the key, grouped to be typed, and a QR code of its otpauth:// address.</summary>
public static class AuthenticatorSetup
{
    /// <summary>The name the authenticator app shows above the codes.</summary>
    public const string Issuer = "HostPanel";

    /// <summary>The key in groups of four lower-case characters ("abcd efgh …"), easier to copy by hand.</summary>
    public static string Grouped(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var text = new StringBuilder(key.Length + (key.Length / 4));
        for (var i = 0; i < key.Length; i++)
        {
            if (i > 0 && i % 4 == 0)
            {
                text.Append(' ');
            }

            text.Append(char.ToLowerInvariant(key[i]));
        }

        return text.ToString();
    }

    /// <summary>The otpauth:// address authenticator apps read (Key Uri Format): 6 digits, 30 seconds, SHA-1.</summary>
    public static string OtpAuthUri(string account, string key) =>
        $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(account)}?secret={Uri.EscapeDataString(key)}&issuer={Uri.EscapeDataString(Issuer)}&digits=6&period=30";

    /// <summary>A QR code of <paramref name="text"/> as a PNG data: address, shown with a plain img (no script).</summary>
    public static string QrCodeDataUri(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(6);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }
}
