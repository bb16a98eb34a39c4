using System.CommandLine;

namespace Tend.Cli.Verbs;

/// <summary><c>tend completion bash|zsh|fish</c>: the script that makes the shell complete tend's verbs, options, components, named commands and presets.</summary>
internal static class CompletionVerb
{
    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = $"One of: {string.Join(", ", Completion.Shells)}" };
        shell.AcceptOnlyFromAmong([.. Completion.Shells]);
        var command = new Command("completion", "Print the shell completion script: eval \"$(tend completion bash)\"") { shell };
        command.SetAction(parse =>
        {
            Console.Out.Write(Completion.Script(parse.GetValue(shell)!));
            return ExitCodes.Ok;
        });
        return command;
    }
}
