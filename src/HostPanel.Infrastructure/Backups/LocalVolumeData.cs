using CliWrap;
using CliWrap.Buffered;
using HostPanel.Core.Backups;

namespace HostPanel.Infrastructure.Backups;

/// <summary>
/// Volume data moved on this server's file system. The data set aside sits next to the volume's
/// data directory (inside the volume's own folder, which the engine deletes with the volume), so
/// setting aside and putting back are renames. Staged data on another file system is copied with
/// <c>cp -a</c>, which keeps owners, modes, times and links as they are.
/// </summary>
public sealed class LocalVolumeData : IVolumeData
{
    public const string AsideSuffix = ".hostpanel-aside";

    public async Task PlaceAsync(string mountpoint, string? staged, CancellationToken ct = default)
    {
        var aside = Aside(mountpoint);
        if (!Directory.Exists(aside))
        {
            if (!Directory.Exists(mountpoint))
            {
                throw new DirectoryNotFoundException($"The volume data directory {mountpoint} does not exist.");
            }

            Directory.Move(mountpoint, aside);
        }
        else if (Directory.Exists(mountpoint))
        {
            // A placement a crash cut short: start it again from the data set aside.
            await DeleteTreeAsync(mountpoint, ct).ConfigureAwait(false);
        }

        if (staged is not null && Directory.Exists(staged))
        {
            try
            {
                Directory.Move(staged, mountpoint);
                return;
            }
            catch (IOException) when (!Directory.Exists(mountpoint))
            {
                // Another file system: copied instead.
            }

            await RunAsync(ct, "cp", "-a", "--", staged, mountpoint).ConfigureAwait(false);
            return;
        }

        Directory.CreateDirectory(mountpoint);
        await RunAsync(ct, "chown", "--reference=" + aside, "--", mountpoint).ConfigureAwait(false);
        await RunAsync(ct, "chmod", "--reference=" + aside, "--", mountpoint).ConfigureAwait(false);
    }

    public async Task PutBackAsync(string mountpoint, CancellationToken ct = default)
    {
        var aside = Aside(mountpoint);
        if (!Directory.Exists(aside))
        {
            return;
        }

        if (Directory.Exists(mountpoint))
        {
            await DeleteTreeAsync(mountpoint, ct).ConfigureAwait(false);
        }

        Directory.Move(aside, mountpoint);
    }

    public Task DropAsideAsync(string mountpoint, CancellationToken ct = default) => DeleteTreeAsync(Aside(mountpoint), ct);

    public async Task DeleteTreeAsync(string path, CancellationToken ct = default)
    {
        if (Directory.Exists(path) || File.Exists(path))
        {
            // rm does not follow links and copes with read-only entries an app may have left.
            await RunAsync(ct, "rm", "-rf", "--one-file-system", "--", path).ConfigureAwait(false);
        }
    }

    private static string Aside(string mountpoint) => mountpoint.TrimEnd('/') + AsideSuffix;

    private static async Task RunAsync(CancellationToken ct, string program, params string[] arguments)
    {
        var result = await Cli.Wrap(program)
            .WithArguments(arguments)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(ct)
            .ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new IOException($"{program} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StandardError.Trim()}");
        }
    }
}
