using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HostPanel.Core.Accounts;
using HostPanel.Core.Apps;
using HostPanel.Core.Organizations;
using HostPanel.Web.Api;
using HostPanel.Web.Tests.Functional;
using Microsoft.Extensions.DependencyInjection;

namespace HostPanel.Web.Tests.Api;

/// <summary>
/// The HTTP API over the real panel: tokens, the OpenAPI document, the rate limit, and the wall
/// between organizations — every endpoint is called against objects of another organization with
/// an administrator's and a member's token; none succeeds and no answer names anything of the
/// other organization that the request did not name.
/// </summary>
public sealed class ApiTests : IAsyncLifetime
{
    private const string Password = "a long enough password";

    private RunningPanel _panel = null!;
    private string _adminToken = "";
    private string _memberToken = "";
    private string _eveTokenId = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _panel = await RunningPanel.StartAsync(Ct);
        var services = _panel.App.Services;
        var root = Caller.Server("test");
        var organizations = services.GetRequiredService<OrganizationService>();
        await organizations.AddAsync(root, "velo", "Atelier vélo", Ct);
        await organizations.AddAsync(root, "edition", "Éditions du Lac", Ct);
        var instances = services.GetRequiredService<IInstanceStore>();
        foreach (var (name, org) in new[] { ("cloud-velo", "velo"), ("wiki-edition", "edition") })
        {
            await instances.AddAsync(new AppInstance
            {
                Name = name,
                OrganizationId = org,
                AppId = "hello",
                Version = "1.0.0",
                Domain = $"{name}.example.org",
                State = InstanceState.Running,
                CreatedAt = DateTimeOffset.UtcNow,
                UpdatedAt = DateTimeOffset.UtcNow,
            }, Ct);
        }

        var people = services.GetRequiredService<IPeopleDirectory>();
        var memberships = services.GetRequiredService<IMembershipStore>();
        var members = services.GetRequiredService<MemberService>();
        var resolver = services.GetRequiredService<CallerResolver>();
        var eve = await people.CreateAsync("eve@editions-du-lac.example.org", "Ève", Password, Ct);
        await memberships.SaveAsync(new Membership(eve.Id, "edition", OrganizationRole.Administrator, DateTimeOffset.UtcNow), Ct);
        await members.AddGroupAsync(root, "edition", "comite-lecture", null, Ct);
        await members.ChangeGroupMembersAsync(root, "edition", "comite-lecture", [eve.Email], [], Ct);
        await members.SetAppAccessAsync(root, "wiki-edition", ["comite-lecture"], Ct);
        var (eveToken, _) = await members.CreateTokenAsync((await resolver.ForPersonAsync(eve.Id, Ct))!, "edition", OrganizationRole.Administrator, "eve", null, Ct);
        _eveTokenId = eveToken.Id;

        var alice = await people.CreateAsync("alice@velo.example.org", "Alice", Password, Ct);
        var bob = await people.CreateAsync("bob@velo.example.org", "Bob", Password, Ct);
        await memberships.SaveAsync(new Membership(alice.Id, "velo", OrganizationRole.Administrator, DateTimeOffset.UtcNow), Ct);
        await memberships.SaveAsync(new Membership(bob.Id, "velo", OrganizationRole.Member, DateTimeOffset.UtcNow), Ct);
        (_, _adminToken) = await members.CreateTokenAsync((await resolver.ForPersonAsync(alice.Id, Ct))!, "velo", OrganizationRole.Administrator, "admin", null, Ct);
        (_, _memberToken) = await members.CreateTokenAsync((await resolver.ForPersonAsync(bob.Id, Ct))!, "velo", OrganizationRole.Member, "member", null, Ct);
    }

    public async ValueTask DisposeAsync() => await _panel.DisposeAsync();

    private HttpClient Client(string? token)
    {
        var client = _panel.NewClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    [Fact]
    public async Task The_openapi_document_describes_the_endpoints()
    {
        using var client = Client(null);
        var document = await client.GetStringAsync(ApiEndpoints.OpenApiPath, Ct);
        using var json = JsonDocument.Parse(document);
        var paths = json.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/apps", paths);
        Assert.Contains("/api/v1/apps/{name}/access", paths);
        Assert.Contains("/api/v1/members/invitations", paths);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("hpt_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("not a token")]
    public async Task Without_a_valid_token_the_api_answers_401(string? token)
    {
        using var client = Client(token);
        var response = await client.GetAsync(ApiEndpoints.Prefix + "/apps", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_token_sees_its_own_organization()
    {
        using var admin = Client(_adminToken);
        var apps = await admin.GetFromJsonAsync<List<AppDto>>(ApiEndpoints.Prefix + "/apps", Ct);
        Assert.Equal(["cloud-velo"], apps!.Select(a => a.Name));

        using var member = Client(_memberToken);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync(ApiEndpoints.Prefix + "/apps/cloud-velo", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsync(ApiEndpoints.Prefix + "/apps/cloud-velo/stop", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync(ApiEndpoints.Prefix + "/members", Ct)).StatusCode);
    }

    [Fact]
    public async Task No_endpoint_reaches_another_organization()
    {
        const string P = ApiEndpoints.Prefix;
        string[] secrets = ["edition", "Éditions du Lac", "wiki-edition", "eve@editions-du-lac.example.org", "comite-lecture", _eveTokenId];
        (HttpMethod Method, string Path, object? Body)[] calls =
        [
            (HttpMethod.Get, $"{P}/organizations/edition/quota", null),
            (HttpMethod.Get, $"{P}/apps?org=edition", null),
            (HttpMethod.Get, $"{P}/apps/wiki-edition", null),
            (HttpMethod.Post, $"{P}/apps", new { app = "hello", organization = "edition", name = "intrus", domain = "intrus.example.org" }),
            (HttpMethod.Post, $"{P}/apps", new { app = "hello", name = "wiki-edition", domain = "wiki-edition.example.org" }),
            (HttpMethod.Post, $"{P}/apps/wiki-edition/start", null),
            (HttpMethod.Post, $"{P}/apps/wiki-edition/stop", null),
            (HttpMethod.Post, $"{P}/apps/wiki-edition/restart", null),
            (HttpMethod.Post, $"{P}/apps/wiki-edition/update", null),
            (HttpMethod.Put, $"{P}/apps/wiki-edition/domain", new { domain = "ailleurs.example.org" }),
            (HttpMethod.Delete, $"{P}/apps/wiki-edition?purge=true&confirm=true", null),
            (HttpMethod.Get, $"{P}/apps/wiki-edition/access", null),
            (HttpMethod.Put, $"{P}/apps/wiki-edition/access", new { groups = (string[]?)null }),
            (HttpMethod.Post, $"{P}/apps/wiki-edition/backups", null),
            (HttpMethod.Post, $"{P}/apps/wiki-edition/drill", null),
            (HttpMethod.Get, $"{P}/backups?org=edition", null),
            (HttpMethod.Get, $"{P}/backups?app=wiki-edition&org=edition", null),
            (HttpMethod.Get, $"{P}/operations?app=wiki-edition", null),
            (HttpMethod.Get, $"{P}/domains?org=edition", null),
            (HttpMethod.Post, $"{P}/domains", new { domain = "wiki-edition.example.org" }),
            (HttpMethod.Post, $"{P}/domains", new { domain = "autre.example.org", organization = "edition" }),
            (HttpMethod.Get, $"{P}/members?org=edition", null),
            (HttpMethod.Post, $"{P}/members/invitations", new { email = "x@velo.example.org", organization = "edition" }),
            (HttpMethod.Post, $"{P}/members/eve@editions-du-lac.example.org/suspend?org=edition", null),
            (HttpMethod.Post, $"{P}/members/eve@editions-du-lac.example.org/suspend", null),
            (HttpMethod.Post, $"{P}/members/eve@editions-du-lac.example.org/resume?org=edition", null),
            (HttpMethod.Put, $"{P}/members/eve@editions-du-lac.example.org/role?org=edition", new { role = "member" }),
            (HttpMethod.Delete, $"{P}/members/eve@editions-du-lac.example.org?org=edition", null),
            (HttpMethod.Get, $"{P}/groups?org=edition", null),
            (HttpMethod.Post, $"{P}/groups", new { name = "intrus", organization = "edition" }),
            (HttpMethod.Delete, $"{P}/groups/comite-lecture?org=edition", null),
            (HttpMethod.Post, $"{P}/groups/comite-lecture/members?org=edition", new { add = new[] { "alice@velo.example.org" } }),
            (HttpMethod.Post, $"{P}/groups/comite-lecture/members", new { add = new[] { "alice@velo.example.org" } }),
        ];
        (HttpMethod, string)[] listings = [(HttpMethod.Get, $"{P}/organizations"), (HttpMethod.Get, $"{P}/apps"), (HttpMethod.Get, $"{P}/operations"), (HttpMethod.Get, $"{P}/domains"), (HttpMethod.Get, $"{P}/certificates"), (HttpMethod.Get, $"{P}/backups")];

        var failures = new List<string>();
        foreach (var (role, token) in new[] { ("admin", _adminToken), ("member", _memberToken) })
        {
            using var client = Client(token);
            foreach (var (method, path, body) in calls.Concat(listings.Select(l => (l.Item1, l.Item2, (object?)null))))
            {
                using var request = new HttpRequestMessage(method, path);
                if (body is not null)
                {
                    request.Content = JsonContent.Create(body);
                }

                using var response = await client.SendAsync(request, Ct);
                var said = await response.Content.ReadAsStringAsync(Ct);
                var line = $"{role}: {method} {path} → {(int)response.StatusCode} {said}";
                var listing = listings.Contains((method, path));
                if (!listing && response.IsSuccessStatusCode)
                {
                    failures.Add("not refused: " + line);
                }

                if (listing && response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest))
                {
                    failures.Add("listing failed: " + line);
                }

                var asked = Uri.UnescapeDataString(path) + (body is null ? string.Empty : JsonSerializer.Serialize(body));
                foreach (var secret in secrets.Where(s => !asked.Contains(s, StringComparison.Ordinal)))
                {
                    if (said.Contains(secret, StringComparison.OrdinalIgnoreCase) || said.Contains(JsonEncodedText.Encode(secret).ToString(), StringComparison.OrdinalIgnoreCase))
                    {
                        failures.Add($"leaks '{secret}': " + line);
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));

        var services = _panel.App.Services;
        Assert.Equal(InstanceState.Running, (await services.GetRequiredService<IInstanceStore>().FindAsync("wiki-edition", Ct))!.State);
        Assert.Equal(["comite-lecture"], await services.GetRequiredService<IGroupStore>().AppAccessAsync("wiki-edition", Ct));
        var eve = await services.GetRequiredService<IPeopleDirectory>().FindByEmailAsync("eve@editions-du-lac.example.org", Ct);
        var membership = await services.GetRequiredService<IMembershipStore>().FindAsync(eve!.Id, "edition", Ct);
        Assert.Equal(OrganizationRole.Administrator, membership!.Role);
        Assert.False(membership.Suspended);
        Assert.Null(await services.GetRequiredService<HostPanel.Core.Domains.IDomainStore>().FindAsync("autre.example.org", Ct));
    }

    [Fact]
    public async Task A_token_is_rate_limited()
    {
        using var client = Client(_memberToken);
        HttpStatusCode last = HttpStatusCode.OK;
        for (var i = 0; i <= ApiEndpoints.RequestsPerMinute && last != HttpStatusCode.TooManyRequests; i++)
        {
            using var response = await client.GetAsync(ApiEndpoints.Prefix + "/organizations", Ct);
            last = response.StatusCode;
            if (last == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal(ApiEndpoints.RequestsPerMinute, i);
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last);

        // Another token has its own allowance.
        using var other = Client(_adminToken);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(ApiEndpoints.Prefix + "/organizations", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_revoked_token_stops_at_once()
    {
        var services = _panel.App.Services;
        var resolver = services.GetRequiredService<CallerResolver>();
        var people = services.GetRequiredService<IPeopleDirectory>();
        var carol = await people.CreateAsync("carol@velo.example.org", "Carol", Password, Ct);
        await services.GetRequiredService<IMembershipStore>().SaveAsync(new Membership(carol.Id, "velo", OrganizationRole.Member, DateTimeOffset.UtcNow), Ct);
        var members = services.GetRequiredService<MemberService>();
        var (token, secret) = await members.CreateTokenAsync((await resolver.ForPersonAsync(carol.Id, Ct))!, "velo", OrganizationRole.Member, "carol", null, Ct);
        using var client = Client(secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ApiEndpoints.Prefix + "/apps", Ct)).StatusCode);

        await members.SuspendAsync(Caller.Server("test"), "velo", carol.Email, true, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(ApiEndpoints.Prefix + "/apps", Ct)).StatusCode);
        Assert.NotNull((await services.GetRequiredService<IAccessTokenStore>().FindAsync(token.Id, Ct))!.RevokedAt);
    }
}
