using Tend.Core.Config.Toml;
using Tend.Core.Model;

namespace Tend.Core.Config;

/// <summary>
/// What a step or an actor runs, as written: an argv array (<c>["ruff", "check"]</c>), or one
/// string naming a component's command (<c>"lint check"</c>: the component, then the command's words).
/// </summary>
internal static class StepRunReader
{
    public static StepRun? Read(TomlNode node, string what, TableReader reader)
    {
        if (node is TomlStringNode text)
        {
            var words = reader.AsString(text, what)!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2)
            {
                reader.Problems.Error(node.Location, $"{what} must name a component and one of its commands (\"COMPONENT COMMAND\", e.g. \"lint check\"), or be an argv array", "an argv such as [\"ruff\", \"check\", \".\"] runs a command of its own");
                return null;
            }

            return new StepRun.ComponentCommand(words[0], string.Join(' ', words[1..])) { Location = node.Location };
        }

        if (node is TomlArrayNode)
        {
            var argv = reader.AsStringList(node, what);
            if (argv is { Count: 0 })
            {
                reader.Problems.Error(node.Location, $"{what} must not be empty");
                return null;
            }

            return argv is null ? null : new StepRun.Command(argv) { Location = node.Location };
        }

        reader.TypeError(node, what, "an argv array or a string \"COMPONENT COMMAND\"");
        return null;
    }
}
