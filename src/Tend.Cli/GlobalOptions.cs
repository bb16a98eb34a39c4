using System.CommandLine;

namespace Tend.Cli;

/// <summary>Options every command takes.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> File { get; } = new("--file", "-f")
    {
        Description = "The stack file (default: tend.toml here or in the nearest parent directory)",
        Recursive = true,
        HelpName = "PATH",
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print a JSON report instead of text (shapes in docs/json.md)",
        Recursive = true,
    };

    public Option<bool> NoColor { get; } = new("--no-color")
    {
        Description = "Never colour the output (NO_COLOR does the same)",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(File);
        root.Options.Add(Json);
        root.Options.Add(NoColor);
    }
}
