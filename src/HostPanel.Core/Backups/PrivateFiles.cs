namespace HostPanel.Core.Backups;

/// <summary>Files and folders only their owner may read (records with secrets, staging areas).</summary>
public static class PrivateFiles
{
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>A file only its owner may read (mode 0600), opened for writing; <paramref name="mode"/> says whether an existing one is replaced.</summary>
    public static FileStream Create(string path, FileMode mode = FileMode.Create)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }
}
