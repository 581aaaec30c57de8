using System.Globalization;
using System.Security.Claims;
using HostPanel.Web.Accounts;
using Microsoft.Extensions.Time.Testing;

namespace HostPanel.Web.Tests.Accounts;

public sealed class ReauthenticationTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);

    private static ClaimsPrincipal Confirmed(DateTimeOffset? at)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, "alice") };
        if (at is { } time)
        {
            claims.Add(new Claim(Reauthentication.ClaimType, time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, "Identity.Application"));
    }

    [Fact]
    public async Task AConfirmationIsFreshForFiveMinutesThenExpires()
    {
        var time = new FakeTimeProvider(Start);
        var reauthentication = new Reauthentication(null!, time);
        var alice = Confirmed(Start);

        Assert.True(await reauthentication.IsFreshAsync(alice));
        time.Advance(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(59));
        Assert.True(await reauthentication.IsFreshAsync(alice));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(await reauthentication.IsFreshAsync(alice));

        // A caller may ask for a longer or a shorter one.
        Assert.True(await reauthentication.IsFreshAsync(alice, TimeSpan.FromMinutes(10)));
        Assert.False(await reauthentication.IsFreshAsync(alice, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task NoConfirmationAnUnreadableOneOrOneFromTheFutureIsNotFresh()
    {
        var time = new FakeTimeProvider(Start);
        var reauthentication = new Reauthentication(null!, time);

        Assert.False(await reauthentication.IsFreshAsync(Confirmed(null)));
        Assert.False(await reauthentication.IsFreshAsync(Confirmed(Start + TimeSpan.FromMinutes(3))));
        Assert.False(await reauthentication.IsFreshAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim(Reauthentication.ClaimType, "soon")], "Identity.Application"))));

        // Not signed in: whatever the claims say.
        Assert.False(await reauthentication.IsFreshAsync(new ClaimsPrincipal(new ClaimsIdentity(Confirmed(Start).Claims))));
    }

    [Fact]
    public void TheConfirmationPageComesBackOnlyToThisSite()
    {
        Assert.Equal("/account/confirm?ReturnUrl=%2Fapps%2Fcloud%3Fpurge%3D1", Reauthentication.ConfirmUrl("/apps/cloud?purge=1"));
        Assert.Equal("/account/confirm?ReturnUrl=%2F", Reauthentication.ConfirmUrl("https://evil.example/"));
        Assert.Equal("/account/confirm?ReturnUrl=%2F", Reauthentication.ConfirmUrl("//evil.example/"));
    }
}
