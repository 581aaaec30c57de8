namespace HostPanel.Core.Backups;

/// <summary>
/// What a backup may contain before HostPanel restores any of it: paths below the volumes its
/// record names (and the record itself), no ".." anywhere, no link pointing out of its volume.
/// Pure: unit-tested with crafted trees.
/// </summary>
public static class BackupPaths
{
    /// <summary>The first problem found (in words, naming the path), or null when the tree is safe.</summary>
    public static string? FindProblem(IEnumerable<ResticNode> nodes, BackupRecord record, string recordPath)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(record);
        var roots = record.Volumes.Select(v => v.Path.TrimEnd('/')).ToList();
        foreach (var root in roots)
        {
            if (!IsClean(root) || root.Length < 2)
            {
                return $"the volume path {root} is not a clean absolute path";
            }
        }

        if (!IsClean(recordPath))
        {
            return $"the record path {recordPath} is not a clean absolute path";
        }

        var recordDirectory = recordPath[..recordPath.LastIndexOf('/')];
        foreach (var node in nodes)
        {
            if (!IsClean(node.Path))
            {
                return $"{node.Path}: not a clean absolute path";
            }

            var root = roots.FirstOrDefault(r => Below(node.Path, r));
            if (root is null)
            {
                // Parents of the roots and the record's own folder are expected; nothing else.
                if (node.Type == "dir" && (roots.Any(r => Below(r, node.Path)) || Below(recordDirectory, node.Path)))
                {
                    continue;
                }

                if (node.Path == recordPath && node.Type == "file")
                {
                    continue;
                }

                return $"{node.Path}: outside the app's volumes";
            }

            if (node.Type == "symlink")
            {
                var target = node.LinkTarget ?? string.Empty;
                if (target.StartsWith('/'))
                {
                    // Meaningful inside the container only; restored as a link, never followed, but
                    // it must not point into the server's own files either.
                    if (!target.Split('/').Contains(".."))
                    {
                        continue;
                    }

                    return $"{node.Path}: link to {target}";
                }

                var resolved = Resolve(node.Path[..node.Path.LastIndexOf('/')], target);
                if (resolved is null || !Below(resolved, root))
                {
                    return $"{node.Path}: link to {target} leaves its volume";
                }
            }
        }

        return null;
    }

    /// <summary>Absolute, no empty, "." or ".." segment.</summary>
    private static bool IsClean(string path) =>
        path.StartsWith('/') && (path == "/" || path[1..].Split('/').All(s => s.Length > 0 && s != "." && s != ".."));

    /// <summary><paramref name="path"/> is <paramref name="root"/> or below it.</summary>
    private static bool Below(string path, string root) =>
        path == root || path.StartsWith(root + "/", StringComparison.Ordinal) || root == "/";

    private static string? Resolve(string directory, string relative)
    {
        var parts = directory.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        foreach (var segment in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
            }
            else if (segment != ".")
            {
                parts.Add(segment);
            }
        }

        return "/" + string.Join('/', parts);
    }
}
