using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Organizations;
using HostPanel.Infrastructure.Accounts;
using HostPanel.Infrastructure.Data;
using HostPanel.Web.SingleSignOn;
using HostPanel.Web.Tests.Functional;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;

namespace HostPanel.Web.Tests.SingleSignOn;

/// <summary>
/// An app signing people in through the panel, over real HTTP against the running panel: the
/// authorization code flow with PKCE, the ID token checked against the published keys, refresh
/// and user info; then access withdrawn, then the client removed.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SsoRelyingPartyTests
{
    private const string Password = "une phrase assez longue";
    private const string Email = "marie@velo-lyon.fr";
    private const string Instance = "cloud";
    private const string RedirectUri = "http://127.0.0.1:9/callback";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAppSignsAMemberInAndLosesHerWhenAccessIsWithdrawn()
    {
        var port = FreePort();
        var panelUrl = $"http://127.0.0.1:{port}";
        await using var panel = await RunningPanel.StartAsync(Ct, "--urls", panelUrl, "--PanelUrl", panelUrl);
        var issuer = panelUrl + "/";
        var services = panel.App.Services;

        var marie = await CreatePersonAsync(services, Email, "Marie Curie", hoster: false);
        await CreatePersonAsync(services, "admin@velo-lyon.fr", "Admin", hoster: true);
        await services.GetRequiredService<IOrganizationStore>().EnsureDefaultAsync(Ct);
        await services.GetRequiredService<IMembershipStore>().SaveAsync(new Membership(marie, Organization.DefaultId, OrganizationRole.Member, DateTimeOffset.UtcNow), Ct);
        var groups = services.GetRequiredService<IGroupStore>();
        await groups.AddAsync(new Group(Organization.DefaultId, "benevoles", "", DateTimeOffset.UtcNow), Ct);
        await groups.AddAsync(new Group(Organization.DefaultId, "bureau", "", DateTimeOffset.UtcNow), Ct);
        await groups.SetMemberAsync(Organization.DefaultId, "benevoles", marie, true, Ct);
        await AddAppAsync(services, "cloud.velo-lyon.fr");
        var registry = services.GetRequiredService<ISsoClientRegistry>();
        var client = await registry.EnsureAsync(new SsoClientRequest(Instance, Organization.DefaultId, "Nextcloud", [RedirectUri], ["http://127.0.0.1:9/"]), Ct);
        Assert.Equal(issuer, client.Issuer);

        // Discovery: the issuer, the endpoints, PKCE S256 and the keys.
        using var http = panel.NewClient();
        using var discovery = JsonDocument.Parse(await http.GetStringAsync("/.well-known/openid-configuration", Ct));
        var metadata = discovery.RootElement;
        Assert.Equal(issuer, metadata.GetProperty("issuer").GetString());
        Assert.Equal(issuer + "connect/authorize", metadata.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(issuer + "connect/token", metadata.GetProperty("token_endpoint").GetString());
        Assert.Equal(issuer + "connect/userinfo", metadata.GetProperty("userinfo_endpoint").GetString());
        Assert.Equal(issuer + "connect/endsession", metadata.GetProperty("end_session_endpoint").GetString());
        Assert.Contains("S256", metadata.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("groups", metadata.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()));
        var jwks = new JsonWebKeySet(await http.GetStringAsync(metadata.GetProperty("jwks_uri").GetString(), Ct));
        var published = Assert.Single(jwks.Keys);
        Assert.Equal("RSA", published.Kty);
        Assert.True(string.IsNullOrEmpty(published.D), "the private part is not published");

        // Not signed in: the panel's sign-in page, which comes back to the request.
        var (verifier, challenge) = Pkce();
        var authorize = AuthorizeUrl(challenge, "state-1", "nonce-1");
        var toSignIn = await http.GetAsync(authorize, Ct);
        Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
        var signInUrl = toSignIn.Headers.Location!;
        Assert.Equal("/signin", signInUrl.IsAbsoluteUri ? signInUrl.AbsolutePath : signInUrl.OriginalString.Split('?')[0]);

        var page = await http.GetStringAsync(signInUrl, Ct);
        var signedIn = await http.PostAsync(signInUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = RunningPanel.AntiforgeryToken(page),
            ["Input.Email"] = Email,
            ["Input.Password"] = Password,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var back = signedIn.Headers.Location!;
        Assert.Equal("/connect/authorize", back.IsAbsoluteUri ? back.AbsolutePath : back.OriginalString.Split('?')[0]);

        // Signed in and allowed: straight back to the app with a code (no consent screen).
        var code = await CodeAsync(http, back.OriginalString, "state-1");

        // The app exchanges the code with its secret and the PKCE verifier.
        var tokens = await TokenAsync(http, client.ClientSecret, new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier,
        });
        var idToken = tokens.GetProperty("id_token").GetString()!;
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;

        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = Instance,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        });
        Assert.True(validated.IsValid, validated.Exception?.ToString());
        var id = (JsonWebToken)validated.SecurityToken;
        Assert.Equal("RS256", id.Alg);
        Assert.Equal(published.Kid, id.Kid);
        Assert.Equal("nonce-1", id.GetClaim("nonce").Value);
        Assert.Equal(marie, id.Subject);
        Assert.Equal(Email, id.GetClaim("email").Value);
        Assert.Equal(Email, id.GetClaim("preferred_username").Value);
        Assert.Equal("Marie Curie", id.GetClaim("name").Value);
        Assert.Equal(["benevoles"], JsonArray(id, "groups"));

        // The access token is a signed JWT (not encrypted) with the subject only.
        var access = new JsonWebToken(accessToken);
        Assert.Equal(marie, access.Subject);
        Assert.False(access.TryGetClaim("email", out _));

        // User info, from the account as it is now.
        var userInfo = await UserInfoAsync(http, accessToken);
        Assert.Equal(HttpStatusCode.OK, userInfo.Status);
        Assert.Equal(marie, userInfo.Body.GetProperty("sub").GetString());
        Assert.Equal(Email, userInfo.Body.GetProperty("email").GetString());
        Assert.False(userInfo.Body.GetProperty("email_verified").GetBoolean());
        Assert.Equal(["benevoles"], userInfo.Body.GetProperty("groups").EnumerateArray().Select(e => e.GetString()));

        // A refresh gives new tokens while she may use the app.
        var refreshed = await TokenAsync(http, client.ClientSecret, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken });
        refreshToken = refreshed.GetProperty("refresh_token").GetString()!;
        Assert.Equal(marie, new JsonWebToken(refreshed.GetProperty("id_token").GetString()).Subject);

        // Nothing secret is in clear in the database (nor in its write-ahead log).
        AssertNothingInClear(panel.DataDirectory, services, client.ClientSecret);

        // The app is restricted to a group she is not in: the panel answers access_denied, whatever the app does.
        await groups.SetAppAccessAsync(Instance, Organization.DefaultId, ["bureau"], Ct);
        var (_, challenge2) = Pkce();
        var denied = await http.GetAsync(AuthorizeUrl(challenge2, "state-2", "nonce-2"), Ct);
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        var deniedAt = denied.Headers.Location!;
        Assert.StartsWith(RedirectUri, deniedAt.OriginalString);
        var deniedQuery = QueryHelpers.ParseQuery(deniedAt.Query);
        Assert.Equal("access_denied", deniedQuery["error"].ToString());
        Assert.Equal("state-2", deniedQuery["state"].ToString());
        Assert.False(deniedQuery.ContainsKey("code"));

        // Her refresh token and access token are refused too.
        var refused = await TokenResponseAsync(http, client.ClientSecret, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken });
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("invalid_grant", refused.Body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync(http, accessToken)).Status);

        // Back in the group's list: allowed again.
        await groups.SetMemberAsync(Organization.DefaultId, "bureau", marie, true, Ct);
        var (verifier3, challenge3) = Pkce();
        var code3 = await CodeAsync(http, AuthorizeUrl(challenge3, "state-3", "nonce-3"), "state-3");

        // Signing out from the app: only to an address registered for it; the panel session ends.
        string EndSession(string after) => QueryHelpers.AddQueryString("/connect/endsession", new Dictionary<string, string?>
        {
            ["client_id"] = Instance,
            ["id_token_hint"] = idToken,
            ["post_logout_redirect_uri"] = after,
            ["state"] = "bye",
        });
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync(EndSession("https://evil.example/"), Ct)).StatusCode);
        var signedOut = await http.GetAsync(EndSession("http://127.0.0.1:9/"), Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.StartsWith("http://127.0.0.1:9/?state=bye", signedOut.Headers.Location!.OriginalString);
        var afterSignOut = await http.GetAsync(AuthorizeUrl(Pkce().Challenge, "state-5", "nonce-5"), Ct);
        Assert.Equal(HttpStatusCode.Redirect, afterSignOut.StatusCode);
        Assert.Contains("/signin", afterSignOut.Headers.Location!.OriginalString);

        // The client is removed: its code, its credentials and its name are refused.
        await registry.RemoveAsync(Instance, Ct);
        Assert.False(await registry.ExistsAsync(Instance, Ct));
        var gone = await TokenResponseAsync(http, client.ClientSecret, new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code3,
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier3,
        });
        Assert.Equal("invalid_client", gone.Body.GetProperty("error").GetString());
        var unknown = await http.GetAsync(AuthorizeUrl(Pkce().Challenge, "state-4", "nonce-4"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Null(unknown.Headers.Location);
        Assert.Contains("client_id", await unknown.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task AnAdministratorWithoutTwoStepSignInSetsItUpBeforeSigningInToAnApp()
    {
        var port = FreePort();
        var panelUrl = $"http://127.0.0.1:{port}";
        await using var panel = await RunningPanel.StartAsync(Ct, "--urls", panelUrl, "--PanelUrl", panelUrl);
        var services = panel.App.Services;
        await ArrangeAdministratorWithAppAsync(services, "Marie");

        using var http = panel.NewClient();
        await SignInAsync(http);

        var authorize = await http.GetAsync(AuthorizeUrl(Pkce().Challenge, "s1", "n1"), Ct);
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        var location = authorize.Headers.Location!.OriginalString;
        Assert.StartsWith(HostPanel.Web.Accounts.AccountPaths.TwoFactor + "?ReturnUrl=", location, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString("/connect/authorize"), location, StringComparison.Ordinal);
        Assert.DoesNotContain("code=", location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APersonWhoLeftTheOrganizationOrWasDisabledGetsNothingMore()
    {
        var port = FreePort();
        var panelUrl = $"http://127.0.0.1:{port}";
        // The subject here is revocation: two-step sign-in is not asked of this administrator.
        await using var panel = await RunningPanel.StartAsync(Ct, "--urls", panelUrl, "--PanelUrl", panelUrl, "--RequireTwoFactorForAdministrators", "false");
        var services = panel.App.Services;
        var (marie, client) = await ArrangeAdministratorWithAppAsync(services, "");
        var memberships = services.GetRequiredService<IMembershipStore>();

        using var http = panel.NewClient();
        await SignInAsync(http);

        async Task<JsonElement> SignInToTheAppAsync()
        {
            var (verifier, challenge) = Pkce();
            var code = await CodeAsync(http, AuthorizeUrl(challenge, "s1", "n1"), "s1");
            return await TokenAsync(http, client.ClientSecret, new()
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["redirect_uri"] = RedirectUri,
                ["code_verifier"] = verifier,
            });
        }

        async Task AssertRefusedAsync(JsonElement tokens)
        {
            var refused = await TokenResponseAsync(http, client.ClientSecret, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()! });
            Assert.Equal("invalid_grant", refused.Body.GetProperty("error").GetString());
            Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync(http, tokens.GetProperty("access_token").GetString()!)).Status);
        }

        // A hoster administrator is held to the organization's list like anyone: out of it, no app.
        var first = await SignInToTheAppAsync();
        Assert.Equal(Email, new JsonWebToken(first.GetProperty("id_token").GetString()).GetClaim("name").Value);
        await memberships.RemoveAsync(marie, Organization.DefaultId, Ct);
        var denied = await http.GetAsync(AuthorizeUrl(Pkce().Challenge, "s2", "n2"), Ct);
        Assert.True(denied.Headers.Location?.OriginalString.StartsWith(RedirectUri + "?", StringComparison.Ordinal), denied.Headers.Location?.OriginalString);
        Assert.Equal("access_denied", QueryHelpers.ParseQuery(denied.Headers.Location!.Query)["error"].ToString());
        await AssertRefusedAsync(first);

        // Back in it, then disabled: her session at the panel and every token of hers end.
        await memberships.SaveAsync(new Membership(marie, Organization.DefaultId, OrganizationRole.Member, DateTimeOffset.UtcNow), Ct);
        var second = await SignInToTheAppAsync();
        await services.GetRequiredService<IPeopleDirectory>().SetDisabledAsync(marie, true, Ct);
        var revokers = services.GetServices<ISessionRevoker>().ToList();
        Assert.Contains(revokers, r => r.GetType().Name == "OpenIddictSessionRevoker");
        foreach (var revoker in revokers)
        {
            await revoker.RevokeAsync(marie, Ct);
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
            await foreach (var token in tokens.FindBySubjectAsync(marie, Ct))
            {
                Assert.NotEqual(OpenIddictConstants.Statuses.Valid, await tokens.GetStatusAsync(token, Ct));
            }
        }

        var afterwards = await http.GetAsync(AuthorizeUrl(Pkce().Challenge, "s3", "n3"), Ct);
        Assert.Equal(HttpStatusCode.Redirect, afterwards.StatusCode);
        Assert.DoesNotContain("code=", afterwards.Headers.Location!.Query);
        await AssertRefusedAsync(second);
    }

    /// <summary>The app <see cref="Instance"/> of the default organization, as an installed app's row.</summary>
    private static Task AddAppAsync(IServiceProvider services, string? domain = null) =>
        services.GetRequiredService<IInstanceStore>().AddAsync(new AppInstance
        {
            Name = Instance,
            OrganizationId = Organization.DefaultId,
            AppId = "nextcloud",
            Version = "1.0.0",
            Domain = domain,
            State = InstanceState.Running,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        }, Ct);

    /// <summary>Marie, hosting administrator and administrator of the default organization, whose app has its client.</summary>
    private static async Task<(string Marie, HostPanel.Core.Catalog.Planning.SsoSettings Client)> ArrangeAdministratorWithAppAsync(IServiceProvider services, string name)
    {
        var marie = await CreatePersonAsync(services, Email, name, hoster: true);
        await services.GetRequiredService<IOrganizationStore>().EnsureDefaultAsync(Ct);
        await services.GetRequiredService<IMembershipStore>().SaveAsync(new Membership(marie, Organization.DefaultId, OrganizationRole.Administrator, DateTimeOffset.UtcNow), Ct);
        await AddAppAsync(services);
        var client = await services.GetRequiredService<ISsoClientRegistry>().EnsureAsync(new SsoClientRequest(Instance, Organization.DefaultId, "Nextcloud", [RedirectUri], []), Ct);
        return (marie, client);
    }

    /// <summary>Signs Marie in to the panel with her password, through its sign-in form.</summary>
    private static async Task SignInAsync(HttpClient http)
    {
        var page = await http.GetStringAsync("/signin", Ct);
        var signedIn = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = RunningPanel.AntiforgeryToken(page),
            ["Input.Email"] = Email,
            ["Input.Password"] = Password,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }

    private static string AuthorizeUrl(string challenge, string state, string nonce) =>
        QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = Instance,
            ["response_type"] = "code",
            ["redirect_uri"] = RedirectUri,
            ["scope"] = "openid profile email groups offline_access",
            ["state"] = state,
            ["nonce"] = nonce,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        });

    private static async Task<string> CodeAsync(HttpClient http, string authorize, string state)
    {
        var response = await http.GetAsync(authorize, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(RedirectUri + "?", location.OriginalString);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.False(query.ContainsKey("error"), location.OriginalString);
        Assert.Equal(state, query["state"].ToString());
        return query["code"].ToString();
    }

    private static async Task<JsonElement> TokenAsync(HttpClient http, string secret, Dictionary<string, string> form)
    {
        var (status, body) = await TokenResponseAsync(http, secret, form);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return body;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> TokenResponseAsync(HttpClient http, string secret, Dictionary<string, string> form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes($"{Instance}:{secret}")));
        using var response = await http.SendAsync(request, Ct);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> UserInfoAsync(HttpClient http, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(text.Length == 0 || text[0] == '{', $"{(int)response.StatusCode} {response.Headers.WwwAuthenticate} {text[..Math.Min(text.Length, 300)]}");
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static string[] JsonArray(JsonWebToken token, string claim)
    {
        Assert.True(token.TryGetPayloadValue<JsonElement>(claim, out var value), $"no {claim} claim");
        Assert.Equal(JsonValueKind.Array, value.ValueKind);
        return [.. value.EnumerateArray().Select(e => e.GetString()!)];
    }

    private static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    private static async Task<string> CreatePersonAsync(IServiceProvider services, string email, string name, bool hoster)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HostPanelUser>>();
        var user = new HostPanelUser { UserName = email, Email = email, DisplayName = name, CreatedAt = DateTimeOffset.UtcNow };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        if (hoster)
        {
            Assert.True((await users.AddToRoleAsync(user, HostPanelRoles.HosterAdministrator)).Succeeded);
        }

        return user.Id;
    }

    /// <summary>The client secret, the private keys (PEM, PKCS#8, private exponent) appear nowhere in the database files.</summary>
    private static void AssertNothingInClear(string dataDirectory, IServiceProvider services, string clientSecret)
    {
        var keys = services.GetRequiredService<SsoKeyManager>().Current!;
        var needles = new List<(string What, byte[] Bytes)>
        {
            ("the client secret", Encoding.UTF8.GetBytes(clientSecret)),
            ("a PEM private key", Encoding.ASCII.GetBytes("PRIVATE KEY")),
        };
        foreach (var key in keys.Signing)
        {
            using var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(key.Material, out _);
            var parameters = rsa.ExportParameters(includePrivateParameters: true);
            needles.Add(("a PKCS#8 key", key.Material));
            needles.Add(("a PKCS#8 key in base64", Encoding.ASCII.GetBytes(Convert.ToBase64String(key.Material)[..64])));
            needles.Add(("a private exponent", parameters.D!));
            needles.Add(("a private exponent in base64url", Encoding.ASCII.GetBytes(Base64UrlEncoder.Encode(parameters.D!)[..64])));
            needles.Add(("a prime", parameters.P!));
        }

        foreach (var key in keys.Encryption)
        {
            needles.Add(("an encryption key", key.Material));
            needles.Add(("an encryption key in base64", Encoding.ASCII.GetBytes(Convert.ToBase64String(key.Material))));
        }

        SqliteConnection.ClearAllPools();
        var files = Directory.EnumerateFiles(dataDirectory, "hostpanel.db*").ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var content = File.ReadAllBytes(file);
            foreach (var (what, bytes) in needles)
            {
                Assert.True(content.AsSpan().IndexOf(bytes) < 0, $"{what} is in clear in {Path.GetFileName(file)}");
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
