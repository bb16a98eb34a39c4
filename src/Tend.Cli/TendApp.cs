using System.CommandLine;
using Tend.Cli.Verbs;
using Tend.Core.Processes;

namespace Tend.Cli;

/// <summary>The command line: global options, one verb per file under Verbs/.</summary>
internal static class TendApp
{
    public static RootCommand Build(GlobalOptions options)
    {
        var root = new RootCommand("tend: run, check, supervise and troubleshoot a stack of services and jobs on one host");
        options.AddTo(root);
        root.Subcommands.Add(InitVerb.Create(options));
        root.Subcommands.Add(ValidateVerb.Create(options));
        root.Subcommands.Add(LsVerb.Create(options));
        root.Subcommands.Add(GraphVerb.Create(options));
        root.Subcommands.Add(PreflightVerb.Create(options));
        root.Subcommands.Add(HealthVerb.Create(options));
        root.Subcommands.Add(WaitVerb.Create(options));
        root.Subcommands.Add(ExportVerb.Create(options));
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
        root.Subcommands.Add(AlertsVerb.Create(options));
        root.Subcommands.Add(DashboardVerb.Create(options));
        root.Subcommands.Add(MonitorVerb.Create(options));
        root.Subcommands.Add(MetricsVerb.Create(options));
        root.Subcommands.Add(UpdateVerb.Create(options));
        root.Subcommands.Add(VersionsVerb.Create(options));
        root.Subcommands.Add(DoctorVerb.Create(options));
        root.Subcommands.Add(DiagVerb.Create(options));
        root.Subcommands.Add(DaemonVerb.Create(options));
        root.Subcommands.Add(BackupVerb.Create(options));
        root.Subcommands.Add(RestoreVerb.Create(options));
        root.Subcommands.Add(InstallVerb.Install(options));
        root.Subcommands.Add(InstallVerb.Uninstall(options));
        root.Subcommands.Add(Verbs.Workflows.WorkflowVerbs.Create(options));
        root.Subcommands.Add(CompletionVerb.Create());
        root.Subcommands.Add(ApiVerb.Create(options));
        Remote.RemoteHosts.AddTo(root, options);
        Completion.AddSources(root, options);
        return root;
    }

    /// <summary>Verbs whose output has a JSON form (docs/json.md); the others refuse --json rather than ignore it.</summary>
    private static readonly HashSet<string> JsonVerbs = ["init", "validate", "ls", "graph", "preflight", "health", "run", "status", "peek", "events", "doctor", "why", "alerts", "monitor", "versions", "backup", "workflow"];

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new GlobalOptions();
        var root = Build(options);
        if (args.Length == 0)
        {
            // Bare `tend`, as git and docker do: the help, not an error.
            return await root.Parse(["--help"]).InvokeAsync();
        }

        if (args[0] == Completion.Hidden)
        {
            return Completion.Complete(root, args[1..]);
        }

        var parse = root.Parse(args);
        if (Misuse(root, options, parse, args) is { } misuse)
        {
            await Console.Error.WriteLineAsync($"tend: {misuse}");
            return ExitCodes.Usage;
        }

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

    /// <summary>Usage the parser lets through or words badly: a typo'd verb, `-f` taken for the file on logs and events, --json where there is none.</summary>
    private static string? Misuse(RootCommand root, GlobalOptions options, ParseResult parse, string[] args)
    {
        var verb = parse.CommandResult.Command;
        if (verb is RootCommand && parse.UnmatchedTokens.Count > 0 && parse.UnmatchedTokens[0] is var unknown && !unknown.StartsWith('-'))
        {
            var verbs = root.Subcommands.Select(c => c.Name).ToList();
            return $"'{unknown}' is not a tend command; {Core.Text.DidYouMean.Hint(unknown, verbs) ?? $"the commands are {string.Join(", ", verbs)}"} (tend --help lists them)";
        }

        if (verb.Name is "logs" or "events" && parse.UnmatchedTokens.Count > 0)
        {
            var follow = Array.FindIndex(args, a => a == "-f");
            if (follow >= 0 && follow + 1 < args.Length && parse.UnmatchedTokens.Contains(args[follow + 1]))
            {
                var rest = args.Where((_, i) => i != follow && i != follow + 1).Select(Core.Text.ShellWords.Quote);
                return $"-f after {verb.Name} means --follow, as in tail -f and docker logs -f; give the stack file before the command: tend -f {Core.Text.ShellWords.Quote(args[follow + 1])} {string.Join(' ', rest)} (or as --file anywhere)";
            }
        }

        if (parse.GetValue(options.Json) && parse.Errors.Count == 0)
        {
            var path = CommandPath(parse);
            // tend why has JSON as the doctor's report of the stack and of a workflow run; of one
            // component it has none, which only the verb can tell (it looks the name up).
            if (path.Count > 0 && !JsonVerbs.Contains(path[0]))
            {
                return $"tend {string.Join(' ', path)} has no JSON output; tend status --json and tend events --json give the state and the events as JSON (shapes in docs/json.md)";
            }
        }

        return null;
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
