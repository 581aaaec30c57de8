using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using HostPanel.Core.Configuration;
using HostPanel.Core.Domains;

namespace HostPanel.Infrastructure.Domains;

/// <summary>
/// DNS lookups with DnsClient, asking the configured servers (<see cref="HostPanelOptions.DnsServers"/>)
/// or the system's, without a cache: a person who just created a record wants it seen now.
/// </summary>
public sealed class DnsResolver : IDomainResolver
{
    private readonly LookupClient _client;

    public DnsResolver(HostPanelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var servers = ParseServers(options.DnsServers);
        var settings = servers.Count > 0 ? new LookupClientOptions([.. servers]) : new LookupClientOptions();
        settings.UseCache = false;
        settings.Timeout = TimeSpan.FromSeconds(3);
        settings.Retries = 2;
        settings.ThrowDnsErrors = false;
        settings.ContinueOnDnsError = true;
        _client = new LookupClient(settings);
    }

    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string asciiName, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(asciiName);
        var found = new List<IPAddress>();
        foreach (var type in new[] { QueryType.A, QueryType.AAAA })
        {
            IDnsQueryResponse response;
            try
            {
                response = await _client.QueryAsync(asciiName, type, QueryClass.IN, ct).ConfigureAwait(false);
            }
            catch (DnsResponseException e)
            {
                throw new DomainLookupException(e.Message, e);
            }

            if (response.HasError && response.Header.ResponseCode is not (DnsHeaderResponseCode.NotExistentDomain or DnsHeaderResponseCode.NoError))
            {
                throw new DomainLookupException($"{response.NameServer}: {response.ErrorMessage}");
            }

            // CNAMEs are followed by the server; the answer holds the chain and the addresses.
            found.AddRange(response.Answers.OfType<ARecord>().Select(r => r.Address));
            found.AddRange(response.Answers.OfType<AaaaRecord>().Select(r => r.Address));
        }

        return [.. found.Distinct()];
    }

    /// <summary>"1.1.1.1, [2606:4700::1111]:53, 127.0.0.1:8053" → endpoints (port 53 by default).</summary>
    public static IReadOnlyList<IPEndPoint> ParseServers(string? text)
    {
        var servers = new List<IPEndPoint>();
        foreach (var item in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPEndPoint.TryParse(item, out var endpoint))
            {
                servers.Add(endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, 53) : endpoint);
            }
            else
            {
                throw new FormatException($"DnsServers: '{item}' is not an IP address with an optional port (e.g. 9.9.9.9 or 127.0.0.1:8053).");
            }
        }

        return servers;
    }
}

/// <summary>
/// This server's public addresses: <see cref="HostPanelOptions.PublicAddresses"/> when set, else
/// the global addresses of its network interfaces (not loopback, link-local or container bridges).
/// </summary>
public sealed class ServerAddresses(HostPanelOptions options) : IServerAddresses
{
    public Task<IReadOnlyList<IPAddress>> GetAsync(CancellationToken ct = default)
    {
        if (!string.IsNullOrWhiteSpace(options.PublicAddresses))
        {
            var configured = new List<IPAddress>();
            foreach (var item in options.PublicAddresses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                configured.Add(IPAddress.TryParse(item, out var address)
                    ? address
                    : throw new FormatException($"PublicAddresses: '{item}' is not an IP address (e.g. 203.0.113.5 or 2001:db8::5)."));
            }

            return Task.FromResult<IReadOnlyList<IPAddress>>(configured);
        }

        var found = NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up
                && i.NetworkInterfaceType != NetworkInterfaceType.Loopback
                && !i.Name.StartsWith("docker", StringComparison.Ordinal)
                && !i.Name.StartsWith("br-", StringComparison.Ordinal)
                && !i.Name.StartsWith("veth", StringComparison.Ordinal))
            .SelectMany(i => i.GetIPProperties().UnicastAddresses.Select(u => u.Address))
            .Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
                && !IPAddress.IsLoopback(a) && !a.IsIPv6LinkLocal && !a.IsIPv6SiteLocal)
            .Distinct()
            .ToList();
        return Task.FromResult<IReadOnlyList<IPAddress>>(found);
    }
}
