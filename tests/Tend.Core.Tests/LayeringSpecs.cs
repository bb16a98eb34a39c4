using System.Text.RegularExpressions;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests;

/// <summary>
/// Core's folders import downwards only: plain data at the bottom, the stack-file reader and the
/// status contracts on top. A folder that reaches up (or sideways) makes a loop, which is how the
/// readers of TOML ended up spread over the check kinds before issue 7.
/// </summary>
public sealed partial class LayeringSpecs
{
    /// <summary>The layers, lowest first; a folder may use only folders of lower layers.</summary>
    private static readonly string[][] Layers =
    [
        ["Text"],
        ["Events", "Persistence", "Presets", "Processes"],
        ["Model"],
        ["Alembic", "Knowledge", "Rounds", "Monitoring", "Diag"],
        ["Checks"],
        ["Backup"],
        ["Config"],
        ["Workflows"],
        ["Status"],
        ["Workflows"],
        ["Doctor", "Metrics", "Updates", "Operations", "Export"],
    ];

    private static readonly string[] Folders = [.. Layers.SelectMany(l => l)];

    [Fact]
    public void Every_folder_of_Core_uses_only_folders_below_it()
    {
        var core = Path.Combine(RepoPaths.Root, "src", "Tend.Core");
        var violations = new List<string>();
        foreach (var file in Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories))
        {
            var folder = Path.GetRelativePath(core, file).Split(Path.DirectorySeparatorChar)[0];
            if (folder.EndsWith(".cs", StringComparison.Ordinal) || folder is "obj" or "bin")
            {
                continue;
            }

            Array.IndexOf(Folders, folder).ShouldBeGreaterThanOrEqualTo(0, $"{folder} is a folder of Core that no layer names: add it to {nameof(Layers)}");
            var code = Comment().Replace(File.ReadAllText(file), "");
            foreach (var used in References(code).Where(u => u != folder).Distinct())
            {
                if (LayerOf(used) >= LayerOf(folder))
                {
                    violations.Add($"{Path.GetRelativePath(core, file)} uses {used}");
                }
            }
        }

        violations.ShouldBeEmpty();
    }

    [Fact]
    public void A_reference_upwards_is_found()
    {
        var code = "using Tend.Core.Config;\nvar x = Checks.Endpoint.Parse(s); var y = Core.Status.Verdicts.Of(a); var z = e.Text.Length;";

        References(code).ShouldBe(["Config", "Checks", "Status"], ignoreOrder: true);
    }

    private static int LayerOf(string folder) => Array.FindIndex(Layers, l => l.Contains(folder));

    /// <summary>Folders named by a using, a qualified name (<c>Tend.Core.Config.X</c>) or a name relative to Tend.Core (<c>Config.Toml.X</c>).</summary>
    private static IEnumerable<string> References(string code) =>
        Reference().Matches(code).Select(m => m.Groups["folder"].Value).Where(Folders.Contains);

    [GeneratedRegex(@"(?<![\w.])(?:Tend\.Core\.|Core\.)?(?<folder>[A-Z]\w*)\.[A-Z]|using Tend\.Core\.(?<folder>\w+)")]
    private static partial Regex Reference();

    [GeneratedRegex(@"//.*$", RegexOptions.Multiline)]
    private static partial Regex Comment();
}
