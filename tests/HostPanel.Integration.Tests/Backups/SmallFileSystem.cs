using System.Diagnostics;

namespace HostPanel.Integration.Tests.Backups;

/// <summary>A size-limited file system (tmpfs) for a test, unmounted at the end.</summary>
internal sealed class SmallFileSystem : IAsyncDisposable
{
    private SmallFileSystem(string path) => Path = path;

    public string Path { get; }

    public static async Task<SmallFileSystem> MountAsync(int megabytes, CancellationToken ct)
    {
        var path = Directory.CreateTempSubdirectory("hp-small-").FullName;
        await RunAsync(ct, "mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0700", "hostpanel-test-small", path);
        return new SmallFileSystem(path);
    }

    /// <summary>Gives it more room, as an administrator freeing space would.</summary>
    public Task GrowAsync(int megabytes, CancellationToken ct) =>
        RunAsync(ct, "mount", "-o", $"remount,size={megabytes}m", Path);

    public async ValueTask DisposeAsync()
    {
        await RunAsync(CancellationToken.None, "umount", "--lazy", Path);
        Directory.Delete(Path);
    }

    private static async Task RunAsync(CancellationToken ct, string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(ct);
        _ = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)}: exit {process.ExitCode}: {await stderr}");
        }
    }
}
