using System.Text;
using HostPanel.Web.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;

namespace HostPanel.Web.Tests.Accounts;

/// <summary>The panel's passkey options (<see cref="AccountPasskeys.Configure"/>) and the small helpers around them.</summary>
public sealed class PasskeyRulesTests
{
    private static async Task<bool> OriginAcceptedAsync(IdentityPasskeyOptions options, string origin, string requestHost = "panel.example.org", string scheme = "https", bool crossOrigin = false)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Request.Host = new HostString(requestHost);
        return await options.ValidateOrigin!(new PasskeyOriginValidationContext { HttpContext = context, Origin = origin, CrossOrigin = crossOrigin });
    }

    [Fact]
    public async Task WithAPanelUrlTheRelyingPartyIsItsHostAndOnlyItsOriginIsAccepted()
    {
        var options = new IdentityPasskeyOptions();
        AccountPasskeys.Configure(options, "https://Panel.Example.org/");

        Assert.Equal("panel.example.org", options.ServerDomain);
        Assert.Equal("required", options.UserVerificationRequirement);
        Assert.Equal("required", options.ResidentKeyRequirement);
        Assert.Equal(TimeSpan.FromMinutes(3), options.AuthenticatorTimeout);

        Assert.True(await OriginAcceptedAsync(options, "https://panel.example.org"));
        Assert.True(await OriginAcceptedAsync(options, "https://panel.example.org:443"));

        // Whatever host the request names (a proxy, a forged header), the origin must be the panel's.
        Assert.True(await OriginAcceptedAsync(options, "https://panel.example.org", requestHost: "10.0.0.5:8080", scheme: "http"));
        Assert.False(await OriginAcceptedAsync(options, "https://evil.example.org", requestHost: "evil.example.org"));
        Assert.False(await OriginAcceptedAsync(options, "http://panel.example.org"));
        Assert.False(await OriginAcceptedAsync(options, "https://panel.example.org:8443"));
        Assert.False(await OriginAcceptedAsync(options, "https://sub.panel.example.org"));
        Assert.False(await OriginAcceptedAsync(options, "https://panel.example.org", crossOrigin: true));
        Assert.False(await OriginAcceptedAsync(options, ""));
    }

    [Fact]
    public async Task WithoutAPanelUrlTheRequestsOwnAddressIsTheOrigin()
    {
        var options = new IdentityPasskeyOptions();
        AccountPasskeys.Configure(options, null);

        // Identity then names the relying party after the request's host.
        Assert.Null(options.ServerDomain);
        Assert.True(await OriginAcceptedAsync(options, "http://localhost:8080", requestHost: "localhost:8080", scheme: "http"));
        Assert.False(await OriginAcceptedAsync(options, "http://localhost:9090", requestHost: "localhost:8080", scheme: "http"));
        Assert.False(await OriginAcceptedAsync(options, "https://localhost:8080", requestHost: "localhost:8080", scheme: "http"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"id\": 5}")]
    [InlineData("{\"id\": \"***\"}")]
    [InlineData("{\"id\": \"\"}")]
    public void AnythingButACredentialWithABase64UrlIdNamesNoPasskey(string json) =>
        Assert.Null(AccountPasskeys.CredentialId(json));

    [Fact]
    public void ACredentialIdRoundTripsThroughBase64Url()
    {
        var id = Encoding.ASCII.GetBytes("credential?id/with+bytes");
        var text = AccountPasskeys.ToBase64Url(id);
        Assert.DoesNotContain('+', text);
        Assert.DoesNotContain('/', text);
        Assert.Equal(id, AccountPasskeys.FromBase64Url(text));
        Assert.Equal(id, AccountPasskeys.CredentialId($"{{\"id\": \"{text}\", \"type\": \"public-key\"}}"));
        Assert.Null(AccountPasskeys.FromBase64Url(new string('A', 1500)));
    }
}
