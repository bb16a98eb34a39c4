using System.CommandLine;
using System.CommandLine.Completions;
using Tend.Core.Config;
using Tend.Core.Presets;

namespace Tend.Cli;

/// <summary>
/// Tab completion: the shells' scripts (<c>tend completion bash|zsh|fish</c>) call back into
/// <c>tend __complete CWORD WORDS...</c>, which asks System.CommandLine's own completion
/// (verbs, options, and the sources added here: component names from the stack file where the
/// user stands or the one -f names, a component's named commands, preset names). Written by hand
/// because the library's [suggest] directive needs dotnet-suggest, which a native binary's users
/// do not have.
/// </summary>
internal static class Completion
{
    public const string Hidden = "__complete";

    public static readonly IReadOnlyList<string> Shells = ["bash", "zsh", "fish"];

    /// <summary>Adds the dynamic sources to every component argument and option, the named commands of `run`, and presets.</summary>
    public static void AddSources(RootCommand root, GlobalOptions options)
    {
        foreach (var command in All(root))
        {
            foreach (var argument in command.Arguments)
            {
                // Help lists an argument's completions in place of its name when it has no help
                // name: `tend start --help` printed `<keep>` (this stack's components), not `<component>`.
                argument.HelpName ??= argument.Name;
                if (argument.Name == "component")
                {
                    argument.CompletionSources.Add(context => ComponentNames(context, options));
                }
                else if (command.Name == "run" && argument.Name == "command")
                {
                    argument.CompletionSources.Add(context => NamedCommands(context, options));
                }
            }

            foreach (var option in command.Options)
            {
                if (option.Name == "--component")
                {
                    option.HelpName ??= "component";
                    option.CompletionSources.Add(context => ComponentNames(context, options));
                }
                else if (option.Name == "--preset")
                {
                    option.CompletionSources.Add(_ => PresetCatalog.Names);
                }
            }
        }
    }

    /// <summary>Prints the completions of the word at <paramref name="args"/>[0] (its index in the words that follow, the program's name first).</summary>
    public static int Complete(RootCommand root, string[] args)
    {
        if (args.Length < 2 || !int.TryParse(args[0], out var current))
        {
            return ExitCodes.Usage;
        }

        var words = args[1..];
        // The words before the one being completed, and that word as typed so far.
        var before = words.Skip(1).Take(Math.Max(0, current - 1)).ToArray();
        var partial = current < words.Length ? words[current] : "";
        // As the raw text up to the cursor: the library finds the word being completed (empty after a space) from it.
        var text = string.Join(' ', [.. before.Select(Core.Text.ShellWords.Quote), partial]);
        var completions = root.Parse(text).GetCompletions(text.Length)
            .Select(c => c.Label)
            // Options only once a dash is typed, as git does; the help aliases (-?, /h) are noise.
            .Where(label => label.StartsWith(partial, StringComparison.Ordinal) && label != Hidden && !label.StartsWith('/') && label != "-?")
            .Where(label => partial.StartsWith('-') || !label.StartsWith('-'))
            .Distinct(StringComparer.Ordinal);
        foreach (var label in completions)
        {
            Console.Out.WriteLine(label);
        }

        return ExitCodes.Ok;
    }

    public static string Script(string shell) => shell switch
    {
        "bash" => """
            # tend completion for bash: eval "$(tend completion bash)", e.g. in ~/.bashrc
            _tend_complete() {
              local IFS=$'\n'
              COMPREPLY=($(tend __complete "$COMP_CWORD" "${COMP_WORDS[@]}" 2>/dev/null))
            }
            complete -o default -F _tend_complete tend

            """,
        "zsh" => """
            # tend completion for zsh: eval "$(tend completion zsh)", e.g. in ~/.zshrc (after compinit)
            _tend_complete() {
              local -a completions
              completions=("${(@f)$(tend __complete $((CURRENT - 1)) "${words[@]}" 2>/dev/null)}")
              compadd -a completions
            }
            compdef _tend_complete tend

            """,
        "fish" => """
            # tend completion for fish: tend completion fish > ~/.config/fish/completions/tend.fish
            complete -c tend -f -a '(set -l words (commandline -opc) (commandline -ct); tend __complete (math (count (commandline -opc))) $words 2>/dev/null)'

            """,
        _ => throw new ArgumentOutOfRangeException(nameof(shell), shell, "not a shell tend completes for"),
    };

    private static IEnumerable<string> ComponentNames(CompletionContext context, GlobalOptions options)
    {
        // `tend run store <TAB>` is past its one component: its named commands come next, not components.
        var given = context.ParseResult.CommandResult.Children.OfType<System.CommandLine.Parsing.ArgumentResult>().FirstOrDefault(a => a.Argument.Name == "component");
        if (given is { Argument.Arity.MaximumNumberOfValues: 1, Tokens.Count: 1 } && given.Tokens[0].Value != context.WordToComplete)
        {
            return [];
        }

        return Stack(context, options)?.Components.Select(c => c.Name) ?? [];
    }

    private static IEnumerable<string> NamedCommands(CompletionContext context, GlobalOptions options)
    {
        var name = context.ParseResult.CommandResult.Children.OfType<System.CommandLine.Parsing.ArgumentResult>().FirstOrDefault(a => a.Argument.Name == "component")?.Tokens is [var first, ..] ? first.Value : null;
        return name is null ? [] : Stack(context, options)?.Find(name)?.Commands.Select(c => c.Name) ?? [];
    }

    private static Core.Model.StackFile? Stack(CompletionContext context, GlobalOptions options)
    {
        var path = StackFileLocator.Find(context.ParseResult.GetValue(options.File), Environment.CurrentDirectory);
        return path is null ? null : StackFileLoader.Load(path).Stack;
    }

    private static IEnumerable<Command> All(Command command) => [command, .. command.Subcommands.SelectMany(All)];
}
