using System.Text;
using HostPanel.Cli;
using HostPanel.Tests;
using YamlDotNet.RepresentationModel;

namespace HostPanel.Cli.Tests.Catalog;

/// <summary>A throw-away copy of the real app catalog, to break on purpose.</summary>
internal sealed class CatalogCopy : IDisposable
{
    public CatalogCopy()
    {
        Root = Directory.CreateTempSubdirectory("hp-catalog-").FullName;
        Copy(RepositoryPaths.AppCatalog, Root);
    }

    public string Root { get; }

    public string ManifestOf(string app) => Path.Combine(Root, app, "manifest.yaml");

    /// <summary>Changes one manifest through its YAML tree.</summary>
    public void Edit(string app, Action<YamlMappingNode> change)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(ManifestOf(app)))
        {
            stream.Load(reader);
        }

        change((YamlMappingNode)stream.Documents[0].RootNode);
        using var writer = new StreamWriter(ManifestOf(app), false, new UTF8Encoding(false));
        stream.Save(writer, assignAnchors: false);
    }

    public void EditText(string app, Func<string, string> change) =>
        File.WriteAllText(ManifestOf(app), change(File.ReadAllText(ManifestOf(app))));

    /// <summary>Runs `hostpanel catalog validate` on the copy, in-process.</summary>
    public async Task<(int Code, string Output, string Error)> ValidateAsync(CancellationToken ct)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await HostPanelCli.RunAsync(["catalog", "validate", Root], output, error, ct);
        return (code, output.ToString(), error.ToString());
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static void Copy(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }
}

/// <summary>Small editing verbs on a YAML tree, addressed like the loader's field paths.</summary>
internal static class Yaml
{
    public static YamlNode Get(this YamlNode root, string path)
    {
        var node = root;
        foreach (var step in Steps(path))
        {
            node = step is int index ? ((YamlSequenceNode)node).Children[index] : ((YamlMappingNode)node).Children[new YamlScalarNode((string)step)];
        }

        return node;
    }

    public static void Set(this YamlNode root, string path, YamlNode value)
    {
        var (parent, last) = Parent(root, path);
        if (last is int index)
        {
            ((YamlSequenceNode)parent).Children[index] = value;
        }
        else
        {
            ((YamlMappingNode)parent).Children[new YamlScalarNode((string)last)] = value;
        }
    }

    public static void Set(this YamlNode root, string path, string scalar) => root.Set(path, new YamlScalarNode(scalar));

    public static void Remove(this YamlNode root, string path)
    {
        var (parent, last) = Parent(root, path);
        if (last is int index)
        {
            ((YamlSequenceNode)parent).Children.RemoveAt(index);
        }
        else
        {
            ((YamlMappingNode)parent).Children.Remove(new YamlScalarNode((string)last));
        }
    }

    public static void Append(this YamlNode root, string path, YamlNode item) => ((YamlSequenceNode)root.Get(path)).Children.Add(item);

    public static YamlNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[0].RootNode;
    }

    private static (YamlNode Parent, object Last) Parent(YamlNode root, string path)
    {
        var steps = Steps(path).ToList();
        var parent = root;
        foreach (var step in steps[..^1])
        {
            parent = step is int index ? ((YamlSequenceNode)parent).Children[index] : ((YamlMappingNode)parent).Children[new YamlScalarNode((string)step)];
        }

        return (parent, steps[^1]);
    }

    private static IEnumerable<object> Steps(string path)
    {
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            if (bracket < 0)
            {
                yield return part;
                continue;
            }

            if (bracket > 0)
            {
                yield return part[..bracket];
            }

            foreach (var index in part[(bracket + 1)..^1].Split("]["))
            {
                yield return int.Parse(index, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }
}
