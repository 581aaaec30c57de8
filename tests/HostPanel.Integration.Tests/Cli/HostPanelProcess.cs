using System.Diagnostics;
using HostPanel.Integration.Tests.TestWorld;

namespace HostPanel.Integration.Tests.Cli;

/// <summary>The built `hostpanel` program run as a process on the test world's engine, in English.</summary>
internal static class HostPanelProcess
{
    public sealed record Run(int Code, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {Code}\nstdout: {Stdout}\nstderr: {Stderr}";
    }

    public static Task<Run> RunAsync(string dataDirectory, int catalog, CancellationToken ct, params string[] args) =>
        RunAsync(dataDirectory, catalog, null, ct, args);

    /// <summary>With more environment variables (settings such as HOSTPANEL_PROXYADMINSOCKET).</summary>
    public static async Task<Run> RunAsync(string dataDirectory, int catalog, IReadOnlyDictionary<string, string>? environment, CancellationToken ct, params string[] args)
    {
        var start = StartInfo(dataDirectory, catalog, args);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromMinutes(3));
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Run(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Runs `hostpanel ARGS` with test catalog <paramref name="catalog"/> and kills it and its
    /// children with SIGKILL <paramref name="delay"/> after it prints a line matching
    /// <paramref name="when"/>. False when it ended first.
    /// </summary>
    public static async Task<bool> RunAndKillWhenAsync(string dataDirectory, int catalog, Func<string, bool> when, TimeSpan delay, CancellationToken ct, params string[] args)
    {
        using var process = Process.Start(StartInfo(dataDirectory, catalog, args))!;
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromMinutes(4));
        while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            if (when(line))
            {
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, deadline.Token);
                }

                if (process.HasExited)
                {
                    return false;
                }

                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(deadline.Token);
                return true;
            }
        }

        await process.WaitForExitAsync(deadline.Token);
        _ = await stderr;
        return false;
    }

    private static ProcessStartInfo StartInfo(string dataDirectory, int catalog, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "hostpanel.dll"), "--data-dir", dataDirectory, "--catalog", RepositoryPaths.TestCatalog(catalog) }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOSTPANEL_DOCKERENDPOINT"] = World.DockerHost;
        start.Environment["HOSTPANEL_UTILITYIMAGE"] = World.WebImage;
        start.Environment["HOSTPANEL_DNSSERVERS"] = World.Dns;
        start.Environment["HOSTPANEL_PUBLICADDRESSES"] = "127.0.0.1";
        start.Environment["LANG"] = "en_US.UTF-8";
        return start;
    }
}
