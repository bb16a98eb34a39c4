using System.Threading.Channels;
using Spectre.Console;
using Tend.Core.Model;
using Tend.Daemon.Logs;

namespace Tend.Cli.Verbs;

/// <summary>
/// <c>tend logs</c> without a component, as docker compose and pm2 do: the last lines of every
/// component in time order, each after its name in a colour of its own; with -f, then every new
/// line as it arrives, including those of components that start later.
/// </summary>
internal static class AllLogs
{
    private static readonly string[] Palette = ["cyan", "green", "yellow", "blue", "magenta", "aqua", "lime", "orange1", "fuchsia", "deepskyblue1"];

    private static readonly TimeSpan NewComponentsEvery = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(CliContext cli, int count, bool follow, bool perRunOption, CancellationToken cancellationToken)
    {
        if (cli.LoadStackForControl() is not { } stack)
        {
            return ExitCodes.Usage;
        }

        var names = stack.Components.Where(c => c.Kind != ComponentKind.External).Select(c => c.Name).ToList();
        if (perRunOption)
        {
            return cli.UsageError(names.Count > 0
                ? $"--run and --runs are for one component's runs: tend logs {names[0]} --runs"
                : "--run and --runs are for one component's runs, and this stack has none that runs");
        }

        var width = names.Count == 0 ? 0 : names.Max(n => n.Length);
        var prefixes = names.Select((n, i) => (n, $"[{Palette[i % Palette.Length]}]{Markup.Escape(n.PadRight(width))} |[/] ")).ToDictionary(x => x.n, x => x.Item2, StringComparer.Ordinal);
        await using var connection = new DaemonConnection(stack);
        var facts = new StackFacts(connection, cli.Time);
        bool HasRun(string name) => Directory.Exists(connection.Paths.ComponentLogs(name));

        if (follow)
        {
            try
            {
                await FollowAsync(cli, names, prefixes, facts, HasRun, count, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C ends a follow.
            }

            return ExitCodes.Ok;
        }

        var history = new List<(string Name, LogLine Line)>();
        foreach (var name in names.Where(HasRun))
        {
            await foreach (var line in facts.LogsAsync(name, null, count, follow: false, cancellationToken))
            {
                history.Add((name, line));
            }
        }

        if (history.Count == 0)
        {
            var ran = names.Where(HasRun).ToList();
            cli.Terminal.Out.MarkupLine(ran.Count == 0
                ? $"[grey]no component of {Markup.Escape(stack.Name)} has run yet: no logs in {Markup.Escape(cli.Display(connection.Paths.StateDirectory))}[/]"
                : $"[grey]{Markup.Escape(string.Join(", ", ran))} ran but printed nothing yet (tend logs -f waits for their output)[/]");
        }

        foreach (var (name, line) in history.OrderBy(h => h.Line.Time))
        {
            cli.Terminal.Out.MarkupLine(LogsVerb.Format(line, prefixes[name]));
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// One follower per component that has logs, started as its first log appears, each with its
    /// last <paramref name="count"/> lines first (a follow from "now" after a separate read of the
    /// history would lose what came in between); one writer, so lines never mix.
    /// </summary>
    private static async Task FollowAsync(CliContext cli, List<string> names, Dictionary<string, string> prefixes, StackFacts facts, Func<string, bool> hasRun, int count, CancellationToken cancellationToken)
    {
        var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        var followed = new HashSet<string>(StringComparer.Ordinal);

        async Task FollowOne(string name)
        {
            await foreach (var line in facts.LogsAsync(name, null, count, follow: true, cancellationToken))
            {
                await lines.Writer.WriteAsync(LogsVerb.Format(line, prefixes[name]), cancellationToken);
            }
        }

        var watcher = Task.Run(async () =>
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                foreach (var name in names.Where(n => !followed.Contains(n) && hasRun(n)))
                {
                    followed.Add(name);
                    _ = FollowOne(name);
                }

                await Task.Delay(NewComponentsEvery, cli.Time, cancellationToken);
            }
        }, cancellationToken);

        await foreach (var line in lines.Reader.ReadAllAsync(cancellationToken))
        {
            cli.Terminal.Out.MarkupLine(line);
        }

        await watcher;
    }
}
