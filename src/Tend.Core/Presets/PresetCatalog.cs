using System.Reflection;

namespace Tend.Core.Presets;

/// <summary>A file a preset writes, with whether it must be executable.</summary>
public sealed record PresetFile(string RelativePath, byte[] Content, bool Executable);

/// <summary>
/// The stacks <c>tend init</c> can write. They are the directories under <c>examples/</c>,
/// embedded at build time, so the examples in the repository and the presets never drift apart.
/// </summary>
public static class PresetCatalog
{
    private const string Prefix = "preset/";

    public static IReadOnlyList<string> Names { get; } = LoadNames();

    public static IReadOnlyList<PresetFile>? Files(string preset)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var prefix = $"{Prefix}{preset}/";
        var names = assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            return null;
        }

        var files = new List<PresetFile>(names.Count);
        foreach (var name in names)
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var relative = name[prefix.Length..];
            files.Add(new PresetFile(relative, content, content.Length > 2 && content[0] == '#' && content[1] == '!'));
        }

        return files;
    }

    private static List<string> LoadNames() =>
        [.. Assembly.GetExecutingAssembly().GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..].Split('/')[0])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
}
