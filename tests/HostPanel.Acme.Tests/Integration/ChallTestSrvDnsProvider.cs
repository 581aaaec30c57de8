using System.Collections.Concurrent;
using System.Net.Http.Json;

namespace HostPanel.Acme.Tests.Integration;

/// <summary>DNS-01 records in pebble-challtestsrv, the DNS server Pebble asks, through its management API.</summary>
internal sealed class ChallTestSrvDnsProvider(HttpClient management) : IDnsProvider
{
    public ConcurrentQueue<string> Log { get; } = new();

    public async Task CreateTxtRecordAsync(string name, string value, CancellationToken cancellationToken)
    {
        using var response = await management.PostAsJsonAsync("/set-txt", new { host = name + ".", value }, cancellationToken);
        response.EnsureSuccessStatusCode();
        Log.Enqueue($"create {name} {value}");
    }

    public async Task DeleteTxtRecordAsync(string name, string value, CancellationToken cancellationToken)
    {
        // challtestsrv clears every value of a name at once; the second delete of a name is harmless.
        using var response = await management.PostAsJsonAsync("/clear-txt", new { host = name + "." }, cancellationToken);
        response.EnsureSuccessStatusCode();
        Log.Enqueue($"delete {name} {value}");
    }
}
