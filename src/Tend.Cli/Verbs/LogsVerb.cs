using System.CommandLine;
using Spectre.Console;
using Tend.Core.Model;
using Tend.Core.Text;
using Tend.Daemon.Logs;

namespace Tend.Cli.Verbs;

/// <summary><c>tend logs [COMP] [-n N] [-f] [--run N] [--runs]</c>: a component's per-run logs, read straight from the files; without a component, all of them interleaved (<see cref="AllLogs"/>).</summary>
internal static class LogsVerb
{
    public static Command Create(GlobalOptions options)
    {
        var component = new Argument<string?>("component") { Description = "The component (default: every component, interleaved, each line after its name)", Arity = ArgumentArity.ZeroOrOne };
        var lines = new Option<int>("-n") { Description = "How many of the last lines", DefaultValueFactory = _ => 50 };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines, across rotation and restarts" };
        var run = new Option<int?>("--run") { Description = "This run (default: the current or latest)" };
        var runs = new Option<bool>("--runs") { Description = "List the runs on disk instead" };
        var command = new Command("logs", "Show a component's output, per run, with timestamps; all components interleaved without one") { component, lines, follow, run, runs };
        command.SetAction((parse, token) => parse.GetValue(component) is { } name
            ? RunAsync(new CliContext(parse, options), name, parse.GetValue(lines), parse.GetValue(follow), parse.GetValue(run), parse.GetValue(runs), token)
            : AllLogs.RunAsync(new CliContext(parse, options), parse.GetValue(lines), parse.GetValue(follow), parse.GetValue(run) is not null || parse.GetValue(runs), token));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, string name, int count, bool follow, int? run, bool listRuns, CancellationToken cancellationToken)
    {
        if (!cli.TryLoadStackForControl([name], out var stack, out var exitCode))
        {
            return exitCode;
        }

        if (stack.Find(name)!.Kind == ComponentKind.External)
        {
            return cli.UsageError($"{name} is external: tend never runs it, so it has no logs here");
        }

        await using var connection = new DaemonConnection(stack);
        var directory = connection.Paths.ComponentLogs(name);
        if (!Directory.Exists(directory))
        {
            cli.Terminal.Out.MarkupLine(NotRunYet(name, cli.Display(directory)));
            return ExitCodes.Ok;
        }

        var logs = new ComponentLogs(directory);
        if (listRuns)
        {
            foreach (var info in await logs.RunsAsync(cancellationToken))
            {
                cli.Terminal.Out.MarkupLine(RunLine(info.Run, info.Bytes, info.Files.Count, info.FirstTime, info.LastTime, info.IsCurrent));
            }

            return ExitCodes.Ok;
        }

        if (run is { } chosen && (await logs.RunsAsync(cancellationToken)).All(r => r.Run != chosen))
        {
            return cli.UsageError($"{name} has no run {chosen} on disk", "list them with --runs");
        }

        try
        {
            await foreach (var line in new StackFacts(connection, cli.Time).LogsAsync(name, run, count, follow, cancellationToken))
            {
                Print(cli, line);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C ends a follow.
        }

        return ExitCodes.Ok;
    }

    /// <summary>A component without a log directory, as markup: <paramref name="directory"/> as shown where the user stands.</summary>
    public static string NotRunYet(string name, string directory) => $"[grey]{Markup.Escape(name)} has not run yet: no logs in {Markup.Escape(directory)}[/]";

    /// <summary>One run of `--runs`, as markup: its number, size, files and span.</summary>
    public static string RunLine(int run, long bytes, int files, DateTimeOffset? firstTime, DateTimeOffset? lastTime, bool current)
    {
        var span = firstTime is { } first ? $"{first.ToLocalTime():yyyy-MM-dd HH:mm:ss} → {lastTime?.ToLocalTime():HH:mm:ss}" : "empty";
        return $"run {run,-5} {Quantities.FormatSize(bytes),9}  {files} file{(files == 1 ? "" : "s")}  {span}{(current ? "  [green](current)[/]" : "")}";
    }

    private static void Print(CliContext cli, LogLine line) => cli.Terminal.Out.MarkupLine(Format(line, ""));

    /// <summary>One line as markup, after <paramref name="prefix"/> (markup too): grey time, stderr in red, tend's own lines in yellow; an unparsed line as it is.</summary>
    public static string Format(LogLine line, string prefix)
    {
        if (line.Stream == LogStream.Unknown)
        {
            return $"{prefix}{Markup.Escape(line.Text)}";
        }

        var stamp = line.Time.ToLocalTime().ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture);
        var text = Markup.Escape(line.Text);
        var body = line.Stream switch
        {
            LogStream.Err => $"[red]{text}[/]",
            LogStream.Out => text,
            _ => $"[yellow]tend: {text}[/]",
        };
        return $"{prefix}[grey]{stamp}[/] {body}";
    }
}
