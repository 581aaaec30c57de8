using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Catalog.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HostPanel.Core.Catalog.Loading;

/// <summary>An app read from the catalog.</summary>
public sealed record CatalogApp(AppManifest Manifest, string Directory, string ManifestFile);

/// <summary>What reading a catalog gave: the valid apps and every error found.</summary>
public sealed record CatalogLoadResult(IReadOnlyList<CatalogApp> Apps, IReadOnlyList<CatalogError> Errors)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>The folders (app ids) whose manifest could not be read: these apps are not offered.</summary>
    public IReadOnlyList<string> UnreadableApps => [.. Errors.Select(FolderOf).Distinct(StringComparer.Ordinal)];

    /// <summary>The errors of the app in folder <paramref name="appId"/> (why it is not offered).</summary>
    public IReadOnlyList<CatalogError> ErrorsOf(string appId) => [.. Errors.Where(e => FolderOf(e) == appId)];

    // An error names the app's manifest, or the app's folder when the manifest is missing.
    private static string FolderOf(CatalogError error) =>
        Path.GetFileName(error.File) == CatalogLoader.ManifestFileName
            ? Path.GetFileName(Path.GetDirectoryName(error.File)) ?? error.File
            : Path.GetFileName(error.File);
}

/// <summary>
/// Reads app-catalog/&lt;id&gt;/manifest.yaml files. Reports every error of every file in one
/// pass — file, line, field path, what is wrong and how to fix it — and never throws on any
/// content: a bad manifest gives errors, not exceptions.
/// </summary>
public static class CatalogLoader
{
    public const string ManifestFileName = "manifest.yaml";
    public const long MaxManifestBytes = 512 * 1024;
    public const long MaxAppFileBytes = 1024 * 1024;
    public const int MaxErrorsPerFile = 100;

    public static CatalogLoadResult LoadDirectory(string directory)
    {
        var errors = new List<CatalogError>();
        var apps = new List<CatalogApp>();
        if (!Directory.Exists(directory))
        {
            errors.Add(new CatalogError(directory, null, string.Empty, "the catalog folder does not exist: give the folder that holds one sub-folder per app."));
            return new CatalogLoadResult(apps, errors);
        }

        foreach (var appDirectory in Directory.GetDirectories(directory).Order(StringComparer.Ordinal))
        {
            var folder = Path.GetFileName(appDirectory);
            if (folder.StartsWith('.'))
            {
                continue;
            }

            var file = Path.Combine(appDirectory, ManifestFileName);
            if (!File.Exists(file))
            {
                errors.Add(new CatalogError(appDirectory, null, string.Empty, $"this app folder has no {ManifestFileName}: add one, or remove the folder."));
                continue;
            }

            var length = new FileInfo(file).Length;
            if (length > MaxManifestBytes)
            {
                errors.Add(new CatalogError(file, null, string.Empty, $"the manifest is {length / 1024} KiB; a manifest is a small file (at most {MaxManifestBytes / 1024} KiB)."));
                continue;
            }

            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add(new CatalogError(file, null, string.Empty, $"cannot be read: {e.Message}"));
                continue;
            }

            var manifest = Parse(text, file, errors, folder, relative => ReadAppFile(appDirectory, relative));
            if (manifest is not null)
            {
                apps.Add(new CatalogApp(manifest, appDirectory, file));
            }
        }

        foreach (var group in apps.GroupBy(a => a.Manifest.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            foreach (var app in group.Skip(1))
            {
                errors.Add(new CatalogError(app.ManifestFile, null, "id", $"the id '{group.Key}' is already used by {group.First().ManifestFile}: each app needs its own id."));
            }
        }

        var invalid = errors.Select(e => e.File).ToHashSet(StringComparer.Ordinal);
        return new CatalogLoadResult([.. apps.Where(a => !invalid.Contains(a.ManifestFile))], errors);
    }

    /// <summary>
    /// Parses one manifest's text. Returns the manifest when it has no error; adds every problem
    /// to <paramref name="errors"/> otherwise.
    /// </summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="file">The file name to put in errors.</param>
    /// <param name="errors">Where problems are added.</param>
    /// <param name="expectedId">The folder name the id must equal, when known.</param>
    /// <param name="readAppFile">Reads a file of the app's folder (for templates); null when missing.</param>
    public static AppManifest? Parse(string text, string file, List<CatalogError> errors, string? expectedId = null, Func<string, string?>? readAppFile = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new CatalogError(file, null, string.Empty, "the file is empty: a manifest starts with 'schema: hostpanel/app@1'."));
            return null;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            errors.Add(new CatalogError(file, (int)e.Start.Line, string.Empty, $"this is not valid YAML: {FirstLine(e.Message)} (column {e.Start.Column})."));
            return null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // The YAML library reports some malformed documents (a directive after content, for
            // example) with these instead of a YamlException.
            errors.Add(new CatalogError(file, null, string.Empty, $"this is not valid YAML: {FirstLine(e.Message)}"));
            return null;
        }

        if (stream.Documents.Count != 1)
        {
            errors.Add(new CatalogError(file, null, string.Empty, stream.Documents.Count == 0
                ? "the file holds no YAML document."
                : "the file holds several YAML documents (separated by ---): one manifest per file."));
            return null;
        }

        var root = stream.Documents[0].RootNode;
        if (root is not YamlMappingNode)
        {
            errors.Add(new CatalogError(file, (int)root.Start.Line, string.Empty, "a manifest is a set of fields (schema: …, id: …), not a single value or a list."));
            return null;
        }

        var bindErrors = new List<CatalogError>();
        var binder = new YamlBinder(file, bindErrors);
        var manifest = binder.Bind<AppManifest>(root);
        errors.AddRange(bindErrors);
        if (manifest is null)
        {
            return null;
        }

        if (bindErrors.Count >= MaxErrorsPerFile)
        {
            return Truncate(errors, before, file);
        }

        if (expectedId is not null && manifest.Id.Length > 0 && manifest.Id != expectedId)
        {
            errors.Add(new CatalogError(file, binder.Lines.GetValueOrDefault("id"), "id", $"the id '{manifest.Id}' differs from its folder name '{expectedId}': they must be the same."));
        }

        var checks = new List<CatalogError>();
        new ManifestValidator(file, binder.Lines, checks) { ReadAppFile = readAppFile ?? (_ => null) }.Validate(manifest);

        // A field that could not be read leaves a default behind; what the checks then say about
        // it would only repeat the first error.
        var broken = bindErrors.Select(e => e.FieldPath).ToList();
        errors.AddRange(checks.Where(c => !broken.Any(b => Covers(b, c.FieldPath))));
        return errors.Count == before ? manifest : Truncate(errors, before, file);
    }

    private static AppManifest? Truncate(List<CatalogError> errors, int before, string file)
    {
        var found = errors.Count - before;
        if (found > MaxErrorsPerFile)
        {
            errors.RemoveRange(before + MaxErrorsPerFile, found - MaxErrorsPerFile);
            errors.Add(new CatalogError(file, null, string.Empty, $"{found - MaxErrorsPerFile} more errors are not shown: fix the ones above first."));
        }

        return null;
    }

    private static bool Covers(string broken, string path) =>
        broken.Length == 0
        || path == broken
        || path.StartsWith(broken + ".", StringComparison.Ordinal)
        || path.StartsWith(broken + "[", StringComparison.Ordinal)
        || broken.StartsWith(path + ".", StringComparison.Ordinal)
        || broken.StartsWith(path + "[", StringComparison.Ordinal);

    private static string? ReadAppFile(string appDirectory, string relative)
    {
        var root = Path.GetFullPath(appDirectory) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(appDirectory, relative));
        if (!full.StartsWith(root, StringComparison.Ordinal) || !File.Exists(full) || new FileInfo(full).Length > MaxAppFileBytes)
        {
            return null;
        }

        var resolved = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        return resolved.StartsWith(root, StringComparison.Ordinal) ? File.ReadAllText(full) : null;
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n')[0].Trim();
        var cut = line.IndexOf("): ", StringComparison.Ordinal);
        return cut > 0 ? line[(cut + 3)..] : line;
    }
}
