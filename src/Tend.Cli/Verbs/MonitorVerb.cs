using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Output;
using Tend.Core.Events;
using Tend.Core.Status;
using Tend.Daemon.Control.Protocol;

namespace Tend.Cli.Verbs;

/// <summary>
/// <c>tend monitor</c>: a live view redrawn in place (components, host, alerts, newest events)
/// until <c>q</c> or Ctrl+C; one frame when stdout is not a terminal, as <c>top -b -n 1</c>.
/// <c>--events</c> prints each new event as it comes instead (no history; JSON lines with --json).
/// The view asks the daemon for one snapshot a second and follows one event stream: the daemon
/// does not notice it (pm2's monit is known for the opposite).
/// </summary>
internal static class MonitorVerb
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    public static Command Create(GlobalOptions options)
    {
        var events = new Option<bool>("--events") { Description = "Print events as they happen (JSON lines with --json), no history" };
        var command = new Command("monitor", "A live view of the stack: components with CPU, memory and health, firing alerts, newest events; q quits") { events };
        command.SetAction((parse, token) => parse.GetValue(events)
            ? EventsAsync(new CliContext(parse, options), token)
            : ViewAsync(new CliContext(parse, options), token));
        return command;
    }

    private static async Task<int> EventsAsync(CliContext cli, CancellationToken cancellationToken)
    {
        if (cli.LoadStackForReading() is not { } stack)
        {
            return ExitCodes.Usage;
        }

        await using var connection = new DaemonConnection(stack);
        try
        {
            await foreach (var e in new StackFacts(connection, cli.Time).EventsAsync(EventFilter.All, 0, follow: true, cancellationToken))
            {
                EventsVerb.Print(cli, e);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C ends it.
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> ViewAsync(CliContext cli, CancellationToken cancellationToken)
    {
        if (cli.LoadStackForReading() is not { } stack)
        {
            return ExitCodes.Usage;
        }

        await using var connection = new DaemonConnection(stack);
        var facts = new StackFacts(connection, cli.Time);
        var recent = new List<EventRecord>();
        if (Console.IsOutputRedirected || !cli.Terminal.Color || cli.Json)
        {
            var state = await StackState.ReadAsync(connection, cancellationToken);
            if (cli.Json)
            {
                // One frame as JSON is the snapshot, host and alerts included: the shape of `tend status --json`.
                CliContext.WriteJson(state.Snapshot ?? new StackSnapshot(stack.Name, stack.Path, 0, 0, default, cli.Time.GetUtcNow(), []), StatusJson.Default.StackSnapshot);
                return ExitCodes.Ok;
            }

            recent.AddRange(await facts.EventsAsync(EventFilter.All, 8, follow: false, cancellationToken).ToListAsync(cancellationToken));
            cli.Terminal.Out.Write(MonitorScreen.Frame(state.Snapshot, recent, state.Live, cli.Time.GetUtcNow()));
            return ExitCodes.Ok;
        }

        using var quit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var following = FollowAsync(facts, recent, quit.Token);
        var keys = Console.IsInputRedirected ? Task.CompletedTask : WatchKeysAsync(quit, cli.Time);
        try
        {
            await cli.Terminal.Out.Live(new Markup("")).AutoClear(false).StartAsync(async live =>
            {
                while (!quit.IsCancellationRequested)
                {
                    var state = await StackState.ReadAsync(connection, quit.Token);
                    List<EventRecord> shown;
                    lock (recent)
                    {
                        shown = [.. recent];
                    }

                    live.UpdateTarget(MonitorScreen.Frame(state.Snapshot, shown, state.Live, cli.Time.GetUtcNow()));
                    live.Refresh();
                    await Task.Delay(Refresh, cli.Time, quit.Token);
                }
            });
        }
        catch (OperationCanceledException)
        {
            // q or Ctrl+C.
        }

        await quit.CancelAsync();
        await following;
        await keys;
        return ExitCodes.Ok;
    }

    /// <summary>The newest events, kept to the last few as they come.</summary>
    private static async Task FollowAsync(StackFacts facts, List<EventRecord> recent, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in facts.EventsAsync(EventFilter.All, 8, follow: true, cancellationToken))
            {
                lock (recent)
                {
                    recent.Add(e);
                    if (recent.Count > 8)
                    {
                        recent.RemoveAt(0);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The view is closing.
        }
    }

    /// <summary>Until q is pressed (or the view closes): q ends the view, here or of other hosts (<see cref="Remote.RemoteMonitor"/>).</summary>
    internal static async Task WatchKeysAsync(CancellationTokenSource quit, TimeProvider time)
    {
        try
        {
            while (!quit.IsCancellationRequested)
            {
                // Console.ReadKey blocks a thread that nothing can wake; polling KeyAvailable ten times a second costs nothing.
                while (Console.KeyAvailable)
                {
                    if (Console.ReadKey(intercept: true).KeyChar is 'q' or 'Q')
                    {
                        await quit.CancelAsync();
                        return;
                    }
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), time, quit.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Closing.
        }
    }
}
