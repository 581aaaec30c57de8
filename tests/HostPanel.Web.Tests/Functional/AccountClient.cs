using System.Net;
using System.Text.RegularExpressions;
using HostPanel.Core.Accounts;
using HostPanel.Infrastructure.Accounts;
using HostPanel.Infrastructure.Data;
using HostPanel.Web.Tests.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Functional;

/// <summary>A person in a browser without JavaScript: reads pages, sends their forms, keeps cookies.</summary>
public sealed partial class AccountClient(RunningPanel panel, string email, string password) : IDisposable
{
    public const string Password = "une phrase assez longue";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public HttpClient Http { get; } = panel.NewClient();

    public string Email { get; } = email;

    public string PasswordInUse { get; set; } = password;

    public Authenticator? Authenticator { get; private set; }

    public IReadOnlyList<string> RecoveryCodes { get; private set; } = [];

    /// <summary>Creates an account (optionally a hoster administrator) directly in the panel's database.</summary>
    public static async Task<AccountClient> CreateAsync(RunningPanel panel, string email, bool hosterAdministrator = false)
    {
        await using var scope = panel.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>();
        var user = new HostPanelUser { UserName = email, Email = email, DisplayName = email.Split('@')[0], CreatedAt = DateTimeOffset.UtcNow };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        if (hosterAdministrator)
        {
            Assert.True((await users.AddToRoleAsync(user, HostPanelRoles.HosterAdministrator)).Succeeded);
        }
        else if ((await users.GetUsersInRoleAsync(HostPanelRoles.HosterAdministrator)).Count == 0)
        {
            // Until an administrator exists every page is the first-run page.
            var owner = new HostPanelUser { UserName = "owner@example.org", Email = "owner@example.org", DisplayName = "Owner", CreatedAt = DateTimeOffset.UtcNow };
            Assert.True((await users.CreateAsync(owner, Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(owner, HostPanelRoles.HosterAdministrator)).Succeeded);
        }

        return new AccountClient(panel, email, Password);
    }

    public void Dispose() => Http.Dispose();

    public async Task<HostPanelUser> UserAsync()
    {
        await using var scope = panel.App.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>().FindByEmailAsync(Email))!;
    }

    public async Task<IReadOnlyList<SecurityEvent>> EventsAsync()
    {
        var user = await UserAsync();
        return await panel.App.Services.GetRequiredService<ISecurityEventStore>().ListAsync(user.Id, 200, Ct);
    }

    /// <summary>Shows the page at <paramref name="url"/>, then sends its form <paramref name="form"/> with <paramref name="fields"/>.</summary>
    public async Task<HttpResponseMessage> SendFormAsync(string url, string form, IReadOnlyDictionary<string, string> fields)
    {
        var page = await Http.GetAsync(url, Ct);
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)page.StatusCode} {page.Headers.Location}");
        var content = new Dictionary<string, string>(fields)
        {
            ["_handler"] = form,
            ["__RequestVerificationToken"] = RunningPanel.AntiforgeryToken(await page.Content.ReadAsStringAsync(Ct)),
        };
        return await Http.PostAsync(url, new FormUrlEncodedContent(content), Ct);
    }

    public Task<HttpResponseMessage> SignInAsync(string? password = null, string returnUrl = "/") =>
        SendFormAsync("/signin?ReturnUrl=" + Uri.EscapeDataString(returnUrl), "signin", new Dictionary<string, string>
        {
            ["Input.Email"] = Email,
            ["Input.Password"] = password ?? PasswordInUse,
        });

    /// <summary>The second step of a sign-in, at the address the first step sent to.</summary>
    public Task<HttpResponseMessage> SecondStepAsync(string location, string code) =>
        SendFormAsync(location, "signin-2fa", new Dictionary<string, string> { ["Input.Code"] = code });

    /// <summary>Signs in with the password and, when two-step sign-in is on, the next authenticator code; asserts it worked.</summary>
    public async Task SignInFullyAsync()
    {
        var first = await SignInAsync();
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var location = Where(first)!;
        if (location.StartsWith("/signin/2fa", StringComparison.Ordinal))
        {
            var second = await SecondStepAsync(location, Authenticator!.Next());
            Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
            Assert.Equal("/", Where(second));
        }
        else
        {
            Assert.Equal("/", location);
        }
    }

    public async Task SignOutAsync()
    {
        var page = await Http.GetStringAsync("/account/2fa", Ct);
        var response = await Http.PostAsync("/signout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = RunningPanel.AntiforgeryToken(page),
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>Sets up two-step sign-in on the set-up page, as the person would with their phone, and keeps the recovery codes shown.</summary>
    public async Task<string> EnrolAsync()
    {
        var page = await Http.GetStringAsync("/account/2fa", Ct);
        var key = KeyField().Match(page);
        Assert.True(key.Success, "the set-up page shows no key");
        Authenticator = new Authenticator(key.Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant());
        var enabled = await SendFormAsync("/account/2fa", "twofactor-enable", new Dictionary<string, string> { ["Input.Code"] = Authenticator.Next() });
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var html = await enabled.Content.ReadAsStringAsync(Ct);
        RecoveryCodes = Codes(html);
        Assert.Equal(10, RecoveryCodes.Count);
        return html;
    }

    /// <summary>Where a redirect leads, as a path of the panel (the panel may give it absolute).</summary>
    public static string? Where(HttpResponseMessage response)
    {
        var location = response.Headers.Location;
        return location is null ? null : location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
    }

    /// <summary>The recovery codes a page shows.</summary>
    public static IReadOnlyList<string> Codes(string html) =>
        [.. RecoveryCode().Matches(html).Select(m => m.Groups[1].Value)];

    public static async Task<string> TextAsync(HttpResponseMessage response) =>
        RunningPanel.Text(await response.Content.ReadAsStringAsync(Ct));

    [GeneratedRegex("<code id=\"twofactor-key\" class=\"hp-key\">([a-z2-7 ]+)</code>")]
    private static partial Regex KeyField();

    [GeneratedRegex("<li><code>([A-Z0-9]{5}-[A-Z0-9]{5})</code></li>")]
    private static partial Regex RecoveryCode();
}
