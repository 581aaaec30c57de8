namespace HostPanel.Core.Edge;

/// <summary>Where the edge Caddy listens and keeps its files: the parts of its configuration that are not sites.</summary>
public sealed record CaddyOptions
{
    private const string UnixPrefix = "unix/";

    /// <summary>
    /// The admin API's address in Caddy's notation; a Unix socket only, e.g.
    /// <c>unix//run/hostpanel/caddy-admin.sock</c>.
    /// </summary>
    public required string AdminListen { get; init; }

    /// <summary>The plain HTTP port (redirects, challenges, sites without a certificate yet).</summary>
    public int HttpPort { get; init; } = 80;

    public int HttpsPort { get; init; } = 443;

    /// <summary>Caddy's storage directory (locks, OCSP staples; HostPanel's certificates live elsewhere).</summary>
    public required string StorageDirectory { get; init; }

    /// <summary>The address both servers bind to (e.g. <c>127.0.0.1</c>); every interface when null.</summary>
    public string? ListenHost { get; init; }

    /// <summary>The admin socket's file path, from <see cref="AdminListen"/>.</summary>
    public string AdminSocketPath =>
        AdminListen is { } listen && listen.StartsWith(UnixPrefix, StringComparison.Ordinal)
            ? listen[UnixPrefix.Length..]
            : throw new InvalidOperationException($"The Caddy admin address '{AdminListen}' is not a Unix socket ('unix//absolute/path').");

    /// <summary>Every problem with these options (empty when they are fine).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (AdminListen is null || !AdminListen.StartsWith(UnixPrefix, StringComparison.Ordinal) || !EdgeValidation.IsFilePath(AdminListen[UnixPrefix.Length..]))
        {
            problems.Add($"the admin address '{AdminListen}' is not 'unix//absolute/path/to/socket'");
        }

        if (HttpPort is < 1 or > 65535)
        {
            problems.Add($"the HTTP port {HttpPort} is out of range");
        }

        if (HttpsPort is < 1 or > 65535)
        {
            problems.Add($"the HTTPS port {HttpsPort} is out of range");
        }

        if (HttpPort == HttpsPort)
        {
            problems.Add("the HTTP and HTTPS ports are the same");
        }

        if (!EdgeValidation.IsFilePath(StorageDirectory))
        {
            problems.Add($"the storage directory '{StorageDirectory}' is not an absolute path");
        }

        if (ListenHost is not null && !System.Net.IPAddress.TryParse(ListenHost, out _) && !EdgeValidation.IsDomain(ListenHost))
        {
            problems.Add($"the listen address '{ListenHost}' is neither an IP address nor a host name");
        }

        return problems;
    }
}
