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
            return RefusePerRun(cli, names, "");
        }

        await using var connection = new DaemonConnection(stack);
        return await ShowAsync(cli, new HereLogs(stack.Name, names, cli.Display(connection.Paths.StateDirectory), connection, new StackFacts(connection, cli.Time)), count, follow, cancellationToken);
    }

    /// <summary>--run and --runs without a component: the command that lists one's runs, as typed here (<paramref name="suffix"/>: ` --host pi` from another host).</summary>
    public static int RefusePerRun(CliContext cli, IReadOnlyList<string> names, string suffix) => cli.UsageError(names.Count > 0
        ? $"--run and --runs are for one component's runs: tend logs {names[0]} --runs{suffix}"
        : "--run and --runs are for one component's runs, and this stack has none that runs");

    /// <summary>The last lines of every component in time order, each after its name; with <paramref name="follow"/>, then every new line.</summary>
    public static async Task<int> ShowAsync(CliContext cli, IStackLogs logs, int count, bool follow, CancellationToken cancellationToken)
    {
        var names = logs.Components;
        var width = names.Count == 0 ? 0 : names.Max(n => n.Length);
        var prefixes = names.Select((n, i) => (n, $"[{Palette[i % Palette.Length]}]{Markup.Escape(n.PadRight(width))} |[/] ")).ToDictionary(x => x.n, x => x.Item2, StringComparer.Ordinal);
        if (follow)
        {
            try
            {
                await FollowAsync(cli, prefixes, logs, count, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C ends a follow.
            }

            return ExitCodes.Ok;
        }

        if (await logs.RanAsync(cancellationToken) is not { } ran)
        {
            // Another host that stopped answering: the caller says why.
            return ExitCodes.Failed;
        }

        var history = new List<(string Name, LogLine Line)>();
        foreach (var name in names.Where(ran.Contains))
        {
            await foreach (var line in logs.LogsAsync(name, count, follow: false, cancellationToken))
            {
                history.Add((name, line));
            }
        }

        if (history.Count == 0)
        {
            var said = names.Where(ran.Contains).ToList();
            cli.Terminal.Out.MarkupLine(said.Count == 0
                ? $"[grey]no component of {Markup.Escape(logs.Stack)} has run yet: no logs in {Markup.Escape(logs.StateDirectory)}[/]"
                : $"[grey]{Markup.Escape(string.Join(", ", said))} ran but printed nothing yet (tend logs -f{Markup.Escape(logs.Suffix)} waits for their output)[/]");
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
    private static async Task FollowAsync(CliContext cli, Dictionary<string, string> prefixes, IStackLogs logs, int count, CancellationToken cancellationToken)
    {
        var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        var followed = new HashSet<string>(StringComparer.Ordinal);

        async Task FollowOne(string name)
        {
            await foreach (var line in logs.LogsAsync(name, count, follow: true, cancellationToken))
            {
                // Unbounded: a write fails only once the view has ended.
                lines.Writer.TryWrite(LogsVerb.Format(line, prefixes[name]));
            }
        }

        var watcher = Task.Run(async () =>
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (await logs.RanAsync(cancellationToken) is not { } ran)
                {
                    // The host can no longer be asked: the view ends, and the caller says why.
                    lines.Writer.TryComplete();
                    return;
                }

                foreach (var name in logs.Components.Where(n => !followed.Contains(n) && ran.Contains(n)))
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

    /// <summary>This host's logs: through the daemon when it runs, from the files when not.</summary>
    private sealed class HereLogs(string stack, IReadOnlyList<string> components, string stateDirectory, DaemonConnection connection, StackFacts facts) : IStackLogs
    {
        public string Stack => stack;

        public IReadOnlyList<string> Components => components;

        public string Suffix => "";

        public string StateDirectory => stateDirectory;

        public Task<IReadOnlyList<string>?> RanAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>?>([.. components.Where(n => Directory.Exists(connection.Paths.ComponentLogs(n)))]);

        public IAsyncEnumerable<LogLine> LogsAsync(string component, int last, bool follow, CancellationToken cancellationToken) =>
            facts.LogsAsync(component, null, last, follow, cancellationToken);
    }
}
