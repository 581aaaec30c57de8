namespace HostPanel.Web.Hosting;

/// <summary>Reads the data directory from the command line before the configuration is built.</summary>
internal static class HostPanelCommandLine
{
    private static readonly string[] DataDirectorySwitches = ["--data-dir", "--datadirectory"];

    /// <summary>
    /// Splits <paramref name="args"/> into the data directory (<c>--data-dir DIR</c> or
    /// <c>--data-dir=DIR</c>; the last one wins) and the remaining arguments.
    /// </summary>
    public static (string? DataDirectory, string[] Others) Split(IReadOnlyList<string> args)
    {
        string? dataDirectory = null;
        var rest = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var match = DataDirectorySwitches.FirstOrDefault(s =>
                arg.Equals(s, StringComparison.OrdinalIgnoreCase)
                || arg.StartsWith(s + "=", StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                rest.Add(arg);
            }
            else if (arg.Length > match.Length)
            {
                dataDirectory = arg[(match.Length + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                dataDirectory = args[++i];
            }
            else
            {
                throw new ArgumentException($"{arg} needs a directory, for example {match} /var/lib/hostpanel.");
            }
        }

        return (dataDirectory, [.. rest]);
    }
}
