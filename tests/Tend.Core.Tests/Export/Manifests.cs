using Tend.Core.Export.Kubernetes;
using YamlDotNet.RepresentationModel;

namespace Tend.Core.Tests.Export;

/// <summary>Reads an export's manifests back as YAML, to ask for one field by path.</summary>
internal static class Manifests
{
    /// <summary>The object of <paramref name="kind"/> named <paramref name="name"/>, from any file of the export.</summary>
    public static YamlMappingNode Object(KubernetesExport export, string kind, string name) =>
        Objects(export).Single(o => Field(o, "kind") == kind && Field(o, "metadata.name") == name);

    public static IEnumerable<YamlMappingNode> Objects(KubernetesExport export)
    {
        foreach (var file in export.Manifests)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(file.Text));
            foreach (var document in stream.Documents)
            {
                yield return (YamlMappingNode)document.RootNode;
            }
        }
    }

    /// <summary>The node at a path such as <c>spec.template.spec.containers[0].image</c>; null when absent.</summary>
    public static YamlNode? At(YamlNode node, string path)
    {
        YamlNode? current = node;
        foreach (var part in path.Split('.'))
        {
            var name = part;
            int? index = null;
            if (part.EndsWith(']'))
            {
                var open = part.IndexOf('[', StringComparison.Ordinal);
                index = int.Parse(part[(open + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
                name = part[..open];
            }

            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(name), out current))
            {
                return null;
            }

            if (index is { } i)
            {
                current = current is YamlSequenceNode list && i < list.Children.Count ? list.Children[i] : null;
            }
        }

        return current;
    }

    public static string? Field(YamlNode node, string path) => (At(node, path) as YamlScalarNode)?.Value;

    public static IReadOnlyList<string> Fields(YamlNode node, string path) =>
        At(node, path) is YamlSequenceNode list ? [.. list.Children.Select(c => ((YamlScalarNode)c).Value!)] : [];

    public static string Container(string path) => "spec.template.spec.containers[0]." + path;
}
