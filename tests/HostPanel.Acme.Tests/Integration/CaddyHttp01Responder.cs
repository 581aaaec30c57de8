using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;

namespace HostPanel.Acme.Tests.Integration;

/// <summary>
/// HTTP-01 answers served by the test world's Caddy, on port 80: each one is a route inserted at the front of
/// the "testworld" server through the admin API (PUT on an array index inserts there), removed again by its @id.
/// </summary>
internal sealed class CaddyHttp01Responder(HttpClient admin, Func<string, string>? bodyFor = null) : IHttp01Responder
{
    private const string Routes = "/config/apps/http/servers/testworld/routes";
    private readonly ConcurrentDictionary<string, string> routeIds = new();

    public ConcurrentQueue<string> Published { get; } = new();

    public ConcurrentQueue<string> Withdrawn { get; } = new();

    public IReadOnlyCollection<string> RouteIds => [.. routeIds.Values];

    public async Task PublishAsync(string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        var id = $"acme-test-{Guid.NewGuid():N}";
        var route = new JsonObject
        {
            ["@id"] = id,
            ["match"] = new JsonArray(new JsonObject { ["path"] = new JsonArray(AcmeChallenges.Http01Path(token)) }),
            ["handle"] = new JsonArray(new JsonObject
            {
                ["handler"] = "static_response",
                ["status_code"] = 200,
                ["body"] = bodyFor is null ? keyAuthorization : bodyFor(keyAuthorization),
            }),
            ["terminal"] = true,
        };
        using var content = new StringContent(route.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await admin.PutAsync(Routes + "/0", content, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        routeIds[token] = id;
        Published.Enqueue(token);
    }

    public async Task WithdrawAsync(string token, CancellationToken cancellationToken)
    {
        if (!routeIds.TryRemove(token, out var id))
        {
            return;
        }

        using var response = await admin.DeleteAsync($"/id/{id}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        Withdrawn.Enqueue(token);
    }

    /// <summary>The current routes of the server, as JSON text.</summary>
    public async Task<string> RoutesJsonAsync(CancellationToken cancellationToken) =>
        await admin.GetStringAsync(Routes, cancellationToken);

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"Caddy's admin API answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}
