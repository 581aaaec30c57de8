using System.Diagnostics;
using System.Text;
using HostPanel.Core.Catalog.Loading;
using YamlDotNet.RepresentationModel;

namespace HostPanel.Core.Tests.Catalog;

/// <summary>
/// Valid manifests, mutated at random (seeded, so a failure can be replayed): whatever comes out,
/// the loader never throws, never hangs, and either accepts the text or says why not.
/// </summary>
public class GenerativeLoaderTests
{
    private const int Seed = 20261125;
    private const int Cases = 1500;

    private static readonly string[] Junk =
    [
        "~", "[]", "{}", "-1", "0", "99999999999999999999999", "1e400", "NaN", "\"${x}\"", "${secrets.", "&a x", "*nope",
        "!!binary aGVsbG8=", "\t", "é\u0000", "latest", "\"\"", "'", "\"", ": :", "- -", "? x", "|", ">", "%YAML 1.1",
        "host", "true", "yes", "/etc/passwd", "../../x", new string('a', 5000), "🙂", "\\u0000",
    ];

    public static IEnumerable<TheoryDataRow<int>> Batches() => Enumerable.Range(0, 10).Select(i => new TheoryDataRow<int>(i));

    [Theory]
    [MemberData(nameof(Batches))]
    public void MutatedManifestsNeverBreakTheLoader(int batch)
    {
        var sources = Sources();
        Assert.NotEmpty(sources);
        var random = new Random(Seed + batch);
        var accepted = 0;
        for (var i = 0; i < Cases / 10; i++)
        {
            var source = sources[random.Next(sources.Count)];
            var mutated = Mutate(source, random);
            var errors = new List<CatalogError>();
            var watch = Stopwatch.StartNew();

            var manifest = CatalogLoader.Parse(mutated, "fuzz/manifest.yaml", errors, expectedId: null);

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"case {batch}/{i} took {watch.Elapsed}");
            if (manifest is null)
            {
                Assert.NotEmpty(errors);
                Assert.All(errors, e =>
                {
                    Assert.Equal("fuzz/manifest.yaml", e.File);
                    Assert.False(string.IsNullOrWhiteSpace(e.Message));
                });
            }
            else
            {
                Assert.Empty(errors);
                accepted++;
            }
        }

        // Some mutations are harmless (a comment, a reordered key), most are not: both outcomes occur.
        Assert.InRange(accepted, 0, (Cases / 10) - 1);
    }

    [Fact]
    public void TheSameSeedGivesTheSameCases()
    {
        var source = Sources()[0];

        Assert.Equal(Mutate(source, new Random(7)), Mutate(source, new Random(7)));
    }

    private static List<string> Sources()
    {
        var texts = new List<string> { LoaderTests.Minimal };
        foreach (var folder in new[] { RepositoryPaths.AppCatalog, RepositoryPaths.TestCatalog(1), RepositoryPaths.TestCatalog(3) })
        {
            texts.AddRange(Directory.GetFiles(folder, CatalogLoader.ManifestFileName, SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllText));
        }

        return texts;
    }

    internal static string Mutate(string text, Random random)
    {
        var rounds = 1 + random.Next(3);
        for (var r = 0; r < rounds; r++)
        {
            text = random.Next(2) == 0 ? MutateText(text, random) : MutateTree(text, random);
        }

        return text;
    }

    private static string MutateText(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        var at = random.Next(lines.Count);
        switch (random.Next(7))
        {
            case 0:
                lines.RemoveAt(at);
                break;
            case 1:
                lines.Insert(at, lines[random.Next(lines.Count)]);
                break;
            case 2:
                var other = random.Next(lines.Count);
                (lines[at], lines[other]) = (lines[other], lines[at]);
                break;
            case 3:
                lines[at] = new string(' ', random.Next(6)) + lines[at].TrimStart();
                break;
            case 4:
                var colon = lines[at].IndexOf(':', StringComparison.Ordinal);
                lines[at] = colon >= 0 ? lines[at][..(colon + 1)] + " " + Junk[random.Next(Junk.Length)] : lines[at] + Junk[random.Next(Junk.Length)];
                break;
            case 5:
                return text[..random.Next(text.Length + 1)];
            default:
                var position = random.Next(text.Length + 1);
                return text[..position] + Junk[random.Next(Junk.Length)] + text[position..];
        }

        return string.Join('\n', lines);
    }

    private static string MutateTree(string text, Random random)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or ArgumentException or InvalidOperationException)
        {
            return MutateText(text, random);
        }

        if (stream.Documents.Count == 0)
        {
            return MutateText(text, random);
        }

        var nodes = stream.Documents[0].AllNodes.ToList();
        var target = nodes[random.Next(nodes.Count)];
        switch (target)
        {
            case YamlMappingNode mapping when mapping.Children.Count > 0 && random.Next(2) == 0:
                var key = mapping.Children.Keys.ElementAt(random.Next(mapping.Children.Count));
                if (random.Next(2) == 0)
                {
                    mapping.Children.Remove(key);
                }
                else
                {
                    mapping.Children[key] = RandomNode(random);
                }

                break;
            case YamlMappingNode mapping:
                mapping.Children[new YamlScalarNode($"unexpected_{random.Next(1000)}")] = RandomNode(random);
                break;
            case YamlSequenceNode sequence when sequence.Children.Count > 0:
                var index = random.Next(sequence.Children.Count);
                if (random.Next(2) == 0)
                {
                    sequence.Children.RemoveAt(index);
                }
                else
                {
                    sequence.Children.Add(sequence.Children[index]);
                }

                break;
            case YamlSequenceNode sequence:
                sequence.Children.Add(RandomNode(random));
                break;
            case YamlScalarNode scalar:
                scalar.Value = Junk[random.Next(Junk.Length)];
                break;
        }

        var writer = new StringWriter(new StringBuilder());
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private static YamlNode RandomNode(Random random) => random.Next(3) switch
    {
        0 => new YamlScalarNode(Junk[random.Next(Junk.Length)]),
        1 => new YamlSequenceNode(new YamlScalarNode("a"), new YamlMappingNode(new YamlScalarNode("b"), new YamlScalarNode("c"))),
        _ => new YamlMappingNode(new YamlScalarNode("image"), new YamlScalarNode("x:latest"), new YamlScalarNode("privileged"), new YamlScalarNode("true")),
    };
}
