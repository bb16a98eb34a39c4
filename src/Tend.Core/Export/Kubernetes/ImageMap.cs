using Tend.Core.Config;
using Tend.Core.Config.Toml;
using Tend.Core.Model;

namespace Tend.Core.Export.Kubernetes;

/// <summary>
/// The <c>--image-map</c> file: a TOML table of <c>component = "image"</c>, plus <c>tend</c> and
/// <c>kubectl</c> for the images of the wait containers. Every problem has its file:line:col.
/// </summary>
public static class ImageMap
{
    public static IReadOnlyDictionary<string, string>? Read(string text, string displayPath, StackFile stack, ConfigProblems problems)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(problems);
        if (TomlTreeBuilder.Parse(text, displayPath, problems) is not { } root)
        {
            return null;
        }

        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        var known = stack.Components.Where(c => c.Kind != ComponentKind.External).Select(c => c.Name).Concat([KubernetesExportOptions.TendKey, KubernetesExportOptions.KubectlKey]).ToList();
        foreach (var entry in root.Entries)
        {
            if (!known.Contains(entry.Key))
            {
                var external = stack.Find(entry.Key) is { Kind: ComponentKind.External };
                problems.Error(entry.KeyLocation, external ? $"{entry.Key} is external: it is referenced, not run, so it takes no image" : $"{entry.Key} is no component of stack {stack.Name}", external ? null : Text.DidYouMean.Hint(entry.Key, known) ?? $"the keys: {string.Join(", ", known)}");
                continue;
            }

            if (entry.Value is not TomlStringNode image)
            {
                problems.Error(entry.Value.Location, $"{entry.Key} must be an image as a string, such as \"python:3.12-slim\", not a {entry.Value.TypeName}");
                continue;
            }

            if (ImageReference.Problem(image.Value) is { } problem)
            {
                problems.Error(image.Location, $"{entry.Key} = \"{image.Value}\" {problem}");
                continue;
            }

            images[entry.Key] = image.Value;
        }

        return problems.HasErrors ? null : images;
    }
}
