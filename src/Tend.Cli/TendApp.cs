using System.CommandLine;
using Tend.Cli.Verbs;
using Tend.Core.Processes;

namespace Tend.Cli;

/// <summary>The command line: global options, one verb per file under Verbs/.</summary>
internal static class TendApp
{
    public static RootCommand Build()
    {
        var options = new GlobalOptions();
        var root = new RootCommand("tend: run, check, supervise and troubleshoot a stack of services and jobs on one host");
        options.AddTo(root);
        root.Subcommands.Add(InitVerb.Create(options));
        root.Subcommands.Add(ValidateVerb.Create(options));
        root.Subcommands.Add(LsVerb.Create(options));
        root.Subcommands.Add(GraphVerb.Create(options));
        root.Subcommands.Add(PreflightVerb.Create(options));
        root.Subcommands.Add(HealthVerb.Create(options));
        root.Subcommands.Add(RunVerb.Create(options));
        root.Subcommands.Add(UpVerb.Create(options));
        root.Subcommands.Add(DownVerb.Create(options));
        root.Subcommands.Add(ControlVerbs.Start(options));
        root.Subcommands.Add(ControlVerbs.Stop(options));
        root.Subcommands.Add(ControlVerbs.Restart(options));
        root.Subcommands.Add(ControlVerbs.Kill(options));
        root.Subcommands.Add(StatusVerb.Create(options));
        root.Subcommands.Add(PeekVerb.Create(options));
        root.Subcommands.Add(LogsVerb.Create(options));
        root.Subcommands.Add(EventsVerb.Create(options));
        root.Subcommands.Add(WhyVerb.Create(options));
        root.Subcommands.Add(DaemonVerb.Create(options));
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Build();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // System.CommandLine answers bad usage with 1; tend's contract says 2.
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"tend: {error.Message}");
            }

            await Console.Error.WriteLineAsync($"Try '{string.Join(' ', ["tend", .. CommandPath(parse)])} --help'.");
            return ExitCodes.Usage;
        }

        // Signals are tend's to handle (tend run forwards them to its child's group), so the
        // library's own Ctrl+C handling, which exits after a timeout, stays off.
        var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };
        return await parse.InvokeAsync(configuration);
    }

    private static List<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null && result.Command is not RootCommand; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }

        return names;
    }
}
